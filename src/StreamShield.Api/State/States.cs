namespace StreamShield.State;

/// <summary>A single value per key.</summary>
public interface IValueState<T>
{
    /// <summary>The current key's value, or the descriptor's default.</summary>
    T Value { get; }
    /// <summary>Sets the current key's value.</summary>
    void Update(T value);
    /// <summary>Removes the current key's value.</summary>
    void Clear();
}

/// <summary>A list of values per key.</summary>
public interface IListState<T>
{
    /// <summary>The current key's values (empty if none). Do not keep the result across records.</summary>
    IReadOnlyList<T> Get();
    /// <summary>Appends a value.</summary>
    void Add(T value);
    /// <summary>Replaces all values.</summary>
    void Update(IEnumerable<T> values);
    /// <summary>Removes all values of the current key.</summary>
    void Clear();
}

/// <summary>A map per key.</summary>
public interface IMapState<TKey, TValue> where TKey : notnull
{
    /// <summary>Looks up a mapping.</summary>
    bool TryGetValue(TKey key, out TValue value);
    /// <summary>Adds or replaces a mapping.</summary>
    void Put(TKey key, TValue value);
    /// <summary>Removes a mapping.</summary>
    bool Remove(TKey key);
    /// <summary>True if there is a mapping for <paramref name="key"/>.</summary>
    bool ContainsKey(TKey key);
    /// <summary>All mappings of the current key (a copy; safe to modify the state while iterating it).</summary>
    IReadOnlyList<KeyValuePair<TKey, TValue>> Entries();
    /// <summary>True if the current key has no mappings.</summary>
    bool IsEmpty { get; }
    /// <summary>Removes all mappings of the current key.</summary>
    void Clear();
}

/// <summary>A value per key that new values are folded into with a reduce function.</summary>
public interface IReducingState<T>
{
    /// <summary>The reduced value, or default if none.</summary>
    T Get();
    /// <summary>Whether the current key has a value.</summary>
    bool HasValue { get; }
    /// <summary>Folds a value in.</summary>
    void Add(T value);
    /// <summary>Removes the value.</summary>
    void Clear();
}

/// <summary>An accumulator per key that values are added to; reads return the aggregate's result.</summary>
public interface IAggregatingState<in TIn, out TOut>
{
    /// <summary>The result for the current key, from a fresh accumulator if none.</summary>
    TOut Get();
    /// <summary>Whether the current key has an accumulator.</summary>
    bool HasValue { get; }
    /// <summary>Adds a value.</summary>
    void Add(TIn value);
    /// <summary>Removes the accumulator.</summary>
    void Clear();
}
