using StreamShield.Functions;
using StreamShield.Graph;
using StreamShield.Operators;

namespace StreamShield;

/// <summary>Two streams processed together by one two-input function (<see cref="CoProcessFunction{TIn1,TIn2,TOut}"/>).</summary>
public sealed class ConnectedStreams<T1, T2>
{
    internal ConnectedStreams(DataStream<T1> first, DataStream<T2> second)
    {
        if (first.Environment != second.Environment)
            throw new JobBuildException("Connect: both streams must belong to the same StreamEnvironment.");
        First = first;
        Second = second;
    }

    /// <summary>The first input.</summary>
    public DataStream<T1> First { get; }
    /// <summary>The second input.</summary>
    public DataStream<T2> Second { get; }

    /// <summary>Keys both inputs (the key types must match) so the function gets keyed state and timers.</summary>
    public KeyedConnectedStreams<T1, T2, TKey> KeyBy<TKey>(Func<T1, TKey> key1, Func<T2, TKey> key2) =>
        new(First.KeyBy(key1), Second.KeyBy(key2));

    /// <summary>Runs a non-keyed two-input function.</summary>
    public DataStream<TOut> Process<TOut>(CoProcessFunction<T1, T2, TOut> function, string name = "CoProcess")
    {
        ArgumentNullException.ThrowIfNull(function);
        var env = First.Environment;
        return new DataStream<TOut>(env, new OperatorTransformation(env, name, StreamType<TOut>.Instance,
            [First.Transformation, Second.Transformation], () => new CoProcessOperator<object, T1, T2, TOut>(FunctionCopy.Of(function), null, null), null));
    }
}

/// <summary>Two streams keyed the same way and processed together with shared keyed state and timers.</summary>
public sealed class KeyedConnectedStreams<T1, T2, TKey>
{
    internal KeyedConnectedStreams(KeyedStream<T1, TKey> first, KeyedStream<T2, TKey> second)
    {
        First = first;
        Second = second;
    }

    internal KeyedStream<T1, TKey> First { get; }
    internal KeyedStream<T2, TKey> Second { get; }

    /// <summary>Runs the two-input function with keyed state and timers.</summary>
    public DataStream<TOut> Process<TOut>(CoProcessFunction<T1, T2, TOut> function, string name = "KeyedCoProcess")
    {
        ArgumentNullException.ThrowIfNull(function);
        var env = First.Environment;
        var k1 = First.Key.Selector;
        var k2 = Second.Key.Selector;
        return new DataStream<TOut>(env, new OperatorTransformation(env, name, StreamType<TOut>.Instance,
            [First.Transformation, Second.Transformation], () => new CoProcessOperator<TKey, T1, T2, TOut>(FunctionCopy.Of(function), k1, k2), First.Key));
    }
}
