using StreamShield.Execution;
using StreamShield.Functions;
using StreamShield.Sinks;
using StreamShield.Windowing;

namespace StreamShield.Tests.Windowing;

/// <summary>
/// Windowed jobs run embedded end to end. Sources play deterministic scripts of records and watermarks
/// (<see cref="ScriptedSource{T}"/>); expected results are computed independently with LINQ.
/// </summary>
public sealed class WindowingJobTests
{
    public sealed record Ev(string Key, long Ts, int Value);

    public sealed record Result(string Key, long Start, long End, long Sum, int Count);

    private static readonly OutputTag<Ev> Late = new("late-events");

    private static TimeSpan Ms(long ms) => TimeSpan.FromMilliseconds(ms);

    private static (StreamEnvironment Env, ManualClock Clock) Environment(int parallelism = 2)
    {
        var clock = new ManualClock();
        var env = StreamEnvironment.Create();
        env.Parallelism = parallelism;
        env.Clock = clock;
        return (env, clock);
    }

    private static DataStream<T> Play<T>(StreamEnvironment env, ManualClock clock, IReadOnlyList<ScriptStep<T>> steps, string name = "Script")
    {
        var source = new ScriptedSource<T>(steps, clock, env.AutoWatermarkInterval);
        return env.FromSource(source, source.Watermarks, name).SetParallelism(1);
    }

    private static List<Ev> RandomEvents(Random random, int count, int keys, int maxTs) =>
        Enumerable.Range(0, count).Select(_ => new Ev("k" + random.Next(keys), random.Next(0, maxTs), random.Next(1, 1000))).ToList();

    private static List<ScriptStep<Ev>> Disordered(List<Ev> events, Random random, int bound) =>
        Scripts.BoundedDisorder(events.Select(e => (e, e.Ts)), random, bound);

    private static Ev Sum(Ev a, Ev b) => new(a.Key, Math.Max(a.Ts, b.Ts), a.Value + b.Value);

    /// <summary>Sums and counts a window's values.</summary>
    private sealed class SumCount : IAggregateFunction<Ev, (long Sum, int Count), (long Sum, int Count)>
    {
        public (long Sum, int Count) CreateAccumulator() => (0, 0);
        public (long Sum, int Count) Add(Ev value, (long Sum, int Count) acc) => (acc.Sum + value.Value, acc.Count + 1);
        public (long Sum, int Count) GetResult((long Sum, int Count) acc) => acc;
        public (long Sum, int Count) Merge((long Sum, int Count) a, (long Sum, int Count) b) => (a.Sum + b.Sum, a.Count + b.Count);
    }

    /// <summary>Describes a window from its pre-aggregated (sum, count).</summary>
    private sealed class DescribeAggregate : ProcessWindowFunction<(long Sum, int Count), Result, string>
    {
        public override void Process(string key, Context context, IEnumerable<(long Sum, int Count)> elements, ICollector<Result> output)
        {
            var (sum, count) = elements.Single();
            output.Collect(new Result(key, context.Window.Start, context.Window.End, sum, count));
        }
    }

    /// <summary>Describes a window from all its elements.</summary>
    private sealed class DescribeElements : ProcessWindowFunction<Ev, Result, string>
    {
        public override void Process(string key, Context context, IEnumerable<Ev> elements, ICollector<Result> output)
        {
            var list = elements.ToList();
            output.Collect(new Result(key, context.Window.Start, context.Window.End, list.Sum(e => (long)e.Value), list.Count));
        }
    }

    private static List<Result> Sorted(IEnumerable<Result> results) => results.OrderBy(r => r.Key).ThenBy(r => r.Start).ThenBy(r => r.End).ThenBy(r => r.Sum).ToList();

