using StreamShield.Functions;
using StreamShield.Sinks;
using StreamShield.State;
using StreamShield.Tests.Windowing;

namespace StreamShield.Tests.Api.State;

/// <summary>Every kind of keyed state in a KeyedProcessFunction, and state time-to-live on an injected clock.</summary>
public sealed class KeyedStateJobTests
{
    public sealed record Reading(string Key, int Value);

    public sealed record Summary(
        string Key, int Last, int[] Recent, List<KeyValuePair<int, int>> Histogram, int Max, string Average,
        int DefaultsSeen, int EmptyReducingSeen, int EmptyAggregatingSeen);

    private sealed class Average : IAggregateFunction<int, (long Sum, int Count), string>
    {
        public (long Sum, int Count) CreateAccumulator() => (0, 0);
        public (long Sum, int Count) Add(int value, (long Sum, int Count) acc) => (acc.Sum + value, acc.Count + 1);
        public string GetResult((long Sum, int Count) acc) => $"{acc.Sum}/{acc.Count}";
        public (long Sum, int Count) Merge((long Sum, int Count) a, (long Sum, int Count) b) => (a.Sum + b.Sum, a.Count + b.Count);
    }

    /// <summary>
    /// Keeps per key: the last value (value state with a default), the last five values (list state, trimmed with
    /// Update), a histogram of value % 4 whose buckets are removed when they reach 3 (map state), the maximum
    /// (reducing state), the average (aggregating state), and counts of first sightings; emits them all at the end.
    /// </summary>
    private sealed class AllStates : KeyedProcessFunction<string, Reading, Summary>
    {
        private IValueState<int> _last = null!;
        private IListState<int> _recent = null!;
        private IMapState<int, int> _histogram = null!;
        private IReducingState<int> _max = null!;
        private IAggregatingState<int, string> _average = null!;
        private IValueState<(int Defaults, int EmptyReducing, int EmptyAggregating)> _firsts = null!;

        public override void Open()
        {
            _last = RuntimeContext.GetState(new ValueStateDescriptor<int>("last", defaultValue: -1));
            _recent = RuntimeContext.GetListState(new ListStateDescriptor<int>("recent"));
            _histogram = RuntimeContext.GetMapState(new MapStateDescriptor<int, int>("histogram"));
            _max = RuntimeContext.GetReducingState(new ReducingStateDescriptor<int>("max", Math.Max));
            _average = RuntimeContext.GetAggregatingState(new AggregatingStateDescriptor<int, (long, int), string>("average", new Average()));
            _firsts = RuntimeContext.GetState(new ValueStateDescriptor<(int, int, int)>("firsts"));
        }

        public override void ProcessElement(Reading value, Context context, ICollector<Summary> output)
        {
            var firsts = _firsts.Value;
            if (_last.Value == -1)
            {
                firsts.Defaults++;
                context.TimerService.RegisterEventTimeTimer(long.MaxValue - 1); // fires with the final watermark
            }
            if (!_max.HasValue) firsts.EmptyReducing++;
            if (!_average.HasValue) firsts.EmptyAggregating++;
            _firsts.Update(firsts);

            _last.Update(value.Value);
            _recent.Add(value.Value);
            if (_recent.Get().Count > 5) _recent.Update(_recent.Get().Skip(1).ToList());
            var bucket = value.Value % 4;
            _histogram.TryGetValue(bucket, out var n);
            if (n + 1 == 3) Assert.True(_histogram.Remove(bucket));
            else _histogram.Put(bucket, n + 1);
            Assert.Equal(_histogram.IsEmpty, _histogram.Entries().Count == 0);
            _max.Add(value.Value);
            _average.Add(value.Value);
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<Summary> output)
        {
            var firsts = _firsts.Value;
            output.Collect(new Summary(context.CurrentKey, _last.Value, _recent.Get().ToArray(),
                _histogram.Entries().OrderBy(e => e.Key).ToList(), _max.Get(), _average.Get(),
                firsts.Defaults, firsts.EmptyReducing, firsts.EmptyAggregating));
            _last.Clear();
            _recent.Clear();
            _histogram.Clear();
            _max.Clear();
            _average.Clear();
            Assert.Equal(-1, _last.Value);
            Assert.Empty(_recent.Get());
            Assert.True(_histogram.IsEmpty);
            Assert.False(_max.HasValue);
            Assert.Equal("0/0", _average.Get());
        }
    }

