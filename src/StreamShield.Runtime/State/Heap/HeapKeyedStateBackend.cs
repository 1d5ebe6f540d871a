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
/// <para>
/// Incremental snapshots: when the coordinator names a base checkpoint this backend wrote (the newest completed
/// one when the checkpoint was triggered), each state writes only what changed since its version at that base,
/// and the checkpoint's chain is the base's chain plus this file. A snapshot is full when there is no such base,
/// for savepoints, after a restore, and when the chain grew long (<see cref="KeyedStateChain.ShouldRebase"/>).
/// </para>
/// </summary>
internal sealed class HeapKeyedStateBackend<TKey> : IKeyedStateBackend<TKey>, IKeyedStateBackendInternal
{
    private readonly Dictionary<string, ISnapshotableState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<RestoredSegment>> _restored = new(StringComparer.Ordinal);
    private readonly List<ITimerServiceInternal> _timerServices = new();
    private readonly Func<long> _processingTime;
    private readonly Action<long, Action<long>> _registerProcessingTimer;
    private readonly Dictionary<long, KeyedStateChain> _chains = new(); // chains this backend wrote, by checkpoint; guarded by itself
    private TKey _currentKey = default!;
    private int _currentKeyGroupIndex;

    public HeapKeyedStateBackend(string operatorName, int maxParallelism, KeyGroupRange range, TypeSerializer<TKey> keySerializer,
        Func<long> processingTime, Action<long, Action<long>> registerProcessingTimer, bool incremental = false)
    {
        Incremental = incremental;
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

    /// <summary>Whether snapshots may be incremental (configuration <c>state.backend.incremental</c>).</summary>
    internal bool Incremental { get; }

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

    /// <summary>
    /// Synchronous part of a snapshot: marks versions; the returned object writes the bytes later on any thread.
    /// <paramref name="baseCheckpointId"/> is the checkpoint a delta may build on (null for a full snapshot).
    /// </summary>
    public IKeyedStateSnapshot Snapshot(long checkpointId, long? baseCheckpointId)
    {
        KeyedStateChain? baseChain = null;
        if (Incremental && baseCheckpointId is long b)
        {
            lock (_chains)
            {
                foreach (var id in _chains.Keys.Where(k => k < b).ToList()) _chains.Remove(id);
                if (_chains.TryGetValue(b, out var chain) && !chain.ShouldRebase) baseChain = chain;
            }
        }
        long? effectiveBase = baseChain is null ? null : baseCheckpointId;
        var parts = _states.Values.Select(s => s.Snapshot(checkpointId, effectiveBase)).ToList();
        // Restored state that no operator has registered yet must survive into the next checkpoint too; a delta
        // leaves it where its base's chain has it.
        var pending = baseChain is null ? _restored.ToDictionary(kv => kv.Key, kv => kv.Value.ToList()) : new();
        return new HeapKeyedStateSnapshot(Range, parts, pending, baseChain, Incremental ? chain => { lock (_chains) _chains[checkpointId] = chain; } : null);
    }

    /// <summary>
    /// Takes one key group of a restored checkpoint: the segments of its chain, in order, each written by
    /// <see cref="HeapKeyedStateSnapshot"/>. Per state, the last full part and the deltas after it are applied.
    /// </summary>
    public void Restore(int keyGroup, IReadOnlyList<byte[]> segments)
    {
        if (!Range.Contains(keyGroup)) throw new InvalidOperationException($"Restoring key group {keyGroup} into subtask owning {Range}.");
        var parts = new List<(string Name, RestoredSegment Segment)>();
        foreach (var data in segments) HeapKeyedStateSnapshot.ReadParts(data, keyGroup - Range.Start, parts);
        foreach (var name in parts.Select(p => p.Name).Distinct(StringComparer.Ordinal).ToList())
        {
            var ofState = parts.Where(p => p.Name == name).Select(p => p.Segment).ToList();
            var lastFull = ofState.FindLastIndex(p => p.Kind == StatePartKind.Full);
            foreach (var segment in ofState.Skip(Math.Max(0, lastFull)))
            {
                if (_states.TryGetValue(name, out var state)) state.Restore(segment);
                else
                {
                    if (!_restored.TryGetValue(name, out var list)) _restored[name] = list = new List<RestoredSegment>();
                    list.Add(segment);
                }
            }
        }
    }

    public long EstimatedEntries => _states.Values.Sum(s => s.Count);
}

/// <summary>The runtime's view of a keyed backend, independent of the key type.</summary>
internal interface IKeyedStateBackendInternal
{
    KeyGroupRange Range { get; }
    IKeyedStateSnapshot Snapshot(long checkpointId, long? baseCheckpointId);
    void Restore(int keyGroup, IReadOnlyList<byte[]> segments);
    long EstimatedEntries { get; }
}

/// <summary>A restored state's bytes for one key group, full or a delta to apply on top of what came before.</summary>
internal readonly record struct RestoredSegment(int KeyGroupIndex, byte[] Data, int Offset, int Length, StatePartKind Kind = StatePartKind.Full);

/// <summary>A state (table or timer service) that can snapshot and restore itself per key group.</summary>
internal interface ISnapshotableState
{
    string Name { get; }
    long Count { get; }
    /// <summary>Freezes the state; with <paramref name="baseCheckpointId"/> it may write only what changed since that checkpoint's snapshot.</summary>
    IStateSnapshotPart Snapshot(long checkpointId, long? baseCheckpointId);
    void Restore(RestoredSegment segment);
}

/// <summary>A frozen version of one state, written per key group (may run on another thread).</summary>
internal interface IStateSnapshotPart : IDisposable
{
    string Name { get; }
    /// <summary>Writes one key group (index within the range) and says how to apply it; <see cref="StatePartKind.None"/> if nothing was written.</summary>
    StatePartKind WriteKeyGroup(int keyGroupIndex, DataOutput output);
}
