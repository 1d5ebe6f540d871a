using StreamShield.EventTime;
using StreamShield.Functions;
using StreamShield.Graph;
using StreamShield.Operators;
using StreamShield.Sinks;

namespace StreamShield;

/// <summary>
/// A stream of records of type <typeparamref name="T"/>: the result of a source or a transformation. Methods add
/// operators to the job; nothing runs until <see cref="StreamEnvironment.Execute"/>.
/// </summary>
public partial class DataStream<T>
{
    internal DataStream(StreamEnvironment environment, Transformation transformation)
    {
        Environment = environment;
        Transformation = transformation;
    }

    /// <summary>The environment this stream belongs to.</summary>
    public StreamEnvironment Environment { get; }

    internal Transformation Transformation { get; }

    internal DataStream<TOut> AddOperator<TOut>(string name, Func<StreamOperator> factory, KeyInfo? key = null) =>
        new(Environment, new OperatorTransformation(Environment, name, StreamType<TOut>.Instance, [Transformation], factory, key));

    /// <summary>Sets this operator's parallelism.</summary>
    public DataStream<T> SetParallelism(int parallelism)
    {
        if (parallelism < 1) throw new ArgumentOutOfRangeException(nameof(parallelism), "Parallelism must be at least 1.");
        Operator(nameof(SetParallelism)).Parallelism = parallelism;
        return this;
    }

    /// <summary>Names this operator (shown in metrics, errors and the timeline).</summary>
    public DataStream<T> Name(string name)
    {
        Operator(nameof(Name)).Name = name;
        return this;
    }

    /// <summary>Sets the stable id of this operator's state in checkpoints and savepoints. Set it on stateful operators so savepoints survive job changes.</summary>
    public DataStream<T> Uid(string uid)
    {
        Operator(nameof(Uid)).Uid = uid;
        return this;
    }

    /// <summary>Starts a new chain at this operator (it will not be fused with the previous one).</summary>
    public DataStream<T> StartNewChain()
    {
        Operator(nameof(StartNewChain)).ChainingAllowed = false;
        return this;
    }

    /// <summary>The operator a setting applies to; partitionings, unions and side outputs have none, so a setting there would be lost.</summary>
    private Transformation Operator(string setting) => Transformation switch
    {
        SourceTransformation or OperatorTransformation => Transformation,
        PartitionTransformation p => throw NotAnOperator(setting, $"the {(p.Partitioner.Kind == PartitionKind.Hash ? "KeyBy" : p.Partitioner.Kind)} partitioning of {p.Input}"),
        SideOutputTransformation s => throw NotAnOperator(setting, $"side output '{s.TagId}' of {s.Input}"),
        var other => throw NotAnOperator(setting, $"a {other.Name.ToLowerInvariant()} of {other.Inputs.Count} streams"),
    };

    private static InvalidOperationException NotAnOperator(string setting, string stream) => new(
        $"{setting} applies to operators, but this stream is {stream}, which is not an operator. " +
        $"Call {setting} on the operator that produces the stream, or on the one that consumes it.");

    /// <summary>Applies <paramref name="map"/> to each record.</summary>
    public DataStream<TOut> Map<TOut>(Func<T, TOut> map, string name = "Map")
    {
        ArgumentNullException.ThrowIfNull(map);
        return AddOperator<TOut>(name, () => new MapOperator<T, TOut>(map));
    }