    [Theory]
    [InlineData(41)]
    [InlineData(42)]
    public void ValueListMapReducingAndAggregatingStateHoldExactlyWhatWasPutIn(int seed)
    {
        var random = new Random(seed);
        var input = Enumerable.Range(0, 3000).Select(_ => new Reading("k" + random.Next(11), random.Next(0, 10_000))).ToList();
        var env = JobTesting.Environment(parallelism: 2);
        var sink = new CollectSink<Summary>();
        env.FromCollection(input).SetParallelism(1).KeyBy(r => r.Key).Process(new AllStates()).SinkTo(sink);
        env.Execute("keyed-state");

        var actual = sink.Results.OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        var expected = input.GroupBy(r => r.Key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var values = g.Select(r => r.Value).ToList();
            var histogram = values.GroupBy(v => v % 4).Select(b => KeyValuePair.Create(b.Key, b.Count() % 3)).Where(kv => kv.Value != 0).OrderBy(kv => kv.Key).ToList();
            return new Summary(g.Key, values[^1], values.TakeLast(5).ToArray(), histogram, values.Max(), $"{values.Sum(v => (long)v)}/{values.Count}", 1, 1, 1);
        }).ToList();
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (e, a) in expected.Zip(actual))
        {
            var context = $"seed {seed}, key {e.Key}";
            Assert.True(e.Key == a.Key && e.Last == a.Last && e.Max == a.Max && e.Average == a.Average, $"{context}: expected {e}, got {a}");
            Assert.True(e.Recent.SequenceEqual(a.Recent), $"{context}: recent [{string.Join(",", e.Recent)}] vs [{string.Join(",", a.Recent)}]");
            Assert.True(e.Histogram.SequenceEqual(a.Histogram), $"{context}: histogram [{string.Join(",", e.Histogram)}] vs [{string.Join(",", a.Histogram)}]");
            Assert.True((a.DefaultsSeen, a.EmptyReducingSeen, a.EmptyAggregatingSeen) == (1, 1, 1), $"{context}: first sightings {a}");
        }
    }

    public sealed record Command(string Key, string Op, int Value = 0);

    /// <summary>"set" writes the TTL'd value and list; "get" reports what is visible.</summary>
    private sealed class TtlProbe(bool refreshOnRead) : KeyedProcessFunction<string, Command, string>
    {
        private IValueState<int> _value = null!;
        private IListState<int> _list = null!;

        public override void Open()
        {
            var ttl = new StateTtlConfig(TimeSpan.FromMilliseconds(1000), refreshOnRead);
            var value = new ValueStateDescriptor<int>("value", defaultValue: -1);
            value.EnableTimeToLive(ttl);
            var list = new ListStateDescriptor<int>("list");
            list.EnableTimeToLive(ttl);
            _value = RuntimeContext.GetState(value);
            _list = RuntimeContext.GetListState(list);
        }

        public override void ProcessElement(Command value, Context context, ICollector<string> output)
        {
            if (value.Op == "set")
            {
                _value.Update(value.Value);
                _list.Add(value.Value);
            }
            output.Collect($"{value.Key}:{value.Op}:{_value.Value}:[{string.Join(",", _list.Get())}]");
        }
    }

    private static List<string> RunTtlScript(bool refreshOnRead)
    {
        var clock = new ManualClock(startMillis: 5_000_000);
        var env = JobTesting.Environment(parallelism: 2);
        env.Clock = clock;
        var sink = new CollectSink<string>(transactional: false);
        var steps = new List<ScriptStep<Command>>();
        // Each command waits for the previous one's output, so the clock moves only between records.
        void Then(Command command)
        {
            var expectedCount = steps.Count(s => s is ScriptStep<Command>.Record) + 1;
            steps.Add(new ScriptStep<Command>.Record(command, 0));
            steps.Add(new ScriptStep<Command>.WaitUntil(() => sink.Results.Count >= expectedCount));
        }
        Then(new Command("a", "set", 1));
        Then(new Command("b", "set", 7));
        steps.Add(new ScriptStep<Command>.AdvanceClock(500));
        Then(new Command("a", "get"));          // a: 500 ms old
        Then(new Command("a", "set", 2));       // rewrites a's value; appending rewrites the whole list entry
        steps.Add(new ScriptStep<Command>.AdvanceClock(600));
        Then(new Command("a", "get"));          // a: value 600 ms old; b: 1100 ms since written
        Then(new Command("b", "get"));
        steps.Add(new ScriptStep<Command>.AdvanceClock(500));
        Then(new Command("a", "get"));          // a: value 1100 ms since written, 500 ms since last read
        var source = new ScriptedSource<Command>(steps, clock, env.AutoWatermarkInterval);
        env.FromSource(source, source.Watermarks, "Commands").SetParallelism(1)
            .KeyBy(c => c.Key)
            .Process(new TtlProbe(refreshOnRead))
            .SinkTo(sink);
        env.Execute("ttl");
        return sink.Results.ToList();
    }

    [Fact]
    public void ExpiredStateDisappearsOnTheInjectedClock()
    {
        Assert.Equal(
            [
                "a:set:1:[1]",
                "b:set:7:[7]",
                "a:get:1:[1]",
                "a:set:2:[1,2]",
                "a:get:2:[1,2]",  // both last written 600 ms ago
                "b:get:-1:[]",    // both expired: 1100 ms since written
                "a:get:-1:[]",    // 1100 ms since the last write
            ],
            RunTtlScript(refreshOnRead: false));
    }

    [Fact]
    public void RefreshOnReadKeepsReadStateAlive()
    {
        Assert.Equal(
            [
                "a:set:1:[1]",
                "b:set:7:[7]",
                "a:get:1:[1]",
                "a:set:2:[1,2]",
                "a:get:2:[1,2]",
                "b:get:-1:[]",    // never read in time
                "a:get:2:[1,2]",  // read 500 ms ago, so still alive
            ],
            RunTtlScript(refreshOnRead: true));
    }
}
