using StreamShield.EventTime;
using StreamShield.Functions;
using StreamShield.Sinks;
using StreamShield.State;
using StreamShield.Tests.Windowing;

namespace StreamShield.Tests.Api.DataStreams;

/// <summary>Rolling reduce and aggregate, and keyed process functions with processing-time and event-time timers.</summary>
public sealed class KeyedStreamJobTests
{
    public sealed record Reading(string Key, long Value);

    private static List<Reading> Readings(int seed, int count, int keys)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => new Reading("k" + random.Next(keys), random.Next(-50, 100))).ToList();
    }

    /// <summary>The prefix results per key, in input order: what a rolling operator must emit.</summary>
    private static Dictionary<string, List<TOut>> Rolling<TAcc, TOut>(IEnumerable<Reading> input, TAcc seed, Func<TAcc, Reading, TAcc> add, Func<TAcc, TOut> result)
    {
        var acc = new Dictionary<string, TAcc>();
        var output = new Dictionary<string, List<TOut>>();
        foreach (var r in input)
        {
            acc[r.Key] = add(acc.TryGetValue(r.Key, out var a) ? a : seed, r);
            if (!output.TryGetValue(r.Key, out var list)) output[r.Key] = list = new List<TOut>();
            list.Add(result(acc[r.Key]));
        }
        return output;
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void RollingReduceEmitsEveryPrefixSumPerKeyInOrder(int seed)
    {
        var input = Readings(seed, 4000, 13);
        var env = JobTesting.Environment(parallelism: 2);
        var sink = new CollectSink<Reading>();
        env.FromCollection(input).SetParallelism(1)
            .KeyBy(r => r.Key)
            .Reduce((a, b) => new Reading(a.Key, a.Value + b.Value))
            .SinkTo(sink);
        env.Execute("rolling-reduce");

        var expected = Rolling(input, 0L, (sum, r) => sum + r.Value, sum => sum);
        var actual = sink.Results.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Select(r => r.Value).ToList());
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, sums) in expected) Assert.Equal(sums, actual[key]);
    }

    /// <summary>Counts, sums and takes the minimum; the accumulator remembers its key so results can be told apart.</summary>
    private sealed class CountSumMin : IAggregateFunction<Reading, (string Key, int Count, long Sum, long Min), string>
    {
        public (string Key, int Count, long Sum, long Min) CreateAccumulator() => ("", 0, 0, long.MaxValue);
        public (string Key, int Count, long Sum, long Min) Add(Reading value, (string Key, int Count, long Sum, long Min) acc) =>
            (value.Key, acc.Count + 1, acc.Sum + value.Value, Math.Min(acc.Min, value.Value));
        public string GetResult((string Key, int Count, long Sum, long Min) acc) => $"{acc.Key}:{acc.Count}/{acc.Sum}/{acc.Min}";
        public (string Key, int Count, long Sum, long Min) Merge((string Key, int Count, long Sum, long Min) a, (string Key, int Count, long Sum, long Min) b) =>
            (a.Key, a.Count + b.Count, a.Sum + b.Sum, Math.Min(a.Min, b.Min));
    }

    [Theory]
    [InlineData(23)]
    [InlineData(24)]
    public void RollingAggregateEmitsEveryPrefixResultPerKeyInOrder(int seed)
    {
        var input = Readings(seed, 4000, 9);
        var env = JobTesting.Environment(parallelism: 3);
        var sink = new CollectSink<string>();
        env.FromCollection(input).SetParallelism(1)
            .KeyBy(r => r.Key)
            .Aggregate(new CountSumMin())
            .SinkTo(sink);
        env.Execute("rolling-aggregate");

        var expected = Rolling(input, (Count: 0, Sum: 0L, Min: long.MaxValue),
            (a, r) => (a.Count + 1, a.Sum + r.Value, Math.Min(a.Min, r.Value)), a => $"{a.Count}/{a.Sum}/{a.Min}");
        var actual = sink.Results.GroupBy(s => s[..s.IndexOf(':')]).ToDictionary(g => g.Key, g => g.Select(s => s[(s.IndexOf(':') + 1)..]).ToList());
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, results) in expected) Assert.Equal(results, actual[key]);
    }

    /// <summary>
    /// Registers a processing-time timer 100 ms ahead for each record (records of one key at the same time share it),
    /// and one 50 ms ahead that it deletes at once. Emits "reg" per record and "fire" per timer.
    /// </summary>
    private sealed class ProcessingTimeAlarm : KeyedProcessFunction<string, Reading, string>
    {
        public override void ProcessElement(Reading value, Context context, ICollector<string> output)
        {
            var now = context.TimerService.CurrentProcessingTime;
            context.TimerService.RegisterProcessingTimeTimer(now + 100);
            context.TimerService.RegisterProcessingTimeTimer(now + 50);
            context.TimerService.DeleteProcessingTimeTimer(now + 50);
            output.Collect($"reg:{context.CurrentKey}:{now + 100}");
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<string> output) =>
            output.Collect($"fire:{context.CurrentKey}:{timestamp}:now={context.TimerService.CurrentProcessingTime}:{context.TimeDomain}:ts={context.Timestamp?.ToString() ?? "none"}");
    }

    [Fact]
    public void ProcessingTimeTimersFireWhenTheInjectedClockPassesThemAndDeletedOnesNever()
    {
        var clock = new ManualClock(startMillis: 1_000_000);
        var env = JobTesting.Environment(parallelism: 2);
        env.Clock = clock;
        var sink = new CollectSink<string>(transactional: false);
        int Count(string prefix) => sink.Results.Count(s => s.StartsWith(prefix, StringComparison.Ordinal));
        var steps = new List<ScriptStep<Reading>>
        {
            new ScriptStep<Reading>.Record(new Reading("a", 1), 0),
            new ScriptStep<Reading>.Record(new Reading("b", 2), 0),
            new ScriptStep<Reading>.Record(new Reading("a", 3), 0),
            new ScriptStep<Reading>.WaitUntil(() => Count("reg:") == 3),
            new ScriptStep<Reading>.AdvanceClock(60),                       // past the deleted timers only
            new ScriptStep<Reading>.Pause(TimeSpan.FromMilliseconds(150)),
            new ScriptStep<Reading>.AdvanceClock(40),                       // exactly at the registered timers
            new ScriptStep<Reading>.WaitUntil(() => Count("fire:") == 2),
        };
        var source = new ScriptedSource<Reading>(steps, clock, env.AutoWatermarkInterval);
        env.FromSource(source, source.Watermarks, "Script").SetParallelism(1)
            .KeyBy(r => r.Key)
            .Process(new ProcessingTimeAlarm())
            .SinkTo(sink);
        env.Execute("processing-time-timers");

        Assert.Equal(["reg:a:1000100", "reg:a:1000100", "reg:b:1000100"], sink.Results.Where(s => s.StartsWith("reg:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["fire:a:1000100:now=1000100:ProcessingTime:ts=none", "fire:b:1000100:now=1000100:ProcessingTime:ts=none"],
            sink.Results.Where(s => s.StartsWith("fire:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    public sealed record Event(string Key, long Ts, long Value);
    public sealed record Fired(string Key, long Timer, long Sum, long OutputTimestamp, TimeDomain Domain, bool WatermarkPassed);

    /// <summary>Sums values per key and 50 ms bucket; an event-time timer at the bucket's end emits the sum.</summary>
    private sealed class BucketSums : KeyedProcessFunction<string, Event, Fired>
    {
        private IMapState<long, long> _sums = null!;

        public override void Open() => _sums = RuntimeContext.GetMapState(new MapStateDescriptor<long, long>("sums"));

        public override void ProcessElement(Event value, Context context, ICollector<Fired> output)
        {
            Assert.Equal(value.Ts, context.Timestamp);
            var end = value.Ts / 50 * 50 + 49;
            _sums.TryGetValue(end, out var sum);
            _sums.Put(end, sum + value.Value);
            context.TimerService.RegisterEventTimeTimer(end);
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<Fired> output)
        {
            _sums.TryGetValue(timestamp, out var sum);
            _sums.Remove(timestamp);
            output.Collect(new Fired(context.CurrentKey, timestamp, sum, context.Timestamp ?? long.MinValue, context.TimeDomain,
                context.TimerService.CurrentWatermark >= timestamp));
        }
    }

    [Theory]
    [InlineData(25)]
    [InlineData(26)]
    public void EventTimeTimersFireOncePerKeyAndTimestampInOrderWithTheTimerAsTimestamp(int seed)
    {
        var random = new Random(seed);
        const int count = 6000;
        var values = Enumerable.Range(0, count).Select(_ => (Key: "k" + random.Next(6), Value: (long)random.Next(1, 1000))).ToArray();
        Event Make(long n) => new(values[n].Key, n / 4, values[n].Value);

        var env = JobTesting.Environment(parallelism: 2);
        env.AutoWatermarkInterval = TimeSpan.FromMilliseconds(5);
        var sink = new CollectSink<Fired>();
        env.FromGenerator(Make, count, recordsPerSecond: 20_000,
                watermarks: WatermarkStrategy<Event>.ForMonotonousTimestamps().WithTimestampAssigner(e => e.Ts))
            .KeyBy(e => e.Key)
            .Process(new BucketSums())
            .SinkTo(sink);
        env.Execute("event-time-timers");

        var expected = Enumerable.Range(0, count).Select(n => Make(n))
            .GroupBy(e => (e.Key, End: e.Ts / 50 * 50 + 49))
            .Select(g => new Fired(g.Key.Key, g.Key.End, g.Sum(e => e.Value), g.Key.End, TimeDomain.EventTime, true))
            .OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.Timer).ToList();
        var actual = sink.Results.OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.Timer).ToList();
        Assert.True(expected.SequenceEqual(actual),
            $"seed {seed}: expected {expected.Count} timers, got {actual.Count}; first difference: {expected.Zip(actual).FirstOrDefault(p => p.First != p.Second)}");
        foreach (var g in sink.Results.GroupBy(f => f.Key))
            Assert.Equal(g.Select(f => f.Timer).Order(), g.Select(f => f.Timer));
    }
}
