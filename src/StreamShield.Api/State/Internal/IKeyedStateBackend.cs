using StreamShield.Serialization;

namespace StreamShield.State.Internal;

/// <summary>
/// Keyed state of one operator subtask: tables of (key, namespace) → value, partitioned by key group, plus
/// timers. The current key is set by the operator before each record or timer, and state handles read and
/// write under it. Implemented by the runtime's state backends.
/// </summary>
internal interface IKeyedStateBackend<TKey>
{
    TKey CurrentKey { get; }

    /// <summary>Sets the current key; throws a clear error for a null key.</summary>
    void SetCurrentKey(TKey key);

    /// <summary>Gets or creates the named table. Re-registering a name with other types fails.</summary>
    IStateTable<TKey, TNamespace, TValue> GetOrCreateTable<TNamespace, TValue>(
        string name, TypeSerializer<TNamespace> namespaceSerializer, TypeSerializer<TValue> valueSerializer)
        where TNamespace : notnull;

    /// <summary>Gets or creates the named timer service (one per operator, usually).</summary>
    IInternalTimerService<TNamespace> GetTimerService<TNamespace>(string name, TypeSerializer<TNamespace> namespaceSerializer, ITimerTarget<TKey, TNamespace> target)
        where TNamespace : notnull;

    /// <summary>Advances event time of all timer services: fires due event-time timers, with the current key set.</summary>
    void AdvanceWatermark(long watermark);
}

/// <summary>One state's entries: values by namespace under the backend's current key.</summary>
internal interface IStateTable<TKey, TNamespace, TValue> where TNamespace : notnull
{
    bool TryGet(TNamespace ns, out TValue value);

    /// <summary>A reference to the stored value to mutate in place (copied first if a snapshot still shares it).</summary>
    ref TValue GetForUpdate(TNamespace ns, out bool exists);

    void Put(TNamespace ns, TValue value);

    bool Remove(TNamespace ns);

    /// <summary>Serializer of the values, for copies.</summary>
    TypeSerializer<TValue> ValueSerializer { get; }
}

/// <summary>Timers of a keyed operator, by (timestamp, key, namespace).</summary>
internal interface IInternalTimerService<TNamespace>
{
    long CurrentWatermark { get; }
    long CurrentProcessingTime { get; }
    void RegisterEventTimeTimer(TNamespace ns, long timestamp);
    void DeleteEventTimeTimer(TNamespace ns, long timestamp);
    void RegisterProcessingTimeTimer(TNamespace ns, long timestamp);
    void DeleteProcessingTimeTimer(TNamespace ns, long timestamp);
}

/// <summary>Receives fired timers; the backend's current key is the timer's key during the call.</summary>
internal interface ITimerTarget<TKey, TNamespace>
{
    void OnEventTime(TKey key, TNamespace ns, long timestamp);
    void OnProcessingTime(TKey key, TNamespace ns, long timestamp);
}

/// <summary>The namespace of state that is not scoped to a window.</summary>
internal readonly struct VoidNamespace : IEquatable<VoidNamespace>
{
    public static readonly VoidNamespace Instance;
    public bool Equals(VoidNamespace other) => true;
    public override bool Equals(object? obj) => obj is VoidNamespace;
    public override int GetHashCode() => 0;
}

/// <summary>Serializer of <see cref="VoidNamespace"/>: zero bytes.</summary>
internal sealed class VoidNamespaceSerializer : TypeSerializer<VoidNamespace>
{
    public static readonly VoidNamespaceSerializer Instance = new();
    public override void Serialize(VoidNamespace value, DataOutput output) { }
    public override VoidNamespace Deserialize(DataInput input) => default;
    public override bool IsImmutable => true;
}
