namespace StreamShield.Serialization;

/// <summary>Serializer for single-dimensional arrays: the <see cref="CollectionFormat"/> length prefix, then each element.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class ArraySerializer<T>(TypeSerializer<T> element) : TypeSerializer<T[]>, IBuiltInSerializer
{
    private readonly int _minElementSize = CollectionFormat.MinElementSize(element);

    public override void Serialize(T[] value, DataOutput output)
    {
        if (value is null)
        {
            CollectionFormat.WriteNull(output);
            return;
        }
        CollectionFormat.WriteCount(output, value.Length);
        for (var i = 0; i < value.Length; i++) element.Serialize(value[i], output);
    }

    public override T[] Deserialize(DataInput input)
    {
        var count = CollectionFormat.ReadCount(input, _minElementSize);
        if (count < 0) return null!;
        if (count == 0) return [];
        var result = new T[count];
        for (var i = 0; i < result.Length; i++) result[i] = element.Deserialize(input);
        return result;
    }

    public override T[] Copy(T[] value)
    {
        if (value is null) return null!;
        var result = new T[value.Length];
        if (element.IsImmutable)
        {
            Array.Copy(value, result, value.Length);
        }
        else
        {
            for (var i = 0; i < value.Length; i++) result[i] = element.Copy(value[i]);
        }
        return result;
    }

    public override bool IsImmutable => false;
}
