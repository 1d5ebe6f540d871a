using StreamShield.Functions;
using StreamShield.Operators;
using StreamShield.Operators.Windowing;
using StreamShield.Serialization;
using StreamShield.Windowing;

namespace StreamShield;

/// <summary>
/// A keyed stream grouped into windows (<see cref="KeyedStream{T,TKey}.Window"/>): Flink's WindowedStream. Configure
/// lateness and the late-data side output, then compute each window with <see cref="Reduce(Func{T,T,T},string)"/>,
/// <see cref="Aggregate{TAcc,TOut}(IAggregateFunction{T,TAcc,TOut},string)"/> (both incremental: one value of state per
/// window and key) or <see cref="Process{TOut}"/> (buffers every element of the window in state).
/// </summary>
/// <remarks>
/// Windows fire with the default triggers: event-time windows when the watermark passes their
/// <see cref="TimeWindow.MaxTimestamp"/>, processing-time windows when the clock does. Results carry the window's max
/// timestamp. Processing-time windows still pending when a bounded input ends are not fired (as in Flink).
/// </remarks>
public sealed class WindowedStream<T, TKey>
{
    private readonly KeyedStream<T, TKey> _input;
    private readonly WindowAssigner<T> _assigner;
    private long _allowedLateness;
    private OutputTag<T>? _lateDataTag;

    internal WindowedStream(KeyedStream<T, TKey> input, WindowAssigner<T> assigner)
    {
        _input = input;
        _assigner = assigner;
    }

    /// <summary>
    /// Keeps each event-time window's state until the watermark passes its end by <paramref name="lateness"/> (default 0):
    /// elements arriving in that time are added and re-fire the window with the updated result. Ignored for
    /// processing-time windows.
    /// </summary>
    public WindowedStream<T, TKey> AllowedLateness(TimeSpan lateness)
    {
        if (lateness < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lateness), lateness, "The allowed lateness cannot be negative.");
        _allowedLateness = lateness.Ticks / TimeSpan.TicksPerMillisecond;
        return this;
    }

    /// <summary>
    /// Sends elements that arrive after all their windows were purged (later than the allowed lateness) to the side
    /// output <paramref name="tag"/> instead of dropping them; read it with <see cref="DataStream{T}.GetSideOutput{TSide}"/>
    /// on the windowed result.
    /// </summary>
    public WindowedStream<T, TKey> SideOutputLateData(OutputTag<T> tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        _lateDataTag = tag;
        return this;
    }

    /// <summary>Reduces each window incrementally with <paramref name="reduce"/> and emits the reduced value when it fires.</summary>
    public DataStream<T> Reduce(Func<T, T, T> reduce, string name = "Window(Reduce)")
    {
        ArgumentNullException.ThrowIfNull(reduce);
        ValidateStateType<T>(name, "reduced value");
        return Build(name, () => new ReducingWindowContents<T>(reduce), () => PassThroughWindowFunction<T, TKey>.Instance);
    }

    /// <summary>
    /// Reduces each window incrementally and, when it fires, calls <paramref name="function"/> with the reduced value (and
    /// the window's metadata).
    /// </summary>
    public DataStream<TOut> Reduce<TOut>(Func<T, T, T> reduce, ProcessWindowFunction<T, TOut, TKey> function, string name = "Window(Reduce)")
    {
        ArgumentNullException.ThrowIfNull(reduce);
        ArgumentNullException.ThrowIfNull(function);
        ValidateStateType<T>(name, "reduced value");
        return Build(name, () => new ReducingWindowContents<T>(reduce),
            () => new InternalSingleValueProcessWindowFunction<T, TOut, TKey>(FunctionCopy.Of(function)));
    }

    /// <summary>Aggregates each window incrementally and emits the aggregate's result when it fires. Session windows need <see cref="IAggregateFunction{TIn,TAcc,TOut}.Merge"/>.</summary>
    public DataStream<TOut> Aggregate<TAcc, TOut>(IAggregateFunction<T, TAcc, TOut> aggregate, string name = "Window(Aggregate)")
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        ValidateStateType<TAcc>(name, "accumulator");
        return Build(name, () => new AggregatingWindowContents<T, TAcc, TOut>(aggregate), () => PassThroughWindowFunction<TOut, TKey>.Instance);
    }

    /// <summary>
    /// Aggregates each window incrementally and, when it fires, calls <paramref name="function"/> with the aggregate's result
    /// (and the window's metadata).
    /// </summary>
    public DataStream<TResult> Aggregate<TAcc, TOut, TResult>(
        IAggregateFunction<T, TAcc, TOut> aggregate, ProcessWindowFunction<TOut, TResult, TKey> function, string name = "Window(Aggregate)")
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        ArgumentNullException.ThrowIfNull(function);
        ValidateStateType<TAcc>(name, "accumulator");
        return Build(name, () => new AggregatingWindowContents<T, TAcc, TOut>(aggregate),
            () => new InternalSingleValueProcessWindowFunction<TOut, TResult, TKey>(FunctionCopy.Of(function)));
    }

    /// <summary>
    /// Buffers every element of each window in state and calls <paramref name="function"/> with all of them when the window
    /// fires. Costs state proportional to the window's elements; prefer Reduce or Aggregate when possible.
    /// </summary>
    public DataStream<TOut> Process<TOut>(ProcessWindowFunction<T, TOut, TKey> function, string name = "Window(Process)")
    {
        ArgumentNullException.ThrowIfNull(function);
        ValidateStateType<List<T>>(name, "element list");
        return Build(name, () => new ListWindowContents<T>(),
            () => new InternalIterableProcessWindowFunction<T, TOut, TKey>(FunctionCopy.Of(function)));
    }

    private DataStream<TOut> Build<TView, TOut>(
        string name, Func<WindowContents<T, TView>> contents, Func<InternalWindowFunction<TView, TOut, TKey>> function)
    {
        var assigner = _assigner;
        var selector = _input.Key.Selector;
        var lateness = _allowedLateness;
        var tag = _lateDataTag;
        return _input.AddKeyedOperator<TOut>(name,
            () => new WindowOperator<TKey, T, TView, TOut>(assigner, selector, contents(), function(), lateness, tag));
    }

    /// <summary>Fails at job build, naming the operator, when window state of type <typeparamref name="TState"/> cannot be serialized.</summary>
    private static void ValidateStateType<TState>(string name, string what)
    {
        try { _ = TypeSerializers.For<TState>(); }
        catch (UnsupportedTypeException e)
        {
            throw new JobBuildException(
                $"Window operator '{name}': its {what} type {typeof(TState).Name} cannot be stored in state: {e.Message} " +
                "Use a type with public members the serializer supports, or register a serializer with TypeSerializers.Register.", e);
        }
    }
}
