using StreamShield.Serialization;
using StreamShield.State;

namespace StreamShield.Runtime.State;

/// <summary>How operator state is redistributed when a job restores at a different parallelism.</summary>
internal enum OperatorStateMode : byte
{
    /// <summary>Entries of all subtasks are split among the new subtasks.</summary>
    Split,
    /// <summary>Every new subtask gets the entries of all old subtasks.</summary>
    Union,
    /// <summary>Every new subtask gets one old subtask's copy (all copies are equal).</summary>
    Broadcast,
}

/// <summary>One named operator state as it is stored in a checkpoint: its mode and its entries as bytes.</summary>
internal sealed record OperatorStateSnapshot(string Name, OperatorStateMode Mode, IReadOnlyList<byte[]> Entries);

/// <summary>
/// Operator (non-keyed) state of one operator subtask. Entries are small and serialized synchronously at the barrier,
/// one byte array per entry so that they can be redistributed on rescale.
/// </summary>
internal sealed class OperatorStateStore(IReadOnlyDictionary<string, OperatorStateSnapshot> restored) : IOperatorStateStore
{
    private readonly Dictionary<string, IOperatorStateEntry> _states = new(StringComparer.Ordinal);

    public IOperatorListState<T> GetListState<T>(string name) => GetListState(name, TypeSerializers.For<T>(), union: false);

    public IOperatorListState<T> GetUnionListState<T>(string name) => GetListState(name, TypeSerializers.For<T>(), union: true);

    public IOperatorListState<T> GetListState<T>(string name, TypeSerializer<T> serializer, bool union)
    {
        var mode = union ? OperatorStateMode.Union : OperatorStateMode.Split;
        if (_states.TryGetValue(name, out var existing))
            return existing as ListEntry<T> ?? throw new InvalidOperationException($"Operator state '{name}' is already registered with another type or kind.");
        var entry = new ListEntry<T>(name, mode, serializer);
        if (restored.TryGetValue(name, out var snapshot))
            foreach (var bytes in snapshot.Entries) entry.Items.Add(serializer.Deserialize(new DataInput(bytes)));
        _states[name] = entry;
        return entry;
    }

    public IBroadcastState<TKey, TValue> GetBroadcastState<TKey, TValue>(string name) where TKey : notnull
    {
        if (_states.TryGetValue(name, out var existing))
            return existing as BroadcastEntry<TKey, TValue> ?? throw new InvalidOperationException($"Operator state '{name}' is already registered with another type or kind.");
        var entry = new BroadcastEntry<TKey, TValue>(name, TypeSerializers.For<KeyValuePair<TKey, TValue>>());
        if (restored.TryGetValue(name, out var snapshot))
            foreach (var bytes in snapshot.Entries)
            {
                var kv = entry.Serializer.Deserialize(new DataInput(bytes));
                entry.Map[kv.Key] = kv.Value;
            }
        _states[name] = entry;
        return entry;
    }

    /// <summary>Serializes every registered state, plus restored states nobody registered (so they are not lost).</summary>
    public IReadOnlyList<OperatorStateSnapshot> Snapshot()
    {
        var result = _states.Values.Select(s => s.Snapshot()).ToList();
        foreach (var (name, snapshot) in restored)
            if (!_states.ContainsKey(name)) result.Add(snapshot);
        return result;
    }

    private interface IOperatorStateEntry
    {
        OperatorStateSnapshot Snapshot();
    }

    private sealed class ListEntry<T>(string name, OperatorStateMode mode, TypeSerializer<T> serializer) : IOperatorListState<T>, IOperatorStateEntry
    {
        public readonly List<T> Items = new();

        public IReadOnlyList<T> Get() => Items;
        public void Add(T value) => Items.Add(value);
        public void Update(IEnumerable<T> values)
        {
            var copy = values.ToList();
            Items.Clear();
            Items.AddRange(copy);
        }
        public void Clear() => Items.Clear();

        public OperatorStateSnapshot Snapshot()
        {
            using var output = new DataOutput();
            var entries = new List<byte[]>(Items.Count);
            foreach (var item in Items)
            {
                output.Reset();
                serializer.Serialize(item, output);
                entries.Add(output.ToArray());
            }
            return new OperatorStateSnapshot(name, mode, entries);
        }
    }

    private sealed class BroadcastEntry<TKey, TValue>(string name, TypeSerializer<KeyValuePair<TKey, TValue>> serializer)
        : IBroadcastState<TKey, TValue>, IOperatorStateEntry where TKey : notnull
    {
        public readonly Dictionary<TKey, TValue> Map = new();
        public TypeSerializer<KeyValuePair<TKey, TValue>> Serializer => serializer;

        public bool TryGetValue(TKey key, out TValue value) => Map.TryGetValue(key, out value!);
        public void Put(TKey key, TValue value) => Map[key] = value;
        public bool Remove(TKey key) => Map.Remove(key);
        public IReadOnlyCollection<KeyValuePair<TKey, TValue>> Entries => Map;

        public OperatorStateSnapshot Snapshot()
        {
            using var output = new DataOutput();
            var entries = new List<byte[]>(Map.Count);
            foreach (var kv in Map)
            {
                output.Reset();
                serializer.Serialize(kv, output);
                entries.Add(output.ToArray());
            }
            return new OperatorStateSnapshot(name, OperatorStateMode.Broadcast, entries);
        }
    }
}
