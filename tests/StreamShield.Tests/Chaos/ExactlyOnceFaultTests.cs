using StreamShield.Execution;
using StreamShield.Functions;
using StreamShield.Runtime.Faults;
using StreamShield.Sinks;
using StreamShield.State;

namespace StreamShield.Tests.Chaos;

/// <summary>
/// Randomized fault tests: for fixed seeds, arm one or two fault points at random moments in a job with a
/// replayable source, keyed state, timers and the transactional file sink, and check that the committed output
/// equals the fault-free output exactly: nothing lost, nothing duplicated, keyed state restored exactly.
/// </summary>
[Collection(nameof(ChaosCollection))]
public class ExactlyOnceFaultTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private const long Records = 120_000;
    private const int Keys = 97;

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 50).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void CommittedOutputEqualsFaultFreeOutput(int seed)
    {
        var random = new Random(seed);
        var dir = Path.Combine(Path.GetTempPath(), $"ss-chaos-{seed}-{Guid.NewGuid():N}");
        try
        {
            var env = StreamEnvironment.Create();
            env.Parallelism = 2;
            env.EnableCheckpointing(TimeSpan.FromMilliseconds(random.Next(15, 40)));
            env.Checkpointing.Directory = Path.Combine(dir, "checkpoints");
            env.Checkpointing.RetainedCheckpoints = 2;
            env.RestartStrategy = RestartStrategy.FixedDelay(10, TimeSpan.Zero);
            var faults = ArmFaults(env, random);

            var output = Path.Combine(dir, "out");
            env.FromGenerator(n => n, Records, recordsPerSecond: 150_000)
                .Map(x => new Keyed(x % Keys, x))
                .KeyBy(k => k.Key)
                .Process(new CountingFunction())
                .SinkTo(new FileSink<string>(output));
            var result = env.Execute($"chaos-{seed}");

            var actual = FileSink<string>.ReadCommittedLines(output).Order(StringComparer.Ordinal).ToList();
            var expected = Expected().Order(StringComparer.Ordinal).ToList();
            var lost = expected.Except(actual).Count();
            var actualCounts = actual.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
            var duplicated = actualCounts.Values.Sum(c => c - 1);
            var context = $"seed {seed}, faults [{faults}], restarts {result.Metrics.Restarts}, checkpoints {result.Metrics.CheckpointsCompleted}, timeline:\n"
                + string.Join("\n", result.Timeline.Select(e => $"  {e.Time:HH:mm:ss.fff} {e.Kind}: {e.Message}"));
            Assert.True(lost == 0 && duplicated == 0 && actual.Count == expected.Count,
                $"lost {lost}, duplicated {duplicated}, committed {actual.Count} of {expected.Count} lines; {context}");
            Assert.Equal(JobStatus.Finished, result.Status);
            var fired = result.Timeline.Count(e => e.Kind == JobEventKind.FaultInjected);
            log.WriteLine($"seed {seed}: faults [{faults}] fired {fired}, restarts {result.Metrics.Restarts}, checkpoints {result.Metrics.CheckpointsCompleted} (+{result.Metrics.CheckpointsFailed} failed)");
            // Every seed must actually exercise recovery: the first fault is armed early enough to fire.
            Assert.True(fired > 0, $"No fault fired; the test did not exercise recovery. {context}");
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static string ArmFaults(StreamEnvironment env, Random random)
    {
        var armed = new List<string>();
        var count = random.Next(1, 3);
        var points = FaultPoints.All.OrderBy(_ => random.Next()).Take(count).ToList();
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            var after = point switch
            {
                FaultPoints.TaskProcess => random.Next(0, 150),
                FaultPoints.ChannelSend => random.Next(0, 60),
                FaultPoints.StorageWrite => random.Next(0, 10),
                _ => random.Next(0, 8),
            };
            var spec = $"throw:after={after}:attempt={i}";
            if (point is FaultPoints.TaskProcess or FaultPoints.TaskCheckpoint or FaultPoints.StateSnapshot or FaultPoints.ChannelSend)
                spec += $":subtask={random.Next(0, 2)}";
            env.Configuration[$"fault.{point}"] = spec;
            armed.Add($"{point}={spec}");
        }
        return string.Join(", ", armed);
    }

    /// <summary>The fault-free output, computed without the engine.</summary>
    private static IEnumerable<string> Expected()
    {
        for (long x = 0; x < Records; x++) yield return $"r,{x}";
        for (long k = 0; k < Keys; k++)
        {
            var values = Enumerable.Range(0, (int)Records).Where(x => x % Keys == k).Select(x => (long)x).ToList();
            yield return $"k,{k},{values.Count},{values.Sum()}";
        }
    }

    public readonly record struct Keyed(long Key, long Value);

    private sealed class CountingFunction : KeyedProcessFunction<long, Keyed, string>
    {
        private IValueState<long> _count = null!;
        private IValueState<long> _sum = null!;

        public override void Open()
        {
            _count = RuntimeContext.GetState(new ValueStateDescriptor<long>("count"));
            _sum = RuntimeContext.GetState(new ValueStateDescriptor<long>("sum"));
        }

        public override void ProcessElement(Keyed value, Context context, ICollector<string> output)
        {
            if (_count.Value == 0) context.TimerService.RegisterEventTimeTimer(long.MaxValue - 1);
            _count.Update(_count.Value + 1);
            _sum.Update(_sum.Value + value.Value);
            output.Collect($"r,{value.Value}");
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<string> output) =>
            output.Collect($"k,{context.CurrentKey},{_count.Value},{_sum.Value}");
    }
}

/// <summary>Fault tests depend on timing (faults must fire mid-run), so they do not share the machine with other tests.</summary>
[CollectionDefinition(nameof(ChaosCollection), DisableParallelization = true)]
public sealed class ChaosCollection;
