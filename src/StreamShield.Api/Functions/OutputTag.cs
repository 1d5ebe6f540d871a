namespace StreamShield.Functions;

/// <summary>
/// Names a side output: a second, typed stream a function can emit to besides its main output.
/// Two tags are the same side output when their ids are equal.
/// </summary>
/// <typeparam name="T">Type of the side output's records.</typeparam>
public sealed class OutputTag<T>(string id)
{
    /// <summary>The tag's unique id within a job.</summary>
    public string Id { get; } = string.IsNullOrWhiteSpace(id) ? throw new ArgumentException("An OutputTag needs a non-empty id.", nameof(id)) : id;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is OutputTag<T> o && o.Id == Id;
    /// <inheritdoc />
    public override int GetHashCode() => Id.GetHashCode(StringComparison.Ordinal);
    /// <inheritdoc />
    public override string ToString() => $"OutputTag<{typeof(T).Name}>({Id})";
}
