using StreamShield.Serialization;
using StreamShield.State.Internal;

namespace StreamShield.Runtime.State.Heap;

/// <summary>One keyed state on the heap: a copy-on-write map per key group, addressed by the backend's current key.</summary>
internal sealed class HeapStateTable<TKey, TNamespace, TValue> : IStateTable<TKey, TNamespace, TValue>, ISnapshotableState
    where TNamespace : notnull
{
    private readonly HeapKeyedStateBackend<TKey> _backend;
    private readonly CopyOnWriteStateMap<TKey, TNamespace, TValue>?[] _maps;
    private readonly TypeSerializer<TNamespace> _namespaceSerializer;
    private readonly Func<TValue, TValue>? _copy;
    private readonly SnapshotVersions<int[]> _versions = new(); // per checkpoint: each key group's map version (-1: no map)

    public HeapStateTable(HeapKeyedStateBackend<TKey> backend, string name, TypeSerializer<TNamespace> namespaceSerializer, TypeSerializer<TValue> valueSerializer)
    {
        _backend = backend;
        Name = name;
        _namespaceSerializer = namespaceSerializer;
        ValueSerializer = valueSerializer;
        _copy = valueSerializer.IsImmutable ? null : valueSerializer.Copy;
        _maps = new CopyOnWriteStateMap<TKey, TNamespace, TValue>?[backend.Range.Count];
    }

    public string Name { get; }
    public TypeSerializer<TValue> ValueSerializer { get; }
    public long Count => _maps.Sum(m => (long)(m?.Count ?? 0));

    private CopyOnWriteStateMap<TKey, TNamespace, TValue> Map(int index) =>
        _maps[index] ??= new CopyOnWriteStateMap<TKey, TNamespace, TValue>(null, null, _copy) { TrackChanges = _backend.Incremental };

    public bool TryGet(TNamespace ns, out TValue value)
    {
        var map = _maps[_backend.CurrentKeyGroupIndex];
        if (map is not null) return map.TryGet(_backend.CurrentKey, ns, out value!);
        value = default!;
        return false;
    }

    public ref TValue GetForUpdate(TNamespace ns, out bool exists) =>
        ref Map(_backend.CurrentKeyGroupIndex).GetForUpdate(_backend.CurrentKey, ns, out exists);

    public void Put(TNamespace ns, TValue value) => Map(_backend.CurrentKeyGroupIndex).Put(_backend.CurrentKey, ns, value);

    public bool Remove(TNamespace ns) => _maps[_backend.CurrentKeyGroupIndex]?.Remove(_backend.CurrentKey, ns) ?? false;

    /// <summary>Entries of all keys in one namespace (task thread only).</summary>
    public IEnumerable<TKey> KeysIn(TNamespace ns) => _maps.Where(m => m is not null).SelectMany(m => m!.Keys(ns));

    /// <summary>
    /// Freezes every key group's map. With a base checkpoint this state has a record of, a key group is written as a
    /// delta (removals, then entries written since the base's version) unless the map was cleared since.
    /// </summary>
    public IStateSnapshotPart Snapshot(long checkpointId, long? baseCheckpointId)
    {
        var snapshots = new StateMapSnapshot<TKey, TNamespace, TValue>?[_maps.Length];
        var versions = new int[_maps.Length];
        int[]? baseVersions = null;
        if (baseCheckpointId is long b) _versions.TryGetBase(b, out baseVersions);
        else _versions.ForgetBefore(checkpointId);
        var removals = baseVersions is null ? null : new (TKey, TNamespace)[]?[_maps.Length];
        for (var kg = 0; kg < _maps.Length; kg++)
        {
            var map = _maps[kg];
            if (map is null)
            {
                versions[kg] = -1;
                continue;
            }
            if (baseVersions is not null && baseVersions[kg] >= 0 && !map.ClearedSince(baseVersions[kg]))
                removals![kg] = map.RemovalsSince(baseVersions[kg]);
            var snapshot = map.Snapshot();
            snapshots[kg] = snapshot;
            versions[kg] = snapshot.Version;
            if (baseVersions is null) map.ForgetRemovalsThrough(snapshot.Version);
        }
        _versions.Record(checkpointId, versions);
        return new Part(Name, snapshots, baseVersions, removals, _backend.KeySerializer, _namespaceSerializer, ValueSerializer);
    }

    public void Restore(RestoredSegment segment)
    {
        var input = new DataInput(segment.Data, segment.Offset, segment.Length);
        var map = Map(segment.KeyGroupIndex);
        if (segment.Kind == StatePartKind.Delta)
        {
            for (int i = 0, removed = input.ReadInt32(); i < removed; i++)
            {
                var key = _backend.KeySerializer.Deserialize(input);
                map.Remove(key, _namespaceSerializer.Deserialize(input));
            }
        }
        else map.Clear();
        var count = input.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var key = _backend.KeySerializer.Deserialize(input);
            var ns = _namespaceSerializer.Deserialize(input);
            var value = ValueSerializer.Deserialize(input);
            map.Put(key, ns, value);
        }
    }

    private sealed class Part(string name, StateMapSnapshot<TKey, TNamespace, TValue>?[] snapshots, int[]? baseVersions, (TKey, TNamespace)[]?[]? removals,
        TypeSerializer<TKey> keys, TypeSerializer<TNamespace> namespaces, TypeSerializer<TValue> values) : IStateSnapshotPart
    {
        public string Name => name;

        public StatePartKind WriteKeyGroup(int keyGroupIndex, DataOutput output)
        {
            var snapshot = snapshots[keyGroupIndex];
            if (removals?[keyGroupIndex] is { } removed)
            {
                // A delta: removals first, then what was written since the base (a key removed and written again is in both).
                var changes = snapshot!.ChangedSince(baseVersions![keyGroupIndex]);
                if (removed.Length == 0 && !changes.MoveNext()) return StatePartKind.None;
                output.WriteInt32(removed.Length);
                foreach (var (k, n) in removed)
                {
                    keys.Serialize(k, output);
                    namespaces.Serialize(n, output);
                }
                var countAt = output.Length;
                output.WriteInt32(0);
                var count = 0;
                foreach (var (k, n, v) in snapshot.ChangedSince(baseVersions[keyGroupIndex]))
                {
                    WriteEntry(output, k, n, v);
                    count++;
                }
                output.PatchInt32(countAt, count);
                return StatePartKind.Delta;
            }
            // Full. Empty is written only when a base had this key group: there it must replace what the chain holds.
            var hadBase = baseVersions is not null && baseVersions[keyGroupIndex] >= 0;
            if ((snapshot is null || snapshot.Count == 0) && !hadBase) return StatePartKind.None;
            output.WriteInt32(snapshot?.Count ?? 0);
            if (snapshot is not null)
            {
                foreach (var (k, n, v) in snapshot) WriteEntry(output, k, n, v);
            }
            return StatePartKind.Full;
        }

        private void WriteEntry(DataOutput output, TKey key, TNamespace ns, TValue value)
        {
            keys.Serialize(key, output);
            namespaces.Serialize(ns, output);
            values.Serialize(value, output);
        }

        public void Dispose()
        {
            foreach (var s in snapshots) s?.Dispose();
        }
    }
}
