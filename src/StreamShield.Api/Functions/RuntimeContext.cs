using StreamShield.State;

namespace StreamShield.Functions;

/// <summary>
/// What a rich function sees of the runtime: which subtask it is, and (on keyed streams) its keyed state.
/// Only valid on the subtask's own thread.
/// </summary>
public abstract class RuntimeContext
{
    /// <summary>Name of the operator this function runs in.</summary>
    public abstract string OperatorName { get; }
    /// <summary>Index of this parallel instance, from 0.</summary>
    public abstract int SubtaskIndex { get; }
    /// <summary>Number of parallel instances of the operator.</summary>
    public abstract int Parallelism { get; }
    /// <summary>How many times the job has been restarted before this attempt (0 on the first run).</summary>
    public abstract int AttemptNumber { get; }

    /// <summary>Keyed value state scoped to the current key. Only on keyed streams.</summary>
    public abstract IValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor);
    /// <summary>Keyed list state scoped to the current key. Only on keyed streams.</summary>
    public abstract IListState<T> GetListState<T>(ListStateDescriptor<T> descriptor);
    /// <summary>Keyed map state scoped to the current key. Only on keyed streams.</summary>
    public abstract IMapState<TKey, TValue> GetMapState<TKey, TValue>(MapStateDescriptor<TKey, TValue> descriptor) where TKey : notnull;
    /// <summary>Keyed reducing state scoped to the current key. Only on keyed streams.</summary>
    public abstract IReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor);
    /// <summary>Keyed aggregating state scoped to the current key. Only on keyed streams.</summary>
    public abstract IAggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> descriptor);
}
