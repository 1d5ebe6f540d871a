using StreamShield.Execution;
using StreamShield.Functions;
using StreamShield.Sinks;
using StreamShield.State;
using StreamShield.Tests.Windowing;

namespace StreamShield.Tests.Api.State;

/// <summary>
/// Operator state (list state and broadcast state through <see cref="ICheckpointedFunction"/>) survives a
/// fault-injected restart: the restored values continue exactly where the checkpoint left them.
/// </summary>
public sealed class OperatorStateRecoveryTests
{
    public sealed record Counted(long Value, int Subtask, long Count, int Attempt);

    /// <summary>A map-like function that numbers the records of its subtask, keeping the count in operator list state.</summary>
    private sealed class CountingMap : ProcessFunction<long, Counted>, ICheckpointedFunction
    {
        private IOperatorListState<long> _state = null!;
        private long _count;

        public void InitializeState(IOperatorStateStore store, bool isRestored)
        {
            _state = store.GetListState<long>("count");
            _count = _state.Get().Sum();
            Assert.True(isRestored || _count == 0);
        }

        public void SnapshotState(long checkpointId) => _state.Update([_count]);

        public override void ProcessElement(long value, Context context, ICollector<Counted> output) =>
            output.Collect(new Counted(value, RuntimeContext.SubtaskIndex, ++_count, RuntimeContext.AttemptNumber));
    }

    [Fact]
    public void OperatorListStateIsRestoredAfterAFaultInjectedRestart()
    {
        const long count = 3000;
        var env = JobTesting.Environment(parallelism: 2);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(20));
        env.RestartStrategy = RestartStrategy.FixedDelay(3, TimeSpan.Zero);
        // Armed 250 ms in, so that checkpoints have completed before the fault.
        env.Configuration["fault.task.process"] = "throw:after=20:afterms=250:subtask=0";
        var sink = new CollectSink<Counted>();
        env.FromGenerator(n => n, count, recordsPerSecond: 4000).Process(new CountingMap()).SinkTo(sink);
        var result = env.Execute("operator-list-state");

        var context = JobTesting.Describe(result);
        Assert.Equal(1, result.Metrics.Restarts);
        Assert.True(result.Timeline.Any(e => e.Kind == JobEventKind.Restored), $"the restart did not restore a checkpoint; {context}");
        Assert.Contains(sink.Results, c => c.Attempt == 1);
        Assert.Equal(Enumerable.Range(0, (int)count).Select(i => (long)i), sink.Results.Select(c => c.Value).Order());
        foreach (var subtask in sink.Results.GroupBy(c => c.Subtask))
        {
            // Numbers run 1, 2, 3, ... in input order on each subtask, across the restart: nothing counted twice or lost.
            var ordered = subtask.OrderBy(c => c.Count).ToList();
            Assert.True(ordered.Select(c => c.Count).SequenceEqual(Enumerable.Range(1, ordered.Count).Select(i => (long)i)),
                $"subtask {subtask.Key} counts are not 1..{ordered.Count}; {context}");
            Assert.True(ordered.Zip(ordered.Skip(1)).All(p => p.First.Value < p.Second.Value), $"subtask {subtask.Key} numbered out of input order; {context}");
        }
    }

    public sealed record Event(long Id, string Category, long Amount);
    public sealed record Rule(string Category, int Multiplier);

    /// <summary>
    /// Enriches events with the multiplier of their category's rule. Rules are broadcast state; events that arrive before
    /// all rules are buffered in operator list state. Both survive restarts through <see cref="ICheckpointedFunction"/>.
    /// </summary>
    private sealed class ApplyRules(int ruleCount) : CoProcessFunction<Event, Rule, string>, ICheckpointedFunction
    {
        private IBroadcastState<string, int> _rules = null!;
        private IOperatorListState<Event> _buffered = null!;

        public void InitializeState(IOperatorStateStore store, bool isRestored)
        {
            _rules = store.GetBroadcastState<string, int>("rules");
            _buffered = store.GetListState<Event>("buffered");
        }

        public void SnapshotState(long checkpointId) { }

        public override void ProcessElement1(Event value, Context context, ICollector<string> output)
        {
            if (_rules.Entries.Count < ruleCount) { _buffered.Add(value); return; }
            Emit(value, output);
        }

        public override void ProcessElement2(Rule value, Context context, ICollector<string> output)
        {
            _rules.Put(value.Category, value.Multiplier);
            if (_rules.Entries.Count < ruleCount) return;
            foreach (var e in _buffered.Get()) Emit(e, output);
            _buffered.Clear();
        }

        private void Emit(Event e, ICollector<string> output)
        {
            Assert.True(_rules.TryGetValue(e.Category, out var multiplier), $"no rule for {e.Category}");
            output.Collect($"{e.Id}:{e.Amount * multiplier}");
        }
    }

    [Fact]
    public void BroadcastStateReachesEverySubtaskAndSurvivesARestart()
    {
        const long count = 3000;
        var rules = new[] { new Rule("a", 2), new Rule("b", 3), new Rule("c", 5), new Rule("b", 7) }; // b is replaced
        Event Make(long n) => new(n, "abc"[(int)(n % 3)].ToString(), n % 100);

        var env = JobTesting.Environment(parallelism: 2);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(20));
        env.RestartStrategy = RestartStrategy.FixedDelay(3, TimeSpan.Zero);
        env.Configuration["fault.task.process"] = "throw:after=20:afterms=250:subtask=1";
        var sink = new CollectSink<string>();
        env.FromGenerator(Make, count, recordsPerSecond: 4000)
            .Connect(env.FromCollection(rules).SetParallelism(1).Broadcast())
            .Process(new ApplyRules(ruleCount: 3))
            .SinkTo(sink);
        var result = env.Execute("broadcast-state");

        var context = JobTesting.Describe(result);
        Assert.Equal(1, result.Metrics.Restarts);
        Assert.True(result.Timeline.Any(e => e.Kind == JobEventKind.Restored), $"the restart did not restore a checkpoint; {context}");
        // The last rule for b may arrive after some b events were enriched with the first one: both multipliers are right.
        var expected = Enumerable.Range(0, (int)count).Select(n => Make(n)).ToList();
        var actual = sink.Results.Select(s => s.Split(':')).Select(p => (Id: long.Parse(p[0]), Value: long.Parse(p[1]))).OrderBy(p => p.Id).ToList();
        Assert.Equal(expected.Select(e => e.Id), actual.Select(a => a.Id));
        foreach (var (e, a) in expected.Zip(actual))
        {
            var allowed = e.Category switch { "a" => new[] { 2L }, "b" => [3L, 7L], _ => [5L] };
            Assert.True(allowed.Any(m => e.Amount * m == a.Value), $"event {e} enriched to {a.Value}; {context}");
        }
        // The replacement rule for b arrived long before the last events.
        var lastB = actual.Where(a => expected[(int)a.Id].Category == "b").TakeLast(10).ToList();
        Assert.All(lastB, a => Assert.Equal(expected[(int)a.Id].Amount * 7, a.Value));
    }
}
