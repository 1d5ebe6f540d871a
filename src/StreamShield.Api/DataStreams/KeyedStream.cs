using StreamShield.Functions;
using StreamShield.Graph;
using StreamShield.Operators;

namespace StreamShield;

/// <summary>
/// A stream partitioned by key (<see cref="DataStream{T}.KeyBy{TKey}"/>): operators on it have keyed state and
/// timers per key. Keys hash into key groups (the environment's max parallelism), each owned by one subtask.
/// </summary>
public sealed partial class KeyedStream<T, TKey> : DataStream<T>
{
    internal KeyedStream(StreamEnvironment environment, Transformation transformation, KeyInfo<T, TKey> key)
        : base(environment, transformation) => Key = key;

    internal KeyInfo<T, TKey> Key { get; }

    internal DataStream<TOut> AddKeyedOperator<TOut>(string name, Func<StreamOperator> factory) =>
        new(Environment, new OperatorTransformation(Environment, name, Graph.StreamType<TOut>.Instance, [Transformation], factory, Key));

    /// <summary>Runs a <see cref="KeyedProcessFunction{TKey,TIn,TOut}"/> with keyed state and timers.</summary>
    public DataStream<TOut> Process<TOut>(KeyedProcessFunction<TKey, T, TOut> function, string name = "KeyedProcess")
    {
        ArgumentNullException.ThrowIfNull(function);
        var selector = Key.Selector;
        return AddKeyedOperator<TOut>(name, () => new KeyedProcessOperator<TKey, T, TOut>(FunctionCopy.Of(function), selector));
    }

    /// <summary>A rolling reduce: for each record, emits the reduction of all records of its key so far.</summary>
    public DataStream<T> Reduce(Func<T, T, T> reduce, string name = "Reduce")
    {
        ArgumentNullException.ThrowIfNull(reduce);
        var selector = Key.Selector;
        return AddKeyedOperator<T>(name, () => new KeyedReduceOperator<TKey, T>(reduce, selector));
    }

    /// <summary>A rolling aggregate: for each record, emits the aggregate of all records of its key so far.</summary>
    public DataStream<TOut> Aggregate<TAcc, TOut>(IAggregateFunction<T, TAcc, TOut> aggregate, string name = "Aggregate")
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        var selector = Key.Selector;
        return AddKeyedOperator<TOut>(name, () => new KeyedAggregateOperator<TKey, T, TAcc, TOut>(aggregate, selector));
    }
}
