namespace StreamShield.Serialization;

/// <summary>
/// Serializer for <see cref="HashSet{T}"/>: the <see cref="CollectionFormat"/> length prefix, then each element in enumeration
/// order. Deserialized sets use the default comparer; <see cref="Copy"/> keeps the source's comparer.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class HashSetSerializer<T>(TypeSerializer<T> element) : TypeSerializer<HashSet<T>>, IBuiltInSerializer
{
    private readonly int _minElementSize = CollectionFormat.MinElementSize(element);

    public override void Serialize(HashSet<T> value, DataOutput output)
    {
        if (value is null)
        {
            CollectionFormat.WriteNull(output);
            return;
        }
        CollectionFormat.WriteCount(output, value.Count);
        foreach (var item in value) element.Serialize(item, output);
    }

    public override HashSet<T> Deserialize(DataInput input)
    {
        var count = CollectionFormat.ReadCount(input, _minElementSize);
        if (count < 0) return null!;
        var result = new HashSet<T>(_minElementSize > 0 ? count : Math.Min(count, input.Remaining));
        for (var i = 0; i < count; i++)
        {
            if (!result.Add(element.Deserialize(input)))
                throw new CorruptDataException($"Duplicate element in a serialized HashSet<{typeof(T).Name}> (corrupt data, or the source used a custom comparer).");
        }
        return result;
    }

    public override HashSet<T> Copy(HashSet<T> value)
    {
        if (value is null) return null!;
        if (element.IsImmutable) return new HashSet<T>(value, value.Comparer);
        var result = new HashSet<T>(value.Count, value.Comparer);
        foreach (var item in value) result.Add(element.Copy(item));
        return result;
    }

    public override bool IsImmutable => false;
}