    /// <summary>Keeps the records for which <paramref name="predicate"/> is true.</summary>
    public DataStream<T> Filter(Func<T, bool> predicate, string name = "Filter")
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return AddOperator<T>(name, () => new FilterOperator<T>(predicate));
    }

    /// <summary>Emits zero or more records per record.</summary>
    public DataStream<TOut> FlatMap<TOut>(Action<T, ICollector<TOut>> flatMap, string name = "FlatMap")
    {
        ArgumentNullException.ThrowIfNull(flatMap);
        return AddOperator<TOut>(name, () => new FlatMapOperator<T, TOut>(flatMap));
    }

    /// <summary>Emits the records of the sequence <paramref name="flatMap"/> returns.</summary>
    public DataStream<TOut> FlatMap<TOut>(Func<T, IEnumerable<TOut>> flatMap, string name = "FlatMap")
    {
        ArgumentNullException.ThrowIfNull(flatMap);
        return FlatMap<TOut>((v, c) => { foreach (var o in flatMap(v)) c.Collect(o); }, name);
    }

    /// <summary>Runs a <see cref="ProcessFunction{TIn,TOut}"/> (side outputs, operator state).</summary>
    public DataStream<TOut> Process<TOut>(ProcessFunction<T, TOut> function, string name = "Process")
    {
        ArgumentNullException.ThrowIfNull(function);
        return AddOperator<TOut>(name, () => new ProcessOperator<T, TOut>(FunctionCopy.Of(function)));
    }

    /// <summary>Partitions the stream by key: records with equal keys go to the same subtask, which holds their keyed state.</summary>
    public KeyedStream<T, TKey> KeyBy<TKey>(Func<T, TKey> keySelector)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        var key = new KeyInfo<T, TKey>(keySelector);
        var partition = new PartitionTransformation(Environment, Transformation, new PartitionerInfo(PartitionKind.Hash, key));
        return new KeyedStream<T, TKey>(Environment, partition, key);
    }

    /// <summary>Assigns event timestamps and generates watermarks in the middle of a pipeline.</summary>
    public DataStream<T> AssignTimestampsAndWatermarks(WatermarkStrategy<T> strategy, string name = "Timestamps/Watermarks")
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var interval = Environment.AutoWatermarkInterval;
        return AddOperator<T>(name, () => new TimestampsAndWatermarksOperator<T>(strategy, interval));
    }

    /// <summary>Merges streams of the same type.</summary>
    public DataStream<T> Union(params DataStream<T>[] others)
    {
        var inputs = new List<Transformation> { Transformation };
        inputs.AddRange(others.Select(o => o.Transformation));
        return new DataStream<T>(Environment, new UnionTransformation(Environment, inputs));
    }

    /// <summary>Connects with another stream for a two-input function (<see cref="ConnectedStreams{T1,T2}"/>).</summary>
    public ConnectedStreams<T, T2> Connect<T2>(DataStream<T2> other) => new(this, other);

    /// <summary>Subtask i sends to subtask i (parallelism must match).</summary>
    public DataStream<T> Forward() => Partition(new PartitionerInfo(PartitionKind.Forward));
    /// <summary>Round-robin to all downstream subtasks (evens out skew).</summary>
    public DataStream<T> Rebalance() => Partition(new PartitionerInfo(PartitionKind.Rebalance));
    /// <summary>Round-robin to a local subset of downstream subtasks.</summary>
    public DataStream<T> Rescale() => Partition(new PartitionerInfo(PartitionKind.Rescale));
    /// <summary>Every record to every downstream subtask.</summary>
    public DataStream<T> Broadcast() => Partition(new PartitionerInfo(PartitionKind.Broadcast));

    /// <summary>A user function picks the downstream subtask from the record's key and the number of subtasks.</summary>
    public DataStream<T> PartitionCustom<TKey>(Func<TKey, int, int> partitioner, Func<T, TKey> keySelector)
    {
        ArgumentNullException.ThrowIfNull(partitioner);
        ArgumentNullException.ThrowIfNull(keySelector);
        return Partition(new PartitionerInfo(PartitionKind.Custom, null, (record, n) => partitioner(keySelector((T)record), n)));
    }

    private DataStream<T> Partition(PartitionerInfo info) =>
        new(Environment, new PartitionTransformation(Environment, Transformation, info));

    /// <summary>The side output of this operator for <paramref name="tag"/>.</summary>
    public DataStream<TSide> GetSideOutput<TSide>(OutputTag<TSide> tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return new DataStream<TSide>(Environment, new SideOutputTransformation(Environment, Transformation, tag.Id, StreamType<TSide>.Instance));
    }

    /// <summary>Writes the stream into a two-phase-commit sink.</summary>
    public DataStreamSink<T> SinkTo<TTxn>(ISink<T, TTxn> sink, string name = "Sink")
    {
        ArgumentNullException.ThrowIfNull(sink);
        var t = new OperatorTransformation(Environment, name, StreamType<T>.Instance, [Transformation], () => new SinkOperator<T, TTxn>(sink), null, isSink: true);
        Environment.AddSink(t);
        return new DataStreamSink<T>(t);
    }

    /// <summary>Prints each record to standard output.</summary>
    public DataStreamSink<T> Print(string? prefix = null) => SinkTo(new PrintSink<T>(null, prefix), "Print");
}

/// <summary>A sink added to a job; lets its parallelism and name be set.</summary>
public sealed class DataStreamSink<T>
{
    private readonly Transformation _transformation;

    internal DataStreamSink(Transformation transformation) => _transformation = transformation;

    /// <summary>Sets the sink's parallelism.</summary>
    public DataStreamSink<T> SetParallelism(int parallelism)
    {
        if (parallelism < 1) throw new ArgumentOutOfRangeException(nameof(parallelism), "Parallelism must be at least 1.");
        _transformation.Parallelism = parallelism;
        return this;
    }

    /// <summary>Names the sink.</summary>
    public DataStreamSink<T> Name(string name)
    {
        _transformation.Name = name;
        return this;
    }

    /// <summary>Sets the sink's stable state id.</summary>
    public DataStreamSink<T> Uid(string uid)
    {
        _transformation.Uid = uid;
        return this;
    }
}
