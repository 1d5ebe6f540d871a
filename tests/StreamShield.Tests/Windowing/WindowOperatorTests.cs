using StreamShield.Functions;
using StreamShield.Operators;
using StreamShield.Operators.Windowing;
using StreamShield.Windowing;

namespace StreamShield.Tests.Windowing;

/// <summary>Window operator semantics, driven directly against an in-memory keyed backend (no runtime).</summary>
public sealed class WindowOperatorTests
{
    public sealed record Ev(string Key, long Ts, int Value);

    public sealed record Result(string Key, long Start, long End, long Value);

    private static readonly OutputTag<Ev> Late = new("late");

    private static TimeSpan Ms(long ms) => TimeSpan.FromMilliseconds(ms);

    private static KeyedStream<Ev, string> Keyed() => StreamEnvironment.Create().FromCollection(Array.Empty<Ev>()).KeyBy(e => e.Key);

    private static Ev Sum(Ev a, Ev b) => new(a.Key, Math.Max(a.Ts, b.Ts), a.Value + b.Value);

    private static OperatorHarness<string, Ev, T> Harness<T>(DataStream<T> stream) => new(stream);

    private static WindowOperator<string, Ev, TView, TOut> Op<TView, TOut>(OperatorHarness<string, Ev, TOut> h) =>
        (WindowOperator<string, Ev, TView, TOut>)h.Operator;

    private static void Add(OperatorHarness<string, Ev, Ev> h, string key, long ts, int value) => h.Element(new Ev(key, ts, value), ts);

    private static (string, int, long)[] Emitted(OperatorHarness<string, Ev, Ev> h) =>
        h.Output.Records.Select(r => (r.Value.Key, r.Value.Value, r.Timestamp)).OrderBy(r => r.Timestamp).ThenBy(r => r.Key).ToArray();

    /// <summary>Sums values and emits (key, window, sum) through a ProcessWindowFunction.</summary>
    private sealed class SumAggregate : IAggregateFunction<Ev, long, long>
    {
        public long CreateAccumulator() => 0;
        public long Add(Ev value, long accumulator) => accumulator + value.Value;
        public long GetResult(long accumulator) => accumulator;
        public long Merge(long a, long b) => a + b;
    }

    private sealed class Describe : ProcessWindowFunction<long, Result, string>
    {
        public override void Process(string key, Context context, IEnumerable<long> elements, ICollector<Result> output)
        {
            foreach (var sum in elements) output.Collect(new Result(key, context.Window.Start, context.Window.End, sum));
        }
    }

    private sealed class ListElements : ProcessWindowFunction<Ev, string, string>
    {
        public static readonly OutputTag<string> Info = new("info");

        public override void Process(string key, Context context, IEnumerable<Ev> elements, ICollector<string> output)
        {
            output.Collect($"{key}[{context.Window.Start},{context.Window.End}):{string.Join(",", elements.Select(e => e.Value))}");
            context.Output(Info, $"wm={context.CurrentWatermark}");
        }
    }

    [Fact]
    public void TumblingReduceFiresWhenTheWatermarkReachesTheWindowsMaxTimestamp()
    {
        var h = Harness(Keyed().Window(TumblingEventTimeWindows.Of(Ms(10))).Reduce(Sum));
        Add(h, "a", 3, 1);
        Add(h, "b", 5, 10);
        Add(h, "a", 12, 100);
        Add(h, "a", 1, 2); // out of order, still on time
        Add(h, "b", 19, 20);

        h.Watermark(8);
        Assert.Empty(h.Output.Records);

        h.Watermark(9);
        Assert.Equal([("a", 3, 9L), ("b", 10, 9L)], Emitted(h));

        h.Watermark(19);
        Assert.Equal([("a", 3, 9L), ("b", 10, 9L), ("a", 100, 19L), ("b", 20, 19L)], Emitted(h));
        Assert.Equal([8L, 9L, 19L], h.Output.Watermarks);

        Assert.Equal(0, h.Backend.EntryCount(WindowContents<Ev, Ev>.StateName));
        Assert.Equal(0, h.Backend.TimerCount);
    }

    [Fact]
    public void LateElementsAreDroppedAndCountedWithoutASideOutput()
    {
        var h = Harness(Keyed().Window(TumblingEventTimeWindows.Of(Ms(10))).Reduce(Sum));
        Add(h, "a", 5, 1);
        h.Watermark(9);
        Add(h, "a", 3, 7);
        Add(h, "a", 9, 7);
        Assert.Equal([("a", 1, 9L)], Emitted(h));
        Assert.Equal(2, Op<Ev, Ev>(h).NumLateRecordsDropped);
        Assert.Empty(h.Output.SideOutputs);
        Assert.Equal(0, h.Backend.EntryCount(WindowContents<Ev, Ev>.StateName));
    }

