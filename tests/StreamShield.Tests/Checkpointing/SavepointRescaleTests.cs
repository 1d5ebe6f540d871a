using StreamShield.Execution;
using StreamShield.Runtime.Checkpointing;
using StreamShield.Sinks;

namespace StreamShield.Tests.Checkpointing;

/// <summary>
/// Arroyo-style golden test that is also a recovery test: the same job runs at parallelism 2, is stopped with a
/// savepoint, resumes from it at parallelism 3, is stopped again, and finishes at parallelism 1. The union of the
/// output committed by the three runs must equal the fault-free output exactly, so keyed state and timers moved by
/// key group, operator list state was split and merged, source positions and sink transactions were carried over.
/// </summary>
[Collection(nameof(CheckpointJobsCollection))]
public sealed class SavepointRescaleTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private const long Records = 30_000;
    private const double Rate = 15_000;

    [Fact]
    public async Task SavepointRestoredAtParallelism3ThenAt1CommitsExactlyTheFaultFreeOutput()
    {
        using var dir = new TempDirectory("savepoint-rescale");
        var job = new CountingJob(Records, Rate, dir.Sub("out"));

        // Periodic checkpoints stay off in the stopped runs: output committed after the savepoint would be replayed
        // (and committed twice) by the run restored from it. The savepoint itself commits the sink's transactions.
        var first = StartRun(job, dir, parallelism: 2, restoreFrom: null, runName: "run1");
        await JobDriver.WaitUntil(first, c => c.Metrics.RecordsIn >= Records / 5, "a fifth of the input was read");
        var savepoint1 = await first.TriggerSavepointAsync(dir.Sub("savepoints"));
        var run1 = await JobDriver.CancelAndWait(first);
        log.WriteLine($"run 1 (p=2): {run1.Metrics.RecordsIn} records read, savepoint {savepoint1}");
        AssertSavepointCovers(savepoint1, parallelism: 2);

        var second = StartRun(job, dir, parallelism: 3, restoreFrom: savepoint1, runName: "run2");
        await JobDriver.WaitUntil(second, c => c.Metrics.RecordsIn >= Records / 5, "another fifth of the input was read");
        var savepoint2 = await second.TriggerSavepointAsync(dir.Sub("savepoints"));
        var run2 = await JobDriver.CancelAndWait(second);
        log.WriteLine($"run 2 (p=3): {run2.Metrics.RecordsIn} records read, savepoint {savepoint2}");
        AssertSavepointCovers(savepoint2, parallelism: 3);

        var third = StartRun(job, dir, parallelism: 1, restoreFrom: savepoint2, runName: "run3");
        var run3 = await JobDriver.Completed(third);
        log.WriteLine($"run 3 (p=1): {run3.Status}, {run3.Metrics.RecordsIn} records read");

        var timelines = $"run 1:\n{JobDriver.Describe(run1.Timeline)}\nrun 2:\n{JobDriver.Describe(run2.Timeline)}\nrun 3:\n{JobDriver.Describe(run3.Timeline)}";
        Assert.True(run3.Status == JobStatus.Finished, $"The last run did not finish: {run3.Failure}\n{timelines}");
        Assert.Contains(run2.Timeline, e => e.Kind == JobEventKind.Restored && e.Message.Contains(savepoint1, StringComparison.Ordinal));
        Assert.Contains(run3.Timeline, e => e.Kind == JobEventKind.Restored && e.Message.Contains(savepoint2, StringComparison.Ordinal));
        Assert.DoesNotContain(run2.Timeline.Concat(run3.Timeline), e => e.Message.Contains("Warning", StringComparison.Ordinal));

        var committed = FileSink<string>.ReadCommittedLines(job.Output);
        var diff = job.Diff(committed);
        Assert.True(diff is null, $"{diff}\n{timelines}");

        // Every key registered its end-of-input timer in run 1 (the first records cover all keys); its firing in run 3
        // with the exact count shows the timers moved with their key groups through both rescales.
        var perKey = committed.Where(l => l.StartsWith("k,", StringComparison.Ordinal)).ToList();
        Assert.Equal(CountingJob.Keys, perKey.Count);
        Assert.Equal(Records, perKey.Sum(l => long.Parse(l.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static IJobClient StartRun(CountingJob job, TempDirectory dir, int parallelism, string? restoreFrom, string runName)
    {
        var env = StreamEnvironment.Create();
        env.Parallelism = parallelism;
        env.Checkpointing.Directory = dir.Sub($"checkpoints-{runName}");
        env.RestorePath = restoreFrom;
        job.Build(env);
        return env.ExecuteAsync($"savepoint-rescale-{runName}");
    }

    /// <summary>The savepoint holds the state of every stateful operator of the job, written by all subtasks of the run.</summary>
    private static void AssertSavepointCovers(string savepoint, int parallelism)
    {
        var loaded = CheckpointLoader.TryLoad(savepoint, out var error);
        Assert.True(loaded is not null, $"Savepoint '{savepoint}' does not load: {error}");
        Assert.True(loaded.Metadata.IsSavepoint);
        var keyed = loaded.Metadata.States.Where(s => s.OperatorUid == CountingJob.KeyedUid).ToList();
        Assert.Equal(parallelism, keyed.Count);
        Assert.All(keyed, s => Assert.NotNull(s.Keyed));
        Assert.All(keyed, s => Assert.Contains(s.OperatorState, o => o.Name == "processed"));
        Assert.Contains(loaded.Metadata.States, s => s.OperatorUid == "numbers");
        Assert.Contains(loaded.Metadata.States, s => s.OperatorUid == "file-sink");
    }
}
