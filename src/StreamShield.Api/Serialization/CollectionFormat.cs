namespace StreamShield.Serialization;

/// <summary>
/// Length prefix shared by arrays, lists, dictionaries and sets: an unsigned varint (7 bits per byte) holding
/// <c>count + 1</c>, with 0 meaning null. An empty collection therefore costs one byte, as does null.
/// </summary>
internal static class CollectionFormat
{
    /// <summary>Writes the null marker.</summary>
    public static void WriteNull(DataOutput output) => output.WriteByte(0);

    /// <summary>Writes the element count of a non-null collection.</summary>
    public static void WriteCount(DataOutput output, int count) => output.WriteVarUInt32((uint)count + 1);

    /// <summary>
    /// Reads a length prefix: -1 for null, otherwise the element count. Rejects counts that cannot fit in the
    /// remaining input given at least <paramref name="minBytesPerElement"/> bytes per element (0 disables the check),
    /// so corrupt data cannot trigger huge allocations.
    /// </summary>
    public static int ReadCount(DataInput input, int minBytesPerElement)
    {
        var raw = input.ReadVarUInt32();
        if (raw == 0) return -1;
        var count = raw - 1;
        if (count > int.MaxValue) throw new CorruptDataException($"Collection length {count} is out of range.");
        if ((long)count * minBytesPerElement > input.Remaining)
            throw new CorruptDataException(
                $"Collection length {count} needs at least {(long)count * minBytesPerElement} bytes, but only {input.Remaining} remain.");
        return (int)count;
    }

    /// <summary>
    /// The minimum encoded size of one element written by <paramref name="serializer"/>: 1 for built-in serializers that always
    /// write a byte, 0 (unknown) for user-registered ones and structs made only of such members.
    /// </summary>
    public static int MinElementSize(object serializer) => serializer switch
    {
        IObjectSerializer o => o.AlwaysWritesBytes ? 1 : 0,
        IBuiltInSerializer => 1,
        _ => 0,
    };
}
