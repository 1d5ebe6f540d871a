using System.Runtime.CompilerServices;

namespace StreamShield.Serialization;

/// <summary>
/// Serializer for an enum: the underlying integer, little-endian, at its natural width (1, 2, 4 or 8 bytes).
/// Values are reinterpreted in place, so nothing is boxed; undefined values (e.g. flag combinations) round-trip as-is.
/// </summary>
/// <typeparam name="T">The enum type.</typeparam>
internal sealed class EnumSerializer<T> : InlineSerializer<T> where T : struct, Enum
{
    public static void Write(T value, DataOutput output)
    {
        if (Unsafe.SizeOf<T>() == 1) output.WriteByte(Unsafe.As<T, byte>(ref value));
        else if (Unsafe.SizeOf<T>() == 2) output.WriteInt16(Unsafe.As<T, short>(ref value));
        else if (Unsafe.SizeOf<T>() == 4) output.WriteInt32(Unsafe.As<T, int>(ref value));
        else output.WriteInt64(Unsafe.As<T, long>(ref value));
    }

    public static T Read(DataInput input)
    {
        if (Unsafe.SizeOf<T>() == 1)
        {
            var b = input.ReadByte();
            return Unsafe.As<byte, T>(ref b);
        }
        if (Unsafe.SizeOf<T>() == 2)
        {
            var s = input.ReadInt16();
            return Unsafe.As<short, T>(ref s);
        }
        if (Unsafe.SizeOf<T>() == 4)
        {
            var i = input.ReadInt32();
            return Unsafe.As<int, T>(ref i);
        }
        var l = input.ReadInt64();
        return Unsafe.As<long, T>(ref l);
    }

    public override void Serialize(T value, DataOutput output) => Write(value, output);
    public override T Deserialize(DataInput input) => Read(input);
}
