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
        _maps[index] ??= new CopyOnWriteStateMap<TKey, TNamespace, TValue>(null, null, _copy);

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

    public IStateSnapshotPart Snapshot() => new Part(Name, _maps.Select(m => m is { Count: > 0 } ? m.Snapshot() : null).ToArray(),
        _backend.KeySerializer, _namespaceSerializer, ValueSerializer);

    public void Restore(RestoredSegment segment)
    {
        var input = new DataInput(segment.Data, segment.Offset, segment.Length);
        var map = Map(segment.KeyGroupIndex);
        var count = input.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var key = _backend.KeySerializer.Deserialize(input);
            var ns = _namespaceSerializer.Deserialize(input);
            var value = ValueSerializer.Deserialize(input);
            map.Put(key, ns, value);
        }
    }

    private sealed class Part(string name, StateMapSnapshot<TKey, TNamespace, TValue>?[] snapshots,
        TypeSerializer<TKey> keys, TypeSerializer<TNamespace> namespaces, TypeSerializer<TValue> values) : IStateSnapshotPart
    {
        public string Name => name;

        public void WriteKeyGroup(int keyGroupIndex, DataOutput output)
        {
            var snapshot = snapshots[keyGroupIndex];
            if (snapshot is null || snapshot.Count == 0) return;
            output.WriteInt32(snapshot.Count);
            foreach (var (k, n, v) in snapshot)
            {
                keys.Serialize(k, output);
                namespaces.Serialize(n, output);
                values.Serialize(v, output);
            }
        }

        public void Dispose()
        {
            foreach (var s in snapshots) s?.Dispose();
        }
    }
}
