using StreamShield.Functions;
using StreamShield.Serialization;

namespace StreamShield.State.Internal;

/// <summary>
/// Base of the keyed state handles a function sees. A handle reads and writes under the backend's current key
/// and its own current namespace (<see cref="VoidNamespace"/> except in window operators).
/// </summary>
internal abstract class KeyedStateHandle<TNamespace, TValue>(StateAccessor<TNamespace, TValue> accessor) where TNamespace : notnull
{
    protected readonly StateAccessor<TNamespace, TValue> Accessor = accessor;

    public TNamespace Namespace { get; set; } = default!;

    public void Clear() => Accessor.Remove(Namespace);
}

internal sealed class ValueStateHandle<TNamespace, T>(StateAccessor<TNamespace, T> accessor, T defaultValue)
    : KeyedStateHandle<TNamespace, T>(accessor), IValueState<T> where TNamespace : notnull
{
    public T Value => Accessor.TryGet(Namespace, out var v) ? v : defaultValue;
    public void Update(T value) => Accessor.Put(Namespace, value);
}

internal sealed class ListStateHandle<TNamespace, T>(StateAccessor<TNamespace, List<T>> accessor)
    : KeyedStateHandle<TNamespace, List<T>>(accessor), IListState<T> where TNamespace : notnull
{
    public IReadOnlyList<T> Get() => Accessor.TryGet(Namespace, out var list) ? list : Array.Empty<T>();

    public void Add(T value)
    {
        ref var list = ref Accessor.GetForUpdate(Namespace, out var exists);
        if (!exists || list is null) list = new List<T>(4);
        list.Add(value);
    }

    public void AddAll(IEnumerable<T> values)
    {
        ref var list = ref Accessor.GetForUpdate(Namespace, out var exists);
        if (!exists || list is null) list = new List<T>();
        list.AddRange(values);
    }

    public void Update(IEnumerable<T> values)
    {
        var list = new List<T>(values);
        if (list.Count == 0) Clear(); else Accessor.Put(Namespace, list);
    }
}

internal sealed class MapStateHandle<TNamespace, TKey, TValue>(StateAccessor<TNamespace, Dictionary<TKey, TValue>> accessor)
    : KeyedStateHandle<TNamespace, Dictionary<TKey, TValue>>(accessor), IMapState<TKey, TValue> where TNamespace : notnull where TKey : notnull
{
    public bool TryGetValue(TKey key, out TValue value)
    {
        if (Accessor.TryGet(Namespace, out var map) && map.TryGetValue(key, out value!)) return true;
        value = default!;
        return false;
    }

    public void Put(TKey key, TValue value)
    {
        ref var map = ref Accessor.GetForUpdate(Namespace, out var exists);
        if (!exists || map is null) map = new Dictionary<TKey, TValue>();
        map[key] = value;
    }

    public bool Remove(TKey key)
    {
        if (!Accessor.TryGet(Namespace, out var current) || !current.ContainsKey(key)) return false;
        ref var map = ref Accessor.GetForUpdate(Namespace, out _);
        var removed = map.Remove(key);
        if (map.Count == 0) Accessor.Remove(Namespace);
        return removed;
    }

    public bool ContainsKey(TKey key) => Accessor.TryGet(Namespace, out var map) && map.ContainsKey(key);

    public IReadOnlyList<KeyValuePair<TKey, TValue>> Entries() =>
        Accessor.TryGet(Namespace, out var map) ? map.ToList() : Array.Empty<KeyValuePair<TKey, TValue>>();

    public bool IsEmpty => !Accessor.TryGet(Namespace, out var map) || map.Count == 0;
}

internal sealed class ReducingStateHandle<TNamespace, T>(StateAccessor<TNamespace, T> accessor, Func<T, T, T> reduce)
    : KeyedStateHandle<TNamespace, T>(accessor), IReducingState<T> where TNamespace : notnull
{
    public T Get() => Accessor.TryGet(Namespace, out var v) ? v : default!;
    public bool HasValue => Accessor.TryGet(Namespace, out _);

    public void Add(T value)
    {
        ref var current = ref Accessor.GetForUpdate(Namespace, out var exists);
        current = exists ? reduce(current, value) : value;
    }
}

internal sealed class AggregatingStateHandle<TNamespace, TIn, TAcc, TOut>(StateAccessor<TNamespace, TAcc> accessor, IAggregateFunction<TIn, TAcc, TOut> aggregate)
    : KeyedStateHandle<TNamespace, TAcc>(accessor), IAggregatingState<TIn, TOut> where TNamespace : notnull
{
    public TOut Get() => aggregate.GetResult(Accessor.TryGet(Namespace, out var acc) ? acc : aggregate.CreateAccumulator());
    public bool HasValue => Accessor.TryGet(Namespace, out _);

    public void Add(TIn value)
    {
        ref var acc = ref Accessor.GetForUpdate(Namespace, out var exists);
        acc = aggregate.Add(value, exists ? acc : aggregate.CreateAccumulator());
    }

    /// <summary>The raw accumulator (for merging session windows).</summary>
    public bool TryGetAccumulator(out TAcc acc) => Accessor.TryGet(Namespace, out acc);
    public void SetAccumulator(TAcc acc) => Accessor.Put(Namespace, acc);
}

/// <summary>Creates state handles for descriptors against a keyed backend, for one namespace type.</summary>
internal sealed class KeyedStateFactory<TKey, TNamespace>(IKeyedStateBackend<TKey> backend, TypeSerializer<TNamespace> ns, Func<long> clock)
    where TNamespace : notnull
{
    public ValueStateHandle<TNamespace, T> Value<T>(ValueStateDescriptor<T> d) =>
        new(StateAccessor<TNamespace, T>.Create(backend, d, ns, TypeSerializers.For<T>(), clock), d.DefaultValue);

    public ListStateHandle<TNamespace, T> List<T>(ListStateDescriptor<T> d) =>
        new(StateAccessor<TNamespace, List<T>>.Create(backend, d, ns, TypeSerializers.For<List<T>>(), clock));

    public MapStateHandle<TNamespace, TK, TV> Map<TK, TV>(MapStateDescriptor<TK, TV> d) where TK : notnull =>
        new(StateAccessor<TNamespace, Dictionary<TK, TV>>.Create(backend, d, ns, TypeSerializers.For<Dictionary<TK, TV>>(), clock));

    public ReducingStateHandle<TNamespace, T> Reducing<T>(ReducingStateDescriptor<T> d) =>
        new(StateAccessor<TNamespace, T>.Create(backend, d, ns, TypeSerializers.For<T>(), clock), d.Reduce);

    public AggregatingStateHandle<TNamespace, TIn, TAcc, TOut> Aggregating<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> d) =>
        new(StateAccessor<TNamespace, TAcc>.Create(backend, d, ns, TypeSerializers.For<TAcc>(), clock), d.Aggregate);
}
