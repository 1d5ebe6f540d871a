namespace StreamShield.Serialization;

/// <summary>Serializer for <see cref="Nullable{T}"/>: a presence byte (0 = null, 1 = value) followed by the value.</summary>
/// <typeparam name="T">The underlying value type.</typeparam>
internal sealed class NullableSerializer<T>(TypeSerializer<T> inner) : TypeSerializer<T?>, IBuiltInSerializer where T : struct
{
    public override void Serialize(T? value, DataOutput output)
    {
        if (value.HasValue)
        {
            output.WriteByte(1);
            inner.Serialize(value.GetValueOrDefault(), output);
        }
        else
        {
            output.WriteByte(0);
        }
    }

    public override T? Deserialize(DataInput input) => input.ReadByte() switch
    {
        0 => null,
        1 => inner.Deserialize(input),
        var b => throw new CorruptDataException($"Invalid presence byte {b} for {typeof(T).Name}?."),
    };

    public override T? Copy(T? value) => value.HasValue && !inner.IsImmutable ? inner.Copy(value.GetValueOrDefault()) : value;

    public override bool IsImmutable => inner.IsImmutable;
}