    [Fact]
    public void LateElementsGoToTheLateDataSideOutputWithTheirTimestamp()
    {
        var h = Harness(Keyed().Window(TumblingEventTimeWindows.Of(Ms(10))).SideOutputLateData(Late).Reduce(Sum));
        Add(h, "a", 5, 1);
        h.Watermark(12);
        Add(h, "a", 3, 7);
        Add(h, "a", 15, 8); // on time: window [10, 20)
        Assert.Equal([("late", (object?)new Ev("a", 3, 7), 3L)], h.Output.SideOutputs);
        Assert.Equal(0, Op<Ev, Ev>(h).NumLateRecordsDropped);
        h.Watermark(19);
        Assert.Equal([("a", 1, 9L), ("a", 8, 19L)], Emitted(h));
    }

    [Fact]
    public void AllowedLatenessRefiresTheWindowForEachLateElementUntilCleanup()
    {
        var h = Harness(Keyed().Window(TumblingEventTimeWindows.Of(Ms(10))).AllowedLateness(Ms(5)).SideOutputLateData(Late).Reduce(Sum));
        Add(h, "a", 2, 1);
        h.Watermark(9);
        Assert.Equal([("a", 1, 9L)], Emitted(h));

        Add(h, "a", 4, 2); // late but within lateness: fires at once with the updated sum
        Assert.Equal([("a", 1, 9L), ("a", 3, 9L)], Emitted(h));

        h.Watermark(13);
        Add(h, "a", 6, 4);
        Assert.Equal([("a", 1, 9L), ("a", 3, 9L), ("a", 7, 9L)], Emitted(h));
        Assert.Empty(h.Output.SideOutputs);

        h.Watermark(14); // cleanup time = 9 + 5: state purged, nothing emitted
        Assert.Equal(3, h.Output.Records.Count);
        Assert.Equal(0, h.Backend.EntryCount(WindowContents<Ev, Ev>.StateName));
        Assert.Equal(0, h.Backend.TimerCount);

        Add(h, "a", 7, 8);
        Assert.Equal([("late", (object?)new Ev("a", 7, 8), 7L)], h.Output.SideOutputs);
        Assert.Equal(3, h.Output.Records.Count);
    }

    [Fact]
    public void AnElementIsLateOnlyIfAllItsSlidingWindowsAre()
    {
        var h = Harness(Keyed().Window(SlidingEventTimeWindows.Of(Ms(10), Ms(5))).SideOutputLateData(Late).Reduce(Sum));
        Add(h, "a", 7, 1); // [0,10) and [5,15)
        h.Watermark(9);
        Assert.Equal([("a", 1, 9L)], Emitted(h));
        Add(h, "a", 8, 2); // [0,10) is gone, [5,15) is not: added there, not late
        Assert.Empty(h.Output.SideOutputs);
        Assert.Equal(0, Op<Ev, Ev>(h).NumLateRecordsDropped);
        h.Watermark(14);
        Assert.Equal([("a", 1, 9L), ("a", 3, 14L)], Emitted(h));
        Add(h, "a", 4, 4); // [-5,5) and [0,10): both late
        Assert.Single(h.Output.SideOutputs);
    }

    [Fact]
    public void SessionWindowsMergeWhenABridgingElementArrives()
    {
        var h = Harness(Keyed().Window(EventTimeSessionWindows.WithGap(Ms(10))).Reduce(Sum));
        var op = Op<Ev, Ev>(h);
        Add(h, "a", 0, 1);
        Add(h, "a", 30, 2);
        Assert.Equal([new TimeWindow(0, 10), new TimeWindow(30, 40)], op.ActiveWindowsOfCurrentKey);
        Add(h, "a", 9, 4);
        Assert.Equal([new TimeWindow(0, 19), new TimeWindow(30, 40)], op.ActiveWindowsOfCurrentKey);
        Add(h, "a", 25, 8);
        Assert.Equal([new TimeWindow(0, 19), new TimeWindow(25, 40)], op.ActiveWindowsOfCurrentKey);
        Add(h, "b", 12, 100);
        Add(h, "a", 19, 16); // touches both sessions: all merge
        Assert.Equal([new TimeWindow(0, 40)], op.ActiveWindowsOfCurrentKey);

        h.Watermark(21);
        Assert.Equal([("b", 100, 21L)], Emitted(h)); // b's session [12, 22)
        h.Watermark(38);
        Assert.Single(h.Output.Records); // the timers of merged-away windows (9, 18, 39...) were moved to the cover
        h.Watermark(39);
        Assert.Equal([("b", 100, 21L), ("a", 31, 39L)], Emitted(h));

        Assert.Equal(0, h.Backend.EntryCount(WindowContents<Ev, Ev>.StateName));
        Assert.Equal(0, h.Backend.EntryCount(MergingWindowSet.StateName));
        Assert.Equal(0, h.Backend.TimerCount);
    }

