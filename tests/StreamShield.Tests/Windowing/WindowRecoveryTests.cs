using StreamShield.EventTime;
using StreamShield.Execution;
using StreamShield.Functions;
using StreamShield.Sinks;
using StreamShield.Windowing;

namespace StreamShield.Tests.Windowing;

/// <summary>
/// Window and join state across failures: jobs with checkpoints, a replayable source and a transactional sink get a task
/// failure injected mid-run; the committed output must equal the LINQ expectation exactly (nothing lost, nothing
/// fired twice), so window contents, session sets, join buffers and their timers were restored from the checkpoint.
/// </summary>
public sealed class WindowRecoveryTests(Xunit.Abstractions.ITestOutputHelper log)
{
    public sealed record Ev(int Key, long Ts, long Value);

    public sealed record Result(int Key, long Start, long End, long Sum, int Count);

    private const int Records = 12_000;
    private const int Bound = 50;

    /// <summary>Jitter in [0, 40): timestamps are out of order by less than the watermark bound, so nothing is late.</summary>
    private static long Jitter(long n) => (long)((ulong)n * 2654435761UL % 40);

    private static Ev Tumbling(long n) => new((int)(n % 13), n * 2 + Jitter(n), n);

    /// <summary>Per key, events every 8 ms with a 500 ms pause every 400 records: sessions with a gap of 100 ms.</summary>
    private static Ev Session(long n) => new((int)(n % 4), n * 2 + n / 400 * 500 + Jitter(n), n);

