using StreamShield.EventTime;
using StreamShield.Execution;
using StreamShield.Graph;
using StreamShield.Operators;
using StreamShield.Sources;

namespace StreamShield;

/// <summary>
/// Where a job is defined and started: Flink's StreamExecutionEnvironment. Build streams from sources, transform
/// them, add sinks, then call <see cref="Execute"/> (blocking) or <see cref="ExecuteAsync"/> (returns a handle).
/// Jobs run embedded in this process by default.
/// </summary>
/// <example>
/// <code>
/// var env = StreamEnvironment.Create();
/// env.EnableCheckpointing(TimeSpan.FromSeconds(1));
/// env.FromSequence(1, 1000).KeyBy(n => n % 10).Reduce((a, b) => a + b).Print();
/// env.Execute("sums");
/// </code>
/// </example>
public sealed class StreamEnvironment
{
    private readonly List<Transformation> _sinks = new();
    private int _parallelism = Math.Max(1, System.Environment.ProcessorCount);
    private int _maxParallelism = 128;
    private int _lastTransformationId;

    private StreamEnvironment() { }

    /// <summary>Numbers the transformations of this environment in the order the job creates them.</summary>
    internal int NextTransformationId() => Interlocked.Increment(ref _lastTransformationId);

    /// <summary>Creates an environment that runs jobs embedded in this process.</summary>
    public static StreamEnvironment Create() => new();

    /// <summary>Default parallelism of operators (default: the number of cores).</summary>
    public int Parallelism
    {
        get => _parallelism;
        set => _parallelism = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "Parallelism must be at least 1.");
    }

    /// <summary>Number of key groups (default 128): the upper bound for the parallelism of keyed operators, fixed for the job's lifetime.</summary>
    public int MaxParallelism
    {
        get => _maxParallelism;
        set => _maxParallelism = value is >= 1 and <= 32768 ? value : throw new ArgumentOutOfRangeException(nameof(value), "MaxParallelism must be between 1 and 32768.");
    }

    /// <summary>Checkpoint settings.</summary>
    public CheckpointConfig Checkpointing { get; } = new();

    /// <summary>What happens when a task fails. Default: fixed delay, unlimited when checkpointing is on (as Flink), none otherwise.</summary>
    public RestartStrategy? RestartStrategy { get; set; }

    /// <summary>How often sources emit watermarks (default 200 ms).</summary>
    public TimeSpan AutoWatermarkInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest time a partly filled network buffer waits before it is sent (default 100 ms).</summary>
    public TimeSpan BufferTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A checkpoint or savepoint directory to restore the job from (the latest complete checkpoint in it, or that savepoint).</summary>
    public string? RestorePath { get; set; }

    /// <summary>Clock for processing time and timers (tests inject a fake one).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>
    /// Runtime settings by name, like Flink's configuration (for example fault-injection points:
    /// <c>fault.task.process = throw:after=1000:subtask=0</c>). Unknown keys fail the job at build.
    /// </summary>
    public IDictionary<string, string> Configuration { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The executor; null uses the embedded executor of StreamShield.Runtime.</summary>
    public IJobExecutor? Executor { get; set; }

    /// <summary>Turns on periodic checkpoints.</summary>
    public StreamEnvironment EnableCheckpointing(TimeSpan interval, CheckpointingMode mode = CheckpointingMode.ExactlyOnce)
    {
        Checkpointing.Interval = interval;
        Checkpointing.Mode = mode;
        return this;
    }

    internal IReadOnlyList<Transformation> Sinks => _sinks;

    internal void AddSink(Transformation sink) => _sinks.Add(sink);

    /// <summary>A stream from a split-based source.</summary>
    public DataStream<T> FromSource<T, TSplit>(ISource<T, TSplit> source, WatermarkStrategy<T> watermarks, string name)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(watermarks);
        var interval = AutoWatermarkInterval;
        var t = new SourceTransformation(this, name, StreamType<T>.Instance,
            () => new SourceOperator<T, TSplit>(source, watermarks, interval), source.IsBounded);
        return new DataStream<T>(this, t);
    }

    /// <summary>A bounded stream of the given records (replayable: its position is checkpointed).</summary>
    public DataStream<T> FromCollection<T>(IEnumerable<T> records, string name = "Collection Source") =>
        FromSource(new CollectionSource<T>(records), WatermarkStrategy<T>.NoWatermarks(), name);

    /// <summary>A bounded stream of the numbers <paramref name="from"/>..<paramref name="to"/> inclusive.</summary>
    public DataStream<long> FromSequence(long from, long to, string name = "Sequence Source") =>
        FromSource(new GeneratorSource<long>(from, to, static n => n), WatermarkStrategy<long>.NoWatermarks(), name);

    /// <summary>
    /// A stream of <paramref name="count"/> records (unbounded if null) computed from their sequence number, optionally
    /// limited to <paramref name="recordsPerSecond"/> in total across subtasks. Replayable: the position is checkpointed.
    /// </summary>
    public DataStream<T> FromGenerator<T>(Func<long, T> generator, long? count, double? recordsPerSecond = null,
        WatermarkStrategy<T>? watermarks = null, string name = "Generator Source")
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "The number of records to generate must not be negative; pass null for an unbounded stream.");
        return FromSource(new GeneratorSource<T>(0, count is { } c ? c - 1 : long.MaxValue - 1, generator, recordsPerSecond),
            watermarks ?? WatermarkStrategy<T>.NoWatermarks(), name);
    }

    /// <summary>
    /// The lines of the files in <paramref name="directory"/> (one split per file; the byte offset is checkpointed).
    /// </summary>
    public DataStream<string> ReadTextFiles(string directory, string searchPattern = "*", WatermarkStrategy<string>? watermarks = null, string name = "Directory Source") =>
        FromSource(new DirectorySource(directory, searchPattern), watermarks ?? WatermarkStrategy<string>.NoWatermarks(), name);

    /// <summary>Runs the job and waits for it to end; throws <see cref="JobFailedException"/> if it fails.</summary>
    public JobExecutionResult Execute(string jobName = "StreamShield Job") =>
        ExecuteAsync(jobName).Completion.GetAwaiter().GetResult().EnsureSuccess();

    /// <summary>Starts the job and returns a handle to it. Job build errors are thrown here.</summary>
    public IJobClient ExecuteAsync(string jobName = "StreamShield Job")
    {
        if (_sinks.Count == 0)
            throw new JobBuildException("The job has no sinks, so it would compute nothing. Add a sink (SinkTo, Print, AddSink) to at least one stream before executing.");
        return (Executor ?? DefaultExecutor.Value).Start(this, jobName);
    }

    private static readonly Lazy<IJobExecutor> DefaultExecutor = new(() =>
    {
        const string name = "StreamShield.Runtime.Execution.EmbeddedExecutor, StreamShield.Runtime";
        var type = Type.GetType(name)
            ?? throw new InvalidOperationException("The embedded executor was not found. Reference the StreamShield.Runtime package from the job's project.");
        return (IJobExecutor)Activator.CreateInstance(type)!;
    });
}
