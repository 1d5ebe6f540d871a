using System.Runtime.InteropServices;

namespace StreamShield.Serialization;

/// <summary>
/// Fast path for arrays of fixed-width numeric primitives (byte[] above all) on little-endian machines: the
/// <see cref="CollectionFormat"/> length prefix, then the raw element bytes in one block copy. The bytes are identical to
/// what <see cref="ArraySerializer{T}"/> would write, so both readers understand each other.
/// </summary>
/// <typeparam name="T">A fixed-width primitive (byte, sbyte, short, ushort, char, int, uint, long, ulong, float, double).</typeparam>
internal sealed class PrimitiveArraySerializer<T> : TypeSerializer<T[]>, IBuiltInSerializer where T : unmanaged
{
    public override void Serialize(T[] value, DataOutput output)
    {
        if (value is null)
        {
            CollectionFormat.WriteNull(output);
            return;
        }
        CollectionFormat.WriteCount(output, value.Length);
        output.WriteBytes(MemoryMarshal.AsBytes(value.AsSpan()));
    }

    public override T[] Deserialize(DataInput input)
    {
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var count = CollectionFormat.ReadCount(input, size);
        if (count < 0) return null!;
        if (count == 0) return [];
        var result = GC.AllocateUninitializedArray<T>(count);
        input.ReadBytes(count * size).CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    public override T[] Copy(T[] value) => value is null ? null! : value.AsSpan().ToArray();

    public override bool IsImmutable => false;
}