    [Fact]
    public void SessionProcessSeesTheElementsOfMergedSessionsAndTheCoverWindow()
    {
        var h = Harness(Keyed().Window(EventTimeSessionWindows.WithGap(Ms(10))).Process(new ListElements()));
        h.Element(new Ev("a", 0, 1), 0);
        h.Element(new Ev("a", 15, 2), 15);
        h.Element(new Ev("a", 8, 3), 8); // bridges [0,10) and [15,25)
        h.Element(new Ev("a", 40, 4), 40);
        h.Watermark(100);
        Assert.Equal(["a[0,25):1,2,3", "a[40,50):4"], h.Output.Values);
        Assert.All(h.Output.SideOutputs, s => Assert.Equal("wm=100", s.Value));
        Assert.Equal([24L, 49L], h.Output.Records.Select(r => r.Timestamp));
        Assert.Equal([24L, 49L], h.Output.SideOutputs.Select(r => r.Timestamp));
    }

    [Fact]
    public void SessionAggregateMergesAccumulators()
    {
        var h = Harness(Keyed().Window(EventTimeSessionWindows.WithGap(Ms(5))).Aggregate(new SumAggregate(), new Describe()));
        foreach (var (ts, v) in new[] { (0L, 1), (20L, 2), (3L, 4), (16L, 8), (7L, 16), (12L, 32) })
            h.Element(new Ev("k", ts, v), ts);
        h.Watermark(long.MaxValue);
        Assert.Equal([new Result("k", 0, 25, 63)], h.Output.Values);
    }

    [Fact]
    public void SessionWithAllowedLatenessExtendsAndRefiresAFiredSession()
    {
        var h = Harness(Keyed().Window(EventTimeSessionWindows.WithGap(Ms(10))).AllowedLateness(Ms(20)).SideOutputLateData(Late).Reduce(Sum));
        Add(h, "a", 0, 1);
        h.Watermark(9);
        Assert.Equal([("a", 1, 9L)], Emitted(h));

        Add(h, "a", 5, 2); // merges into [0,15), whose end is still ahead of the watermark: fires later
        Assert.Single(h.Output.Records);
        h.Watermark(14);
        Assert.Equal([("a", 1, 9L), ("a", 3, 14L)], Emitted(h));

        Add(h, "a", 2, 4); // inside the fired session [0,15): fires again at once
        Assert.Equal([("a", 1, 9L), ("a", 3, 14L), ("a", 7, 14L)], Emitted(h));

        h.Watermark(34); // cleanup of [0,15) at 14 + 20
        Assert.Equal(0, h.Backend.EntryCount(WindowContents<Ev, Ev>.StateName));
        Assert.Equal(0, h.Backend.EntryCount(MergingWindowSet.StateName));
        Add(h, "a", 3, 8);
        Assert.Single(h.Output.SideOutputs);
        Assert.Equal(3, h.Output.Records.Count);
    }

    [Fact]
    public void ProcessingTimeTumblingWindowsFireOnTheClock()
    {
        var h = Harness(Keyed().Window(TumblingProcessingTimeWindows.Of(Ms(100))).Reduce(Sum));
        h.Backend.ProcessingTime = 50;
        h.Element(new Ev("a", 0, 1), long.MinValue);
        h.Element(new Ev("a", 0, 2), long.MinValue);
        h.ProcessingTime(98);
        Assert.Empty(h.Output.Records);
        h.ProcessingTime(99);
        Assert.Equal([("a", 3, 99L)], Emitted(h));
        h.Element(new Ev("a", 0, 4), long.MinValue); // at 99 still: window [0,100) again
        h.Backend.ProcessingTime = 150;
        h.Element(new Ev("a", 0, 8), long.MinValue);
        h.ProcessingTime(250);
        Assert.Equal([("a", 3, 99L), ("a", 4, 99L), ("a", 8, 199L)], Emitted(h));
        Assert.Equal(0, h.Backend.EntryCount(WindowContents<Ev, Ev>.StateName));
    }

    [Fact]
    public void ProcessingTimeSessionsMergeAndMoveTheirTimer()
    {
        var h = Harness(Keyed().Window(ProcessingTimeSessionWindows.WithGap(Ms(100))).Reduce(Sum));
        h.Backend.ProcessingTime = 0;
        h.Element(new Ev("a", 0, 1), long.MinValue);
        h.Backend.ProcessingTime = 50;
        h.Element(new Ev("a", 0, 2), long.MinValue);
        h.ProcessingTime(120);
        Assert.Empty(h.Output.Records);
        h.ProcessingTime(149);
        Assert.Equal([("a", 3, 149L)], Emitted(h));
        Assert.Equal(0, h.Backend.TimerCount);
        Assert.Equal(0, h.Backend.EntryCount(MergingWindowSet.StateName));
    }