    private static Result Window(string key, long start, long end, IEnumerable<Ev> events)
    {
        var list = events.ToList();
        return new Result(key, start, end, list.Sum(e => (long)e.Value), list.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TumblingEventTimeReduceOverOutOfOrderEventsMatchesLinq(int seed)
    {
        var random = new Random(seed);
        var events = RandomEvents(random, 1500, 7, 20_000);
        var (env, clock) = Environment();
        var sink = new CollectSink<Stamped<Ev>>();
        Play(env, clock, Disordered(events, random, 200))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(Ms(1000)))
            .Reduce(Sum)
            .Process(new StampFunction<Ev>())
            .SinkTo(sink);
        var result = env.Execute("tumbling");

        Assert.Equal(JobStatus.Finished, result.Status);
        var expected = events.GroupBy(e => (e.Key, Window: e.Ts / 1000))
            .Select(g => (g.Key.Key, Sum: g.Sum(e => e.Value), Timestamp: g.Key.Window * 1000 + 999, MaxTs: g.Max(e => e.Ts)))
            .Order().ToList();
        var actual = sink.Results.Select(s => (s.Value.Key, Sum: s.Value.Value, s.Timestamp, MaxTs: s.Value.Ts)).Order().ToList();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void SlidingEventTimeAggregateWithWindowFunctionMatchesLinq(int seed)
    {
        var random = new Random(seed);
        var events = RandomEvents(random, 1000, 5, 10_000);
        var (env, clock) = Environment();
        var sink = new CollectSink<Stamped<Result>>();
        Play(env, clock, Disordered(events, random, 150))
            .KeyBy(e => e.Key)
            .Window(SlidingEventTimeWindows.Of(Ms(1000), Ms(300)))
            .Aggregate(new SumCount(), new DescribeAggregate())
            .Process(new StampFunction<Result>())
            .SinkTo(sink);
        env.Execute("sliding");

        // Windows [s, s + 1000) for every multiple s of 300 with s <= ts < s + 1000, computed by brute force.
        var expected = events
            .SelectMany(e => Enumerable.Range(-4, 40).Select(i => i * 300L).Where(s => s <= e.Ts && e.Ts < s + 1000).Select(s => (e, s)))
            .GroupBy(x => (x.e.Key, x.s))
            .Select(g => Window(g.Key.Key, g.Key.s, g.Key.s + 1000, g.Select(x => x.e)));
        Assert.Equal(Sorted(expected), Sorted(sink.Results.Select(s => s.Value)));
        Assert.All(sink.Results, s => Assert.Equal(s.Value.End - 1, s.Timestamp));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void EventTimeSessionsOverOutOfOrderEventsMatchLinq(int seed)
    {
        var random = new Random(seed);
        // Bursts with gaps, so that sessions form and out-of-order events often bridge two of them.
        var events = new List<Ev>();
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            var ts = random.Next(0, 500);
            for (var i = 0; i < 250; i++)
            {
                ts += random.Next(4) == 0 ? random.Next(100, 400) : random.Next(0, 60);
                events.Add(new Ev(key, ts, random.Next(1, 100)));
            }
        }
        var (env, clock) = Environment();
        var sink = new CollectSink<Stamped<Result>>();
        Play(env, clock, Disordered(events, random, 300))
            .KeyBy(e => e.Key)
            .Window(EventTimeSessionWindows.WithGap(Ms(100)))
            .Process(new DescribeElements())
            .Process(new StampFunction<Result>())
            .SinkTo(sink);
        env.Execute("sessions");

        var expected = new List<Result>();
        foreach (var g in events.GroupBy(e => e.Key))
        {
            var session = new List<Ev>();
            foreach (var e in g.OrderBy(e => e.Ts))
            {
                if (session.Count > 0 && e.Ts > session.Max(s => s.Ts) + 100)
                {
                    expected.Add(Window(g.Key, session.Min(s => s.Ts), session.Max(s => s.Ts) + 100, session));
                    session.Clear();
                }
                session.Add(e);
            }
            expected.Add(Window(g.Key, session.Min(s => s.Ts), session.Max(s => s.Ts) + 100, session));
        }
        Assert.Equal(Sorted(expected), Sorted(sink.Results.Select(s => s.Value)));
        Assert.All(sink.Results, s => Assert.Equal(s.Value.End - 1, s.Timestamp));
    }

    [Fact]
    public void LateEventsGoToTheSideOutputAndAllowedLatenessRefiresWindows()
    {
        var (env, clock) = Environment();
        var steps = new List<ScriptStep<Ev>>
        {
            new ScriptStep<Ev>.Record(new Ev("a", 2, 1), 2),
            new ScriptStep<Ev>.Record(new Ev("b", 3, 10), 3),
            new ScriptStep<Ev>.Watermark(9),                         // [0,10) fires: a=1, b=10
            new ScriptStep<Ev>.Record(new Ev("a", 4, 2), 4),         // late but allowed: a=3
            new ScriptStep<Ev>.Record(new Ev("a", 11, 100), 11),
            new ScriptStep<Ev>.Watermark(13),
            new ScriptStep<Ev>.Record(new Ev("b", 8, 20), 8),        // late but allowed: b=30
            new ScriptStep<Ev>.Watermark(14),                        // [0,10) purged (9 + 5)
            new ScriptStep<Ev>.Record(new Ev("a", 5, 1000), 5),      // too late
            new ScriptStep<Ev>.Record(new Ev("b", 1, 2000), 1),      // too late
            new ScriptStep<Ev>.Record(new Ev("b", 15, 4), 15),
        };                                                           // end of input: [10,20) fires: a=100, b=4
        var main = new CollectSink<Stamped<Result>>();
        var late = new CollectSink<Stamped<Ev>>();
        var windowed = Play(env, clock, steps)
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(Ms(10)))
            .AllowedLateness(Ms(5))
            .SideOutputLateData(Late)
            .Aggregate(new SumCount(), new DescribeAggregate());
        windowed.Process(new StampFunction<Result>()).SinkTo(main);
        windowed.GetSideOutput(Late).Process(new StampFunction<Ev>()).SinkTo(late);
        env.Execute("lateness");

        var fired = main.Results.Select(s => (s.Value.Key, s.Value.Start, s.Value.Sum, s.Timestamp)).ToList();
        Assert.Equal([("a", 0L, 1L, 9L), ("a", 0L, 3L, 9L), ("a", 10L, 100L, 19L)], fired.Where(f => f.Key == "a"));
        Assert.Equal([("b", 0L, 10L, 9L), ("b", 0L, 30L, 9L), ("b", 10L, 4L, 19L)], fired.Where(f => f.Key == "b"));
        Assert.Equal([(new Ev("a", 5, 1000), 5L), (new Ev("b", 1, 2000), 1L)], late.Results.Select(s => (s.Value, s.Timestamp)).OrderBy(x => x.Value.Key));
    }

    [Fact]
    public void LateEventsWithoutSideOutputAreDroppedAndLatenessIsZeroByDefault()
    {
        var (env, clock) = Environment(parallelism: 1);
        var steps = new List<ScriptStep<Ev>>
        {
            new ScriptStep<Ev>.Record(new Ev("a", 2, 1), 2),
            new ScriptStep<Ev>.Watermark(9),
            new ScriptStep<Ev>.Record(new Ev("a", 9, 2), 9),   // window [0,10) already fired and purged
            new ScriptStep<Ev>.Record(new Ev("a", 10, 4), 10),
        };
        var sink = new CollectSink<Ev>();
        Play(env, clock, steps).KeyBy(e => e.Key).Window(TumblingEventTimeWindows.Of(Ms(10))).Reduce(Sum).SinkTo(sink);
        env.Execute("dropped");
        Assert.Equal([1, 4], sink.Results.Select(e => e.Value));
    }

    [Fact]
    public void SessionsMergeWhenLateButAllowedEventsBridgeThem()
    {
        var (env, clock) = Environment();
        var steps = new List<ScriptStep<Ev>>
        {
            new ScriptStep<Ev>.Record(new Ev("a", 0, 1), 0),
            new ScriptStep<Ev>.Record(new Ev("a", 30, 2), 30),
            new ScriptStep<Ev>.Record(new Ev("b", 100, 64), 100),
            new ScriptStep<Ev>.Record(new Ev("a", 9, 4), 9),     // [0,10) + [9,19) → [0,19)
            new ScriptStep<Ev>.Record(new Ev("a", 25, 8), 25),   // [25,35) + [30,40) → [25,40)
            new ScriptStep<Ev>.Watermark(17),
            new ScriptStep<Ev>.Record(new Ev("a", 19, 16), 19),  // touches both: [0,40)
            new ScriptStep<Ev>.Watermark(39),                    // a's session fires: 31
            new ScriptStep<Ev>.Record(new Ev("a", 35, 32), 35),  // extends the fired session to [0,45), which ends after the watermark
            new ScriptStep<Ev>.Watermark(44),                    // fires [0,45): 63
            new ScriptStep<Ev>.Record(new Ev("a", 1, 128), 1),   // inside the fired session: re-fires [0,45): 191
            new ScriptStep<Ev>.Watermark(64),                    // cleanup of [0,45) at 44 + 20
            new ScriptStep<Ev>.Record(new Ev("a", 2, 256), 2),   // too late
        };
        var main = new CollectSink<Stamped<Result>>();
        var late = new CollectSink<Ev>();
        var windowed = Play(env, clock, steps)
            .KeyBy(e => e.Key)
            .Window(EventTimeSessionWindows.WithGap(Ms(10)))
            .AllowedLateness(Ms(20))
            .SideOutputLateData(Late)
            .Reduce((x, y) => new Ev(x.Key, Math.Max(x.Ts, y.Ts), x.Value + y.Value), new DescribeElements());
        windowed.Process(new StampFunction<Result>()).SinkTo(main);
        windowed.GetSideOutput(Late).SinkTo(late);
        env.Execute("session-merge");

        Assert.Equal(
            [("a", 0L, 40L, 31L, 39L), ("a", 0L, 45L, 63L, 44L), ("a", 0L, 45L, 191L, 44L)],
            main.Results.Where(s => s.Value.Key == "a").Select(s => (s.Value.Key, s.Value.Start, s.Value.End, s.Value.Sum, s.Timestamp)));
        Assert.Equal([("b", 100L, 110L, 64L, 109L)],
            main.Results.Where(s => s.Value.Key == "b").Select(s => (s.Value.Key, s.Value.Start, s.Value.End, s.Value.Sum, s.Timestamp)));
        Assert.Equal([new Ev("a", 2, 256)], late.Results);
    }

    [Fact]
    public void ProcessingTimeTumblingWindowsFireWhenTheClockPassesTheirEnd()
    {
        var (env, clock) = Environment();
        var sink = new CollectSink<Stamped<Ev>>(transactional: false);
        long Emitted() => sink.Results.Sum(s => (long)s.Value.Value);
        var pause = new ScriptStep<Ev>.Pause(TimeSpan.FromMilliseconds(150));
        var tick = new ScriptStep<Ev>.AdvanceClock(1000);
        // Whether a record lands in the window of the clock before or after a tick depends on thread timing, so the
        // test checks totals per key and the windows' alignment, and ticks twice per phase so every window fires.
        var steps = new List<ScriptStep<Ev>>
        {
            new ScriptStep<Ev>.Record(new Ev("a", 0, 1), 0),
            new ScriptStep<Ev>.Record(new Ev("b", 0, 2), 0),
            new ScriptStep<Ev>.Record(new Ev("a", 0, 4), 0),
            pause, tick, pause, tick,
            new ScriptStep<Ev>.WaitUntil(() => Emitted() >= 7),
            new ScriptStep<Ev>.Record(new Ev("a", 0, 8), 0),
            pause, tick, pause, tick,
            new ScriptStep<Ev>.WaitUntil(() => Emitted() >= 15),
        };
        Play(env, clock, steps)
            .KeyBy(e => e.Key)
            .Window(TumblingProcessingTimeWindows.Of(Ms(1000)))
            .Reduce(Sum)
            .Process(new StampFunction<Ev>())
            .SinkTo(sink);
        env.Execute("processing-time");

        Assert.Equal([("a", 13L), ("b", 2L)],
            sink.Results.GroupBy(s => s.Value.Key).Select(g => (g.Key, g.Sum(s => (long)s.Value.Value))).Order());
        Assert.All(sink.Results, s => Assert.Equal(999, s.Timestamp % 1000));
        Assert.InRange(sink.Results.Count, 3, 4); // a=1+4 (or split), b=2, a=8
    }
}
