using StreamShield.Connectors.Nexmark;
using StreamShield.Execution;
using StreamShield.Sinks;
using StreamShield.Tests.Api;
using StreamShield.Tests.Chaos;

namespace StreamShield.Tests.Connectors.Nexmark;

/// <summary>
/// A Nexmark job that fails mid-stream restores its source splits from the last checkpoint and, with the
/// transactional file sink, commits every event exactly once.
/// </summary>
[Collection(nameof(ChaosCollection))]
public sealed class NexmarkRecoveryTests
{
    [Theory]
    [InlineData("task.process", 1)]
    [InlineData("task.process", 0)]
    [InlineData("channel.send", 1)]
    public void AFailureMidStreamLosesAndDuplicatesNoEvent(string faultPoint, int subtask)
    {
        using var dir = new TempDirectory("nexmark-recovery");
        // Paced at 50,000 events per second, so the run lasts about 0.8 s and the fault fires after checkpoints completed.
        var options = NexmarkOptions.Default with { MaxEvents = 40_000, FirstEventRate = 50_000, NextEventRate = 50_000, IsRateLimited = true };
        var env = JobTesting.Environment(parallelism: 2);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(30));
        env.Checkpointing.Directory = dir.Sub("checkpoints");
        env.RestartStrategy = RestartStrategy.FixedDelay(5, TimeSpan.Zero);
        env.Configuration[$"fault.{faultPoint}"] = $"throw:afterms=300:subtask={subtask}";

        var output = dir.Sub("out");
        env.FromNexmark(options).Rebalance().Map(e => NexmarkJsonWriter.ToJson(e)).SinkTo(new FileSink<string>(output));
        var result = JobTesting.Run(env, "nexmark-recovery");

        var context = JobTesting.Describe(result);
        Assert.True(result.Status == JobStatus.Finished, context);
        var timeline = result.Timeline.ToList();
        var fault = timeline.FindIndex(e => e.Kind == JobEventKind.FaultInjected);
        Assert.True(fault >= 0, $"the fault did not fire; {context}");
        Assert.True(timeline.FindIndex(e => e.Kind == JobEventKind.CheckpointCompleted) is >= 0 and var c && c < fault,
            $"no checkpoint completed before the fault, so the restore was not mid-stream; {context}");
        Assert.Contains(timeline.Skip(fault), e => e.Kind == JobEventKind.Restored);

        var committed = FileSink<string>.ReadCommittedLines(output);
        var expected = new NexmarkGenerator(options).Generate(0, options.MaxEvents).Select(e => NexmarkJsonWriter.ToJson(e)).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(options.MaxEvents, expected.Count); // every event is distinct, so a set comparison is exact
        var distinct = committed.ToHashSet(StringComparer.Ordinal);
        var duplicated = committed.Count - distinct.Count;
        var lost = expected.Count(e => !distinct.Contains(e));
        Assert.True(lost == 0 && duplicated == 0 && committed.Count == expected.Count,
            $"lost {lost}, duplicated {duplicated}, committed {committed.Count} of {expected.Count}; {context}");
    }
}
