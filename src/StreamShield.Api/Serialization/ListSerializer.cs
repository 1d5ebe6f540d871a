using System.Runtime.InteropServices;

namespace StreamShield.Serialization;

/// <summary>Serializer for <see cref="List{T}"/>: the <see cref="CollectionFormat"/> length prefix, then each element.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class ListSerializer<T>(TypeSerializer<T> element) : TypeSerializer<List<T>>, IBuiltInSerializer
{
    private readonly int _minElementSize = CollectionFormat.MinElementSize(element);

    public override void Serialize(List<T> value, DataOutput output)
    {
        if (value is null)
        {
            CollectionFormat.WriteNull(output);
            return;
        }
        var items = CollectionsMarshal.AsSpan(value);
        CollectionFormat.WriteCount(output, items.Length);
        foreach (var item in items) element.Serialize(item, output);
    }

    public override List<T> Deserialize(DataInput input)
    {
        var count = CollectionFormat.ReadCount(input, _minElementSize);
        if (count < 0) return null!;
        var result = new List<T>(_minElementSize > 0 ? count : Math.Min(count, input.Remaining));
        for (var i = 0; i < count; i++) result.Add(element.Deserialize(input));
        return result;
    }

    public override List<T> Copy(List<T> value)
    {
        if (value is null) return null!;
        if (element.IsImmutable) return new List<T>(value);
        var result = new List<T>(value.Count);
        foreach (var item in CollectionsMarshal.AsSpan(value)) result.Add(element.Copy(item));
        return result;
    }

    public override bool IsImmutable => false;
}