    private static (StreamEnvironment Env, string Dir) Environment(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"ss-window-{name}-{Guid.NewGuid():N}");
        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        env.AutoWatermarkInterval = TimeSpan.FromMilliseconds(10);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(25));
        env.Checkpointing.Directory = dir;
        env.RestartStrategy = RestartStrategy.FixedDelay(5, TimeSpan.Zero);
        // Hits count turns of the loops of the subtasks with index 1 (a few per millisecond while the source is rate
        // limited): the fault fires after some checkpoints completed, so the restart restores window state.
        env.Configuration["fault.task.process"] = "throw:after=400:subtask=1";
        return (env, dir);
    }

    private static DataStream<Ev> Generate(StreamEnvironment env, Func<long, Ev> generator, string name = "Generator") =>
        env.FromGenerator(generator, Records, recordsPerSecond: 20_000,
            WatermarkStrategy<Ev>.ForBoundedOutOfOrderness(TimeSpan.FromMilliseconds(Bound)).WithTimestampAssigner(e => e.Ts), name);

    private void Report(JobExecutionResult result)
    {
        log.WriteLine($"restarts {result.Metrics.Restarts}, checkpoints {result.Metrics.CheckpointsCompleted}");
        foreach (var e in result.Timeline) log.WriteLine($"  {e.Kind}: {e.Message}");
        Assert.Equal(JobStatus.Finished, result.Status);
        Assert.True(result.Metrics.Restarts >= 1, "The injected fault did not fire; the test did not exercise recovery.");
        Assert.Contains(result.Timeline, e => e.Kind == JobEventKind.Restored);
    }

    private sealed class SumCount : IAggregateFunction<Ev, (long Sum, int Count), (long Sum, int Count)>
    {
        public (long Sum, int Count) CreateAccumulator() => (0, 0);
        public (long Sum, int Count) Add(Ev value, (long Sum, int Count) acc) => (acc.Sum + value.Value, acc.Count + 1);
        public (long Sum, int Count) GetResult((long Sum, int Count) acc) => acc;
        public (long Sum, int Count) Merge((long Sum, int Count) a, (long Sum, int Count) b) => (a.Sum + b.Sum, a.Count + b.Count);
    }

    private sealed class DescribeAggregate : ProcessWindowFunction<(long Sum, int Count), Result, int>
    {
        public override void Process(int key, Context context, IEnumerable<(long Sum, int Count)> elements, ICollector<Result> output)
        {
            var (sum, count) = elements.Single();
            output.Collect(new Result(key, context.Window.Start, context.Window.End, sum, count));
        }
    }

    private sealed class DescribeElements : ProcessWindowFunction<Ev, Result, int>
    {
        public override void Process(int key, Context context, IEnumerable<Ev> elements, ICollector<Result> output)
        {
            var list = elements.ToList();
            output.Collect(new Result(key, context.Window.Start, context.Window.End, list.Sum(e => e.Value), list.Count));
        }
    }

    private static List<Result> Sorted(IEnumerable<Result> results) => results.OrderBy(r => r.Key).ThenBy(r => r.Start).ToList();

    [Fact]
    public void TumblingWindowAggregatesAreExactlyOnceAcrossARestart()
    {
        var (env, dir) = Environment("tumbling");
        try
        {
            var sink = new CollectSink<Result>();
            Generate(env, Tumbling)
                .KeyBy(e => e.Key)
                .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(100)))
                .Aggregate(new SumCount(), new DescribeAggregate()).Uid("window")
                .SinkTo(sink);
            Report(env.Execute("tumbling-recovery"));

            var expected = Enumerable.Range(0, Records).Select(n => Tumbling(n))
                .GroupBy(e => (e.Key, Start: e.Ts / 100 * 100))
                .Select(g => new Result(g.Key.Key, g.Key.Start, g.Key.Start + 100, g.Sum(e => e.Value), g.Count()));
            Assert.Equal(Sorted(expected), Sorted(sink.Results));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void SessionWindowsAreExactlyOnceAcrossARestart()
    {
        var (env, dir) = Environment("sessions");
        try
        {
            var sink = new CollectSink<Result>();
            Generate(env, Session)
                .KeyBy(e => e.Key)
                .Window(EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(100)))
                .Process(new DescribeElements()).Uid("sessions")
                .SinkTo(sink);
            Report(env.Execute("session-recovery"));

            var expected = new List<Result>();
            foreach (var g in Enumerable.Range(0, Records).Select(n => Session(n)).GroupBy(e => e.Key))
            {
                var session = new List<Ev>();
                foreach (var e in g.OrderBy(e => e.Ts))
                {
                    if (session.Count > 0 && e.Ts > session.Max(s => s.Ts) + 100)
                    {
                        expected.Add(new Result(g.Key, session.Min(s => s.Ts), session.Max(s => s.Ts) + 100, session.Sum(s => s.Value), session.Count));
                        session.Clear();
                    }
                    session.Add(e);
                }
                expected.Add(new Result(g.Key, session.Min(s => s.Ts), session.Max(s => s.Ts) + 100, session.Sum(s => s.Value), session.Count));
            }
            Assert.True(expected.Count > 4 * 10, "the data should form many sessions");
            Assert.Equal(Sorted(expected), Sorted(sink.Results));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private sealed class PairIds : ProcessJoinFunction<Ev, Ev, (long Left, long Right)>
    {
        public override void ProcessElement(Ev left, Ev right, Context context, ICollector<(long Left, long Right)> output) =>
            output.Collect((left.Value, right.Value));
    }

    [Fact]
    public void IntervalJoinIsExactlyOnceAcrossARestart()
    {
        var (env, dir) = Environment("interval");
        try
        {
            static Ev Left(long n) => new((int)(n % 11), n * 2 + Jitter(n), n);
            static Ev Right(long n) => new((int)(n % 11), n * 2 + Jitter(n * 7 + 3), n);
            var sink = new CollectSink<(long Left, long Right)>();
            Generate(env, Left, "Left").KeyBy(e => e.Key)
                .IntervalJoin(Generate(env, Right, "Right").KeyBy(e => e.Key))
                .Between(TimeSpan.FromMilliseconds(-30), TimeSpan.FromMilliseconds(20))
                .Process(new PairIds()).Uid("join")
                .SinkTo(sink);
            Report(env.Execute("interval-join-recovery"));

            var lefts = Enumerable.Range(0, Records).Select(n => Left(n)).ToList();
            var rights = Enumerable.Range(0, Records).Select(n => Right(n)).ToList();
            var expected = (from l in lefts
                            join r in rights on l.Key equals r.Key
                            where r.Ts >= l.Ts - 30 && r.Ts <= l.Ts + 20
                            select (l.Value, r.Value)).Order().ToList();
            Assert.Equal(expected, sink.Results.Order().ToList());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
