using StreamShield.Functions;
using StreamShield.Sinks;
using StreamShield.Tests.Windowing;
using StreamShield.Windowing;

namespace StreamShield.Tests.Api.EventTime;

/// <summary>
/// An operator's event time is the minimum over its inputs (channels of a union, or the two inputs of a connect),
/// except inputs whose source declared itself idle. Sources play scripts (<see cref="ScriptedSource{T}"/>) on a manual clock.
/// </summary>
public sealed class WatermarkPropagationJobTests
{
    public sealed record Ev(string Key, long Ts, int Value);

    private static readonly OutputTag<Ev> Late = new("late");

    private static Ev Sum(Ev a, Ev b) => new(a.Key, Math.Max(a.Ts, b.Ts), a.Value + b.Value);

    private static DataStream<Ev> Play(StreamEnvironment env, ManualClock clock, List<ScriptStep<Ev>> steps, string name, TimeSpan? idleness = null)
    {
        var source = new ScriptedSource<Ev>(steps, clock, env.AutoWatermarkInterval);
        var watermarks = idleness is { } idle ? source.Watermarks.WithIdleness(idle) : source.Watermarks;
        return env.FromSource(source, watermarks, name).SetParallelism(1);
    }

    private static List<ScriptStep<Ev>> Records(string key, IEnumerable<(long Ts, int Value)> records) =>
        records.Select(r => (ScriptStep<Ev>)new ScriptStep<Ev>.Record(new Ev(key, r.Ts, r.Value), r.Ts)).ToList();

    [Fact]
    public void AUnionedWindowFiresOnlyWhenTheSlowerInputPassedItsEnd()
    {
        var clock = new ManualClock();
        var env = JobTesting.Environment(parallelism: 2);
        env.Clock = clock;
        // The fast input reaches event time 1000 at once and ends; the slow one delivers a record for [0, 10) later.
        var fast = Records("w", Enumerable.Range(0, 10).Select(i => ((long)i, i + 1)));
        fast.Add(new ScriptStep<Ev>.Watermark(1000));
        var slow = new List<ScriptStep<Ev>>
        {
            new ScriptStep<Ev>.Pause(TimeSpan.FromMilliseconds(300)),
            new ScriptStep<Ev>.Record(new Ev("w", 5, 100), 5),
            new ScriptStep<Ev>.Watermark(1000),
        };
        var main = new CollectSink<Stamped<Ev>>();
        var late = new CollectSink<Ev>();
        var windows = Play(env, clock, fast, "Fast").Union(Play(env, clock, slow, "Slow"))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10)))
            .SideOutputLateData(Late)
            .Reduce(Sum);
        windows.Process(new StampFunction<Ev>()).SinkTo(main);
        windows.GetSideOutput(Late).SinkTo(late);
        env.Execute("min-watermark-union");

        Assert.Empty(late.Results);
        Assert.Equal([(55 + 100, 9L)], main.Results.Select(s => (s.Value.Value, s.Timestamp)));
    }

    /// <summary>Sums both inputs' values per key into one event-time timer at 9.</summary>
    private sealed class SumUntilNine : CoProcessFunction<Ev, Ev, string>
    {
        private StreamShield.State.IValueState<int> _sum = null!;

        public override void Open() => _sum = RuntimeContext.GetState(new StreamShield.State.ValueStateDescriptor<int>("sum"));

        public override void ProcessElement1(Ev value, Context context, ICollector<string> output) => Add(value, context);
        public override void ProcessElement2(Ev value, Context context, ICollector<string> output) => Add(value, context);

        private void Add(Ev value, Context context)
        {
            if (value.Ts > 9) return;
            _sum.Update(_sum.Value + value.Value);
            context.TimerService.RegisterEventTimeTimer(9);
        }

        public override void OnTimer(long timestamp, Context context, ICollector<string> output) =>
            output.Collect($"{timestamp}:{_sum.Value}");
    }

    [Fact]
    public void AConnectedOperatorsTimersWaitForTheSlowerOfItsTwoInputs()
    {
        var clock = new ManualClock();
        var env = JobTesting.Environment(parallelism: 2);
        env.Clock = clock;
        var fast = Records("w", Enumerable.Range(0, 10).Select(i => ((long)i, i + 1)));
        fast.Add(new ScriptStep<Ev>.Watermark(1000));
        var slow = new List<ScriptStep<Ev>>
        {
            new ScriptStep<Ev>.Pause(TimeSpan.FromMilliseconds(300)),
            new ScriptStep<Ev>.Record(new Ev("w", 5, 100), 5),
            new ScriptStep<Ev>.Watermark(1000),
        };
        var sink = new CollectSink<string>();
        Play(env, clock, fast, "Fast").Connect(Play(env, clock, slow, "Slow"))
            .KeyBy(e => e.Key, e => e.Key)
            .Process(new SumUntilNine())
            .SinkTo(sink);
        env.Execute("min-watermark-connect");

        Assert.Equal(["9:155"], sink.Results);
    }

    private static readonly OutputTag<Ev> Everything = new("everything");

    /// <summary>Sends every record to a side output and nothing to the main output.</summary>
    private sealed class AllToSide : ProcessFunction<Ev, Ev>
    {
        public override void ProcessElement(Ev value, Context context, ICollector<Ev> output) => context.Output(Everything, value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the idle source's records reach the window through a side output
    public void AnIdleSourceDoesNotHoldBackWindows(bool throughSideOutput)
    {
        var clock = new ManualClock();
        var env = JobTesting.Environment(parallelism: 2);
        env.Clock = clock;
        var main = new CollectSink<Stamped<Ev>>(transactional: false);
        var firstWindowFired = false;
        var gaveUp = false;
        var deadline = System.Environment.TickCount64 + 20_000;
        bool FirstWindowFired()
        {
            if (main.Results.Any(s => s.Timestamp == 9)) return firstWindowFired = true;
            if (System.Environment.TickCount64 > deadline) return gaveUp = true;
            return false;
        }

        var active = Records("k", [(1, 1), (3, 2)]);
        active.Add(new ScriptStep<Ev>.Watermark(20));
        // Move the shared clock on in steps, so the quiet source's watermark timer sees the idleness timeout pass.
        for (var i = 0; i < 10; i++)
        {
            active.Add(new ScriptStep<Ev>.AdvanceClock(300));
            active.Add(new ScriptStep<Ev>.Pause(TimeSpan.FromMilliseconds(20)));
        }
        active.Add(new ScriptStep<Ev>.WaitUntil(FirstWindowFired));
        var quietSteps = new List<ScriptStep<Ev>>
        {
            new ScriptStep<Ev>.WaitUntil(FirstWindowFired),
            new ScriptStep<Ev>.Record(new Ev("k", 100, 1000), 100),
        };

        var quiet = Play(env, clock, quietSteps, "Quiet", idleness: TimeSpan.FromMilliseconds(500));
        if (throughSideOutput) quiet = quiet.Process(new AllToSide(), "ToSide").GetSideOutput(Everything);
        Play(env, clock, active, "Active")
            .Union(quiet)
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10)))
            .Reduce(Sum)
            .Process(new StampFunction<Ev>())
            .SinkTo(main);
        env.Execute("idle-source");

        Assert.False(gaveUp, "window [0, 10) did not fire while the other source was idle");
        Assert.True(firstWindowFired);
        Assert.Equal([(3, 9L), (1000, 109L)], main.Results.Select(s => (s.Value.Value, s.Timestamp)));
    }
}
