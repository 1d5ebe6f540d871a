using StreamShield.Operators;
using StreamShield.Serialization;
using StreamShield.State.Internal;

namespace StreamShield.Runtime.State.Heap;

/// <summary>
/// Keyed state on the heap, for one keyed operator subtask: a <see cref="CopyOnWriteStateMap{K,N,V}"/> per state and
/// key group, plus timer services. A snapshot's synchronous part only marks a version in every map (and copies the
/// timer lists); serializing to storage happens later on another thread, while the subtask keeps processing.
/// State restored from a checkpoint is kept as bytes per state name until the operator registers that state,
/// because only then are its serializers known.
/// </summary>
internal sealed class HeapKeyedStateBackend<TKey> : IKeyedStateBackend<TKey>, IKeyedStateBackendInternal
{
    private readonly Dictionary<string, ISnapshotableState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<RestoredSegment>> _restored = new(StringComparer.Ordinal);
    private readonly List<ITimerServiceInternal> _timerServices = new();
    private readonly Func<long> _processingTime;
    private readonly Action<long, Action<long>> _registerProcessingTimer;
    private TKey _currentKey = default!;
    private int _currentKeyGroupIndex;

    public HeapKeyedStateBackend(string operatorName, int maxParallelism, KeyGroupRange range, TypeSerializer<TKey> keySerializer,
        Func<long> processingTime, Action<long, Action<long>> registerProcessingTimer)
    {
        OperatorName = operatorName;
        MaxParallelism = maxParallelism;
        Range = range;
        KeySerializer = keySerializer;
        _processingTime = processingTime;
        _registerProcessingTimer = registerProcessingTimer;
    }

    public string OperatorName { get; }
    public int MaxParallelism { get; }
    public KeyGroupRange Range { get; }
    public TypeSerializer<TKey> KeySerializer { get; }
    public TKey CurrentKey => _currentKey;

    /// <summary>Index of the current key's group within <see cref="Range"/>.</summary>
    internal int CurrentKeyGroupIndex => _currentKeyGroupIndex;

    public void SetCurrentKey(TKey key)
    {
        if (key is null) ThrowNullKey();
        var kg = KeyGroupRangeAssignment.KeyGroupFor(KeyHasher<TKey>.Hash(key), MaxParallelism);
        if (!Range.Contains(kg)) ThrowForeignKey(key, kg);
        _currentKey = key;
        _currentKeyGroupIndex = kg - Range.Start;
    }

    /// <summary>Sets the current key when its key group is already known (timers).</summary>
    internal void SetCurrentKey(TKey key, int keyGroupIndex)
    {
        _currentKey = key;
        _currentKeyGroupIndex = keyGroupIndex;
    }

    internal int KeyGroupIndexOf(TKey key) => KeyGroupRangeAssignment.KeyGroupFor(KeyHasher<TKey>.Hash(key), MaxParallelism) - Range.Start;

    private void ThrowNullKey() => throw new KeySelectorException(
        $"The key selector of operator '{OperatorName}' returned null. Keys must not be null: map nulls to a sentinel key or filter those records out before KeyBy.");

    private void ThrowForeignKey(TKey key, int kg) => throw new InvalidOperationException(
        $"Operator '{OperatorName}' received key '{key}' of key group {kg}, which this subtask (key groups {Range}) does not own. " +
        "The key selector must be deterministic: it must return equal keys for a record on every call and in every process.");

    public IStateTable<TKey, TNamespace, TValue> GetOrCreateTable<TNamespace, TValue>(string name, TypeSerializer<TNamespace> namespaceSerializer, TypeSerializer<TValue> valueSerializer)
        where TNamespace : notnull
    {
        if (_states.TryGetValue(name, out var existing))
            return existing as HeapStateTable<TKey, TNamespace, TValue>
                ?? throw new InvalidOperationException($"State '{name}' of operator '{OperatorName}' is already registered with other types.");
        var table = new HeapStateTable<TKey, TNamespace, TValue>(this, name, namespaceSerializer, valueSerializer);
        _states[name] = table;
        if (_restored.Remove(name, out var segments)) foreach (var s in segments) table.Restore(s);
        return table;
    }

    public IInternalTimerService<TNamespace> GetTimerService<TNamespace>(string name, TypeSerializer<TNamespace> namespaceSerializer, ITimerTarget<TKey, TNamespace> target)
        where TNamespace : notnull
    {
        var stateName = "timers/" + name;
        if (_states.TryGetValue(stateName, out var existing))
            return existing as HeapTimerService<TKey, TNamespace>
                ?? throw new InvalidOperationException($"Timer service '{name}' of operator '{OperatorName}' is already registered with other types.");
        var service = new HeapTimerService<TKey, TNamespace>(this, stateName, namespaceSerializer, target, _processingTime, _registerProcessingTimer);
        _states[stateName] = service;
        _timerServices.Add(service);
        if (_restored.Remove(stateName, out var segments)) foreach (var s in segments) service.Restore(s);
        return service;
    }

    public void AdvanceWatermark(long watermark)
    {
        foreach (var t in _timerServices) t.AdvanceWatermark(watermark);
    }

    /// <summary>Synchronous part of a snapshot: marks versions; the returned object writes the bytes later on any thread.</summary>
    public IKeyedStateSnapshot Snapshot()
    {
        var parts = _states.Values.Select(s => s.Snapshot()).ToList();
        // Restored state that no operator has registered yet must survive into the next checkpoint too.
        var pending = _restored.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());
        return new HeapKeyedStateSnapshot(Range, parts, pending);
    }

    /// <summary>Takes the key groups of a restored checkpoint: (key group, bytes written by <see cref="HeapKeyedStateSnapshot"/>).</summary>
    public void Restore(int keyGroup, byte[] data)
    {
        if (!Range.Contains(keyGroup)) throw new InvalidOperationException($"Restoring key group {keyGroup} into subtask owning {Range}.");
        var input = new DataInput(data);
        var count = input.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var name = input.ReadString() ?? throw new CorruptDataException("State without a name.");
            var length = input.ReadInt32();
            var segment = new RestoredSegment(keyGroup - Range.Start, data, input.Position, length);
            input.ReadBytes(length);
            if (_states.TryGetValue(name, out var state)) state.Restore(segment);
            else
            {
                if (!_restored.TryGetValue(name, out var list)) _restored[name] = list = new List<RestoredSegment>();
                list.Add(segment);
            }
        }
    }

    public long EstimatedEntries => _states.Values.Sum(s => s.Count);
}

/// <summary>The runtime's view of a keyed backend, independent of the key type.</summary>
internal interface IKeyedStateBackendInternal
{
    KeyGroupRange Range { get; }
    IKeyedStateSnapshot Snapshot();
    void Restore(int keyGroup, byte[] data);
    long EstimatedEntries { get; }
}

/// <summary>A restored state's bytes for one key group.</summary>
internal readonly record struct RestoredSegment(int KeyGroupIndex, byte[] Data, int Offset, int Length);

/// <summary>A state (table or timer service) that can snapshot and restore itself per key group.</summary>
internal interface ISnapshotableState
{
    string Name { get; }
    long Count { get; }
    IStateSnapshotPart Snapshot();
    void Restore(RestoredSegment segment);
}

/// <summary>A frozen version of one state, written per key group (may run on another thread).</summary>
internal interface IStateSnapshotPart : IDisposable
{
    string Name { get; }
    /// <summary>Writes the entries of one key group (index within the range).</summary>
    void WriteKeyGroup(int keyGroupIndex, DataOutput output);
}
