using StreamShield.Serialization;

namespace StreamShield.State.Internal;

/// <summary>
/// Reads and writes one state's value under the current key and a namespace, hiding whether entries carry a
/// TTL timestamp. The state handles (value, list, map, ...) are written against this.
/// </summary>
internal abstract class StateAccessor<TNamespace, TValue> where TNamespace : notnull
{
    public abstract bool TryGet(TNamespace ns, out TValue value);
    public abstract ref TValue GetForUpdate(TNamespace ns, out bool exists);
    public abstract void Put(TNamespace ns, TValue value);
    public abstract void Remove(TNamespace ns);
    public abstract TypeSerializer<TValue> ValueSerializer { get; }

    public static StateAccessor<TNamespace, TValue> Create<TKey>(
        IKeyedStateBackend<TKey> backend, StateDescriptor descriptor, TypeSerializer<TNamespace> ns, TypeSerializer<TValue> value, Func<long> clock)
    {
        if (descriptor.Ttl is { } ttl)
            return new TtlAccessor<TKey, TNamespace, TValue>(backend.GetOrCreateTable(descriptor.Name, ns, new TtlValueSerializer<TValue>(value)), value, ttl, clock);
        return new PlainAccessor<TKey, TNamespace, TValue>(backend.GetOrCreateTable(descriptor.Name, ns, value));
    }
}

internal sealed class PlainAccessor<TKey, TNamespace, TValue>(IStateTable<TKey, TNamespace, TValue> table) : StateAccessor<TNamespace, TValue>
    where TNamespace : notnull
{
    public override bool TryGet(TNamespace ns, out TValue value) => table.TryGet(ns, out value);
    public override ref TValue GetForUpdate(TNamespace ns, out bool exists) => ref table.GetForUpdate(ns, out exists);
    public override void Put(TNamespace ns, TValue value) => table.Put(ns, value);
    public override void Remove(TNamespace ns) => table.Remove(ns);
    public override TypeSerializer<TValue> ValueSerializer => table.ValueSerializer;
}

/// <summary>Entries expire <see cref="StateTtlConfig.TimeToLive"/> after the last write (or read, if refreshed on read).</summary>
internal sealed class TtlAccessor<TKey, TNamespace, TValue>(
    IStateTable<TKey, TNamespace, TtlValue<TValue>> table, TypeSerializer<TValue> serializer, StateTtlConfig ttl, Func<long> clock)
    : StateAccessor<TNamespace, TValue> where TNamespace : notnull
{
    private readonly long _ttl = ttl.TtlMillis;

    public override TypeSerializer<TValue> ValueSerializer => serializer;

    public override bool TryGet(TNamespace ns, out TValue value)
    {
        if (table.TryGet(ns, out var stored))
        {
            var now = clock();
            if (now - stored.LastAccess < _ttl)
            {
                if (ttl.RefreshOnRead) table.GetForUpdate(ns, out _).LastAccess = now;
                value = stored.Value;
                return true;
            }
            table.Remove(ns);
        }
        value = default!;
        return false;
    }

    public override ref TValue GetForUpdate(TNamespace ns, out bool exists)
    {
        ref var stored = ref table.GetForUpdate(ns, out exists);
        var now = clock();
        if (exists && now - stored.LastAccess >= _ttl)
        {
            stored.Value = default!;
            exists = false;
        }
        stored.LastAccess = now;
        return ref stored.Value;
    }

    public override void Put(TNamespace ns, TValue value) => table.Put(ns, new TtlValue<TValue>(value, clock()));
    public override void Remove(TNamespace ns) => table.Remove(ns);
}

/// <summary>Serializes a TTL entry as (last access, value).</summary>
internal sealed class TtlValueSerializer<T>(TypeSerializer<T> inner) : TypeSerializer<TtlValue<T>>
{
    public override void Serialize(TtlValue<T> value, DataOutput output)
    {
        output.WriteInt64(value.LastAccess);
        inner.Serialize(value.Value, output);
    }

    public override TtlValue<T> Deserialize(DataInput input)
    {
        var last = input.ReadInt64();
        return new TtlValue<T>(inner.Deserialize(input), last);
    }

    public override TtlValue<T> Copy(TtlValue<T> value) => new(inner.Copy(value.Value), value.LastAccess);
    public override bool IsImmutable => inner.IsImmutable;
}
