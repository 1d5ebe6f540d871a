namespace StreamShield.State;

/// <summary>
/// Implemented by a function (a Map, a FlatMap, a ProcessFunction, a sink) that keeps operator state: state per
/// parallel instance rather than per key, such as a buffer or an offset. Flink's CheckpointedFunction.
/// </summary>
public interface ICheckpointedFunction
{
    /// <summary>Called before Open: obtain state handles here; on restore they already hold the restored values.</summary>
    void InitializeState(IOperatorStateStore store, bool isRestored);

    /// <summary>Called at each checkpoint barrier, on the subtask thread: bring the state handles up to date.</summary>
    void SnapshotState(long checkpointId);
}

/// <summary>Operator (non-keyed) state of one parallel instance.</summary>
public interface IOperatorStateStore
{
    /// <summary>
    /// List state split across instances on rescale: each instance gets a share of all instances' entries.
    /// </summary>
    IOperatorListState<T> GetListState<T>(string name);

    /// <summary>List state where every instance gets all instances' entries on restore.</summary>
    IOperatorListState<T> GetUnionListState<T>(string name);

    /// <summary>Map state that is the same on every instance (broadcast state); each instance restores one copy.</summary>
    IBroadcastState<TKey, TValue> GetBroadcastState<TKey, TValue>(string name) where TKey : notnull;
}

/// <summary>A list of entries in operator state.</summary>
public interface IOperatorListState<T>
{
    /// <summary>The current entries.</summary>
    IReadOnlyList<T> Get();
    /// <summary>Appends an entry.</summary>
    void Add(T value);
    /// <summary>Replaces the entries.</summary>
    void Update(IEnumerable<T> values);
    /// <summary>Removes all entries.</summary>
    void Clear();
}

/// <summary>Broadcast state: a map that every parallel instance holds identically.</summary>
public interface IBroadcastState<TKey, TValue> where TKey : notnull
{
    /// <summary>Looks up an entry.</summary>
    bool TryGetValue(TKey key, out TValue value);
    /// <summary>Adds or replaces an entry. Only call from the broadcast side so instances stay identical.</summary>
    void Put(TKey key, TValue value);
    /// <summary>Removes an entry.</summary>
    bool Remove(TKey key);
    /// <summary>All entries.</summary>
    IReadOnlyCollection<KeyValuePair<TKey, TValue>> Entries { get; }
}
