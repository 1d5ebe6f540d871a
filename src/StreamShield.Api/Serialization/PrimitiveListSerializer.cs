using System.Runtime.InteropServices;

namespace StreamShield.Serialization;

/// <summary>
/// Fast path for lists of fixed-width numeric primitives on little-endian machines: same bytes as
/// <see cref="ListSerializer{T}"/>, written and read as one block.
/// </summary>
/// <typeparam name="T">A fixed-width primitive (byte, sbyte, short, ushort, char, int, uint, long, ulong, float, double).</typeparam>
internal sealed class PrimitiveListSerializer<T> : TypeSerializer<List<T>>, IBuiltInSerializer where T : unmanaged
{
    public override void Serialize(List<T> value, DataOutput output)
    {
        if (value is null)
        {
            CollectionFormat.WriteNull(output);
            return;
        }
        var items = CollectionsMarshal.AsSpan(value);
        CollectionFormat.WriteCount(output, items.Length);
        output.WriteBytes(MemoryMarshal.AsBytes(items));
    }

    public override List<T> Deserialize(DataInput input)
    {
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var count = CollectionFormat.ReadCount(input, size);
        if (count < 0) return null!;
        var result = new List<T>(count);
        CollectionsMarshal.SetCount(result, count);
        input.ReadBytes(count * size).CopyTo(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(result)));
        return result;
    }

    public override List<T> Copy(List<T> value) => value is null ? null! : new List<T>(value);

    public override bool IsImmutable => false;
}
