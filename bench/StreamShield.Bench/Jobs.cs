using StreamShield.Sinks;
using StreamShield.Functions;
using StreamShield.Windowing;
using StreamShield.EventTime;

namespace StreamShield.Bench;

/// <summary>The benchmark jobs and their hand-written reference loops.</summary>
internal static class Jobs
{
    public const int Keys = 10_000;
    private const long EventsPerSecondOfEventTime = 1_000_000;

    public readonly record struct Event(long Key, long Timestamp);

    /// <summary>
    /// The event with sequence number <paramref name="n"/>. An unbounded generator at parallelism 2 gives each subtask half
    /// of the sequence space (starting at 0 and at 2^62), so event time is taken from the position within the half:
    /// both subtasks then advance event time together, as two partitions of one real stream would.
    /// </summary>
    public static Event EventAt(long n) =>
        new((long)(((ulong)n * 0x9E3779B97F4A7C15UL) % Keys), (n & ((1L << 62) - 1)) / (EventsPerSecondOfEventTime / 1000));

    public static StreamEnvironment Environment(bool checkpoints, IDictionary<string, string>? config = null)
    {
        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        if (checkpoints) env.EnableCheckpointing(TimeSpan.FromSeconds(10));
        if (config is not null) foreach (var (k, v) in config) env.Configuration[k] = v;
        return env;
    }

    /// <summary>generator → map → sink, all chained (two parallel pipelines).</summary>
    public static StreamEnvironment PassThrough(bool checkpoints, IDictionary<string, string>? config = null)
    {
        var env = Environment(checkpoints, config);
        env.FromGenerator(n => n, count: null).Map(x => x + 1).SinkTo(new DiscardingSink<long>());
        return env;
    }

    /// <summary>generator → keyBy → 1 s tumbling event-time window count → sink.</summary>
    public static StreamEnvironment WindowCount(bool checkpoints, IDictionary<string, string>? config = null)
    {
        var env = Environment(checkpoints, config);
        env.FromGenerator(EventAt, count: null, watermarks: WatermarkStrategy<Event>.ForMonotonousTimestamps().WithTimestampAssigner(e => e.Timestamp))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Aggregate(new Count())
            .SinkTo(new DiscardingSink<long>());
        return env;
    }

    /// <summary>generator → keyBy → rolling reduce → sink (diagnostics: the shuffle without windows).</summary>
    public static StreamEnvironment KeyedReduce(bool checkpoints)
    {
        var env = Environment(checkpoints);
        env.FromGenerator(EventAt, count: null).KeyBy(e => e.Key).Reduce((a, b) => new Event(a.Key, a.Timestamp + 1)).SinkTo(new DiscardingSink<Event>());
        return env;
    }

    /// <summary>generator → keyBy → keyed process with an event-time timer per record (diagnostics).</summary>
    public static StreamEnvironment KeyedTimers(bool checkpoints)
    {
        var env = Environment(checkpoints);
        env.FromGenerator(EventAt, count: null, watermarks: WatermarkStrategy<Event>.ForMonotonousTimestamps().WithTimestampAssigner(e => e.Timestamp))
            .KeyBy(e => e.Key).Process(new TimerPerRecord()).SinkTo(new DiscardingSink<long>());
        return env;
    }

    private sealed class TimerPerRecord : KeyedProcessFunction<long, Event, long>
    {
        public override void ProcessElement(Event value, Context context, ICollector<long> output) =>
            context.TimerService.RegisterEventTimeTimer(value.Timestamp / 1000 * 1000 + 999);

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<long> output) => output.Collect(timestamp);
    }

    /// <summary>generator → rebalance → map → sink (diagnostics: the network alone).</summary>
    public static StreamEnvironment Rebalanced(bool checkpoints)
    {
        var env = Environment(checkpoints);
        env.FromGenerator(EventAt, count: null).Rebalance().Map(e => e.Key).SinkTo(new DiscardingSink<long>());
        return env;
    }

    /// <summary>
    /// The reference for pass-through: the same user functions (generator and map, as delegates) called in a plain loop,
    /// the least any engine must do.
    /// </summary>
    public static long PassThroughLoop(CancellationToken token)
    {
        Func<long, long> generator = n => n;
        Func<long, long> map = x => x + 1;
        long n = 0, sink = 0;
        while (!token.IsCancellationRequested)
        {
            for (var i = 0; i < 4096; i++, n++) sink += map(generator(n));
        }
        GC.KeepAlive(sink);
        return n;
    }

    /// <summary>The reference for the window count: a Dictionary per window, emitted when event time passes it.</summary>
    public static long WindowCountLoop(CancellationToken token)
    {
        Func<long, Event> generator = EventAt;
        var counts = new Dictionary<long, long>();
        long n = 0, window = 0, emitted = 0;
        while (!token.IsCancellationRequested)
        {
            for (var i = 0; i < 4096; i++, n++)
            {
                var e = generator(n);
                var w = e.Timestamp / 1000;
                if (w != window)
                {
                    emitted += counts.Count;
                    counts.Clear();
                    window = w;
                }
                counts[e.Key] = counts.GetValueOrDefault(e.Key) + 1;
            }
        }
        GC.KeepAlive(emitted);
        return n;
    }

    private sealed class Count : IAggregateFunction<Event, long, long>
    {
        public long CreateAccumulator() => 0;
        public long Add(Event value, long accumulator) => accumulator + 1;
        public long GetResult(long accumulator) => accumulator;
        public long Merge(long a, long b) => a + b;
    }
}