    [Fact]
    public void ExceptionsInUserFunctionsNameTheOperator()
    {
        var h = Harness(Keyed().Window(TumblingEventTimeWindows.Of(Ms(10))).Reduce((_, _) => throw new FormatException("boom"), "my window"));
        Add(h, "a", 1, 1);
        var e = Assert.Throws<UserFunctionException>(() => Add(h, "a", 2, 1));
        Assert.Equal("my window", e.OperatorName);
        Assert.IsType<FormatException>(e.InnerException);
    }

    [Fact]
    public void EventTimeWindowsRefuseRecordsWithoutTimestamps()
    {
        var h = Harness(Keyed().Window(TumblingEventTimeWindows.Of(Ms(10))).Reduce(Sum));
        var e = Assert.Throws<UserFunctionException>(() => h.Element(new Ev("a", 1, 1), long.MinValue));
        Assert.Contains("AssignTimestampsAndWatermarks", e.Message);
    }

    public static TheoryData<string, int> RandomCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var kind in new[] { "tumbling", "sliding", "session" })
            foreach (var seed in new[] { 1, 2, 3 })
                data.Add(kind, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void OutOfOrderEventsGiveTheSameWindowsAsLinq(string kind, int seed)
    {
        var random = new Random(seed);
        const int bound = 30;
        var events = Enumerable.Range(0, 400)
            .Select(_ => new Ev(((char)('a' + random.Next(5))).ToString(), random.Next(0, 2000), random.Next(1, 100)))
            .ToList();
        // Bounded disorder: arrival order by timestamp plus a random delay of at most `bound`.
        var arrival = events.OrderBy(e => e.Ts + random.Next(0, bound + 1)).ToList();

        WindowAssigner assigner = kind switch
        {
            "tumbling" => TumblingEventTimeWindows.Of(Ms(100)),
            "sliding" => SlidingEventTimeWindows.Of(Ms(100), Ms(30)),
            _ => EventTimeSessionWindows.WithGap(Ms(25)),
        };
        var h = Harness(Keyed().Window(assigner).Aggregate(new SumAggregate(), new Describe()));
        var maxSeen = long.MinValue;
        foreach (var e in arrival)
        {
            h.Element(e, e.Ts);
            maxSeen = Math.Max(maxSeen, e.Ts);
            if (random.Next(4) == 0) h.Watermark(maxSeen - bound - 1);
        }
        h.Watermark(long.MaxValue);

        var expected = Expected(kind, events).OrderBy(r => r.Key).ThenBy(r => r.Start).ToList();
        var actual = h.Output.Values.OrderBy(r => r.Key).ThenBy(r => r.Start).ToList();
        Assert.Equal(expected, actual);
        Assert.All(h.Output.Records, r => Assert.Equal(r.Value.End - 1, r.Timestamp));
        Assert.Equal(0, Op<long, Result>(h).NumLateRecordsDropped);
        Assert.Equal(0, h.Backend.TimerCount);
    }

    private static IEnumerable<Result> Expected(string kind, List<Ev> events)
    {
        switch (kind)
        {
            case "tumbling":
                return events.GroupBy(e => (e.Key, Start: e.Ts / 100 * 100))
                    .Select(g => new Result(g.Key.Key, g.Key.Start, g.Key.Start + 100, g.Sum(e => (long)e.Value)));
            case "sliding":
                // Windows [s, s + 100) for every s that is a multiple of 30 (possibly negative) with s <= ts < s + 100.
                return events.SelectMany(e => Enumerable.Range(-4, 80).Select(i => i * 30L).Where(s => s <= e.Ts && e.Ts < s + 100).Select(s => (e, s)))
                    .GroupBy(x => (x.e.Key, x.s))
                    .Select(g => new Result(g.Key.Key, g.Key.s, g.Key.s + 100, g.Sum(x => (long)x.e.Value)));
            default:
                var results = new List<Result>();
                foreach (var group in events.GroupBy(e => e.Key))
                {
                    Result? current = null;
                    foreach (var e in group.OrderBy(e => e.Ts))
                    {
                        if (current is not null && e.Ts <= current.End)
                            current = current with { End = Math.Max(current.End, e.Ts + 25), Value = current.Value + e.Value };
                        else
                        {
                            if (current is not null) results.Add(current);
                            current = new Result(group.Key, e.Ts, e.Ts + 25, e.Value);
                        }
                    }
                    results.Add(current!);
                }
                return results;
        }
    }
}
