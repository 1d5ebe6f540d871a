namespace StreamShield.Serialization;

/// <summary>
/// Writes and reads values of one type in a compact binary form. Used for records crossing channels,
/// for state and for checkpoints; never JSON. Instances are stateless and may be shared across threads.
/// </summary>
/// <typeparam name="T">The serialized type.</typeparam>
public abstract class TypeSerializer<T>
{
    /// <summary>Writes <paramref name="value"/> (which may be null for reference types) to <paramref name="output"/>.</summary>
    public abstract void Serialize(T value, DataOutput output);

    /// <summary>Reads one value written by <see cref="Serialize"/>.</summary>
    public abstract T Deserialize(DataInput input);

    /// <summary>
    /// Returns a copy that shares no mutable data with <paramref name="value"/>. Immutable types return the value
    /// itself (the default for value types and strings); the state backend uses this for copy-on-write snapshots.
    /// </summary>
    public virtual T Copy(T value)
    {
        if (IsImmutable) return value;
        using var output = new DataOutput();
        Serialize(value, output);
        return Deserialize(new DataInput(output.ToArray()));
    }

    /// <summary>True when values can never change after construction, so copies can be skipped.</summary>
    public virtual bool IsImmutable => false;
}
