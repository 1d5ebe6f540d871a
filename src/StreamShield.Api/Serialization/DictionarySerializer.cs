namespace StreamShield.Serialization;

/// <summary>
/// Serializer for <see cref="Dictionary{TKey, TValue}"/>: the <see cref="CollectionFormat"/> length prefix, then key and value
/// of each entry in enumeration order. Deserialized dictionaries use the default key comparer; <see cref="Copy"/> keeps the
/// source's comparer.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class DictionarySerializer<TKey, TValue>(TypeSerializer<TKey> key, TypeSerializer<TValue> value)
    : TypeSerializer<Dictionary<TKey, TValue>>, IBuiltInSerializer where TKey : notnull
{
    private readonly int _minEntrySize = CollectionFormat.MinElementSize(key) + CollectionFormat.MinElementSize(value);

    public override void Serialize(Dictionary<TKey, TValue> dictionary, DataOutput output)
    {
        if (dictionary is null)
        {
            CollectionFormat.WriteNull(output);
            return;
        }
        CollectionFormat.WriteCount(output, dictionary.Count);
        foreach (var (k, v) in dictionary)
        {
            key.Serialize(k, output);
            value.Serialize(v, output);
        }
    }

    public override Dictionary<TKey, TValue> Deserialize(DataInput input)
    {
        var count = CollectionFormat.ReadCount(input, _minEntrySize);
        if (count < 0) return null!;
        var result = new Dictionary<TKey, TValue>(_minEntrySize > 0 ? count : Math.Min(count, input.Remaining));
        for (var i = 0; i < count; i++)
        {
            var k = key.Deserialize(input);
            var v = value.Deserialize(input);
            if (k is null) throw new CorruptDataException($"Null key in a serialized Dictionary<{typeof(TKey).Name}, {typeof(TValue).Name}>.");
            if (!result.TryAdd(k, v)) throw new CorruptDataException($"Duplicate key '{k}' in a serialized dictionary (corrupt data, or the source used a custom key comparer).");
        }
        return result;
    }

    public override Dictionary<TKey, TValue> Copy(Dictionary<TKey, TValue> dictionary)
    {
        if (dictionary is null) return null!;
        var keyImmutable = key.IsImmutable;
        var valueImmutable = value.IsImmutable;
        if (keyImmutable && valueImmutable) return new Dictionary<TKey, TValue>(dictionary, dictionary.Comparer);
        var result = new Dictionary<TKey, TValue>(dictionary.Count, dictionary.Comparer);
        foreach (var (k, v) in dictionary)
            result.Add(keyImmutable ? k : key.Copy(k), valueImmutable ? v : value.Copy(v));
        return result;
    }

    public override bool IsImmutable => false;
}
