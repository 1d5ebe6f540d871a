namespace StreamShield.State;

/// <summary>
/// Names a piece of state and its type. The name identifies the state in checkpoints and savepoints, so keep
/// it stable across versions of a job.
/// </summary>
public abstract class StateDescriptor
{
    private protected StateDescriptor(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A state descriptor needs a non-empty name.", nameof(name));
        Name = name;
    }

    /// <summary>The state's name, unique within its operator.</summary>
    public string Name { get; }

    /// <summary>Time-to-live; null means entries never expire.</summary>
    public StateTtlConfig? Ttl { get; private set; }

    /// <summary>Makes entries expire <paramref name="ttl"/> after they were last written (or read, if configured).</summary>
    public void EnableTimeToLive(StateTtlConfig ttl) => Ttl = ttl;
}

/// <summary>Describes an <see cref="IValueState{T}"/>.</summary>
public sealed class ValueStateDescriptor<T>(string name, T defaultValue = default!) : StateDescriptor(name)
{
    /// <summary>Value returned when the key has none.</summary>
    public T DefaultValue { get; } = defaultValue;
}

/// <summary>Describes an <see cref="IListState{T}"/>.</summary>
public sealed class ListStateDescriptor<T>(string name) : StateDescriptor(name);

/// <summary>Describes an <see cref="IMapState{TKey,TValue}"/>.</summary>
public sealed class MapStateDescriptor<TKey, TValue>(string name) : StateDescriptor(name) where TKey : notnull;

/// <summary>Describes an <see cref="IReducingState{T}"/>.</summary>
public sealed class ReducingStateDescriptor<T>(string name, Func<T, T, T> reduce) : StateDescriptor(name)
{
    /// <summary>Combines the stored value with a new one.</summary>
    public Func<T, T, T> Reduce { get; } = reduce ?? throw new ArgumentNullException(nameof(reduce));
}

/// <summary>Describes an <see cref="IAggregatingState{TIn,TOut}"/>.</summary>
public sealed class AggregatingStateDescriptor<TIn, TAcc, TOut>(string name, Functions.IAggregateFunction<TIn, TAcc, TOut> aggregate) : StateDescriptor(name)
{
    /// <summary>The aggregation.</summary>
    public Functions.IAggregateFunction<TIn, TAcc, TOut> Aggregate { get; } = aggregate ?? throw new ArgumentNullException(nameof(aggregate));
}
