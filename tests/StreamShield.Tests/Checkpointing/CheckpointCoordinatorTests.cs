using System.Globalization;
using System.Text.RegularExpressions;
using StreamShield.Execution;
using StreamShield.Runtime.Checkpointing;
using StreamShield.Sinks;

namespace StreamShield.Tests.Checkpointing;

/// <summary>
/// The checkpoint coordinator's policies, observed through the job's timeline and its checkpoint directory: timeout
/// and tolerable failures (up to a failover), retention, max concurrency and the minimum pause. Slow snapshots come
/// from the <c>state.snapshot</c> delay fault, so they are slow by construction, not by luck.
/// </summary>
[Collection(nameof(CheckpointJobsCollection))]
public sealed partial class CheckpointCoordinatorTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private const long Records = 12_000;

    private static StreamEnvironment Environment(TempDirectory dir, int parallelism = 2)
    {
        var env = StreamEnvironment.Create();
        env.Parallelism = parallelism;
        env.Checkpointing.Directory = dir.Sub("checkpoints");
        return env;
    }

    [Fact]
    public async Task ExpiredCheckpointsBeyondTheTolerableCountFailTheJobOverAndItStillCommitsExactlyOnce()
    {
        using var dir = new TempDirectory("coordinator-timeout");
        var env = Environment(dir);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(20));
        env.Checkpointing.Timeout = TimeSpan.FromMilliseconds(150);
        env.Checkpointing.TolerableCheckpointFailures = 1;
        env.RestartStrategy = RestartStrategy.FixedDelay(20, TimeSpan.Zero);
        // The first asynchronous snapshot of attempt 0 stalls the job's snapshot thread for 1 s: every checkpoint
        // triggered meanwhile expires; the second consecutive expiry exceeds the tolerance of one.
        env.Configuration["fault.state.snapshot"] = "delay:ms=1000:times=1";
        var job = new CountingJob(Records, 8_000, dir.Sub("out"));
        job.Build(env);

        var result = await JobDriver.Completed(env.ExecuteAsync("coordinator-timeout"));
        var timeline = JobDriver.Describe(result.Timeline);
        log.WriteLine(timeline);

        Assert.True(result.Status == JobStatus.Finished, $"{result.Failure}\n{timeline}");
        var events = result.Timeline.ToList();
        var firstRestart = events.FindIndex(e => e.Kind == JobEventKind.Restarting);
        Assert.True(firstRestart > 0, $"No failover after repeated checkpoint expiry.\n{timeline}");
        var expiredBefore = events.Take(firstRestart).Count(e => e.Kind == JobEventKind.CheckpointFailed && e.Message.Contains("expired after 0.15 s", StringComparison.Ordinal));
        Assert.True(expiredBefore >= 2, $"Expected two expired checkpoints before the failover, found {expiredBefore}.\n{timeline}");
        Assert.Contains(events.Take(firstRestart), e => e.Kind == JobEventKind.TaskFailed
            && e.Message.Contains("More than 1 consecutive checkpoint failures", StringComparison.Ordinal)
            && e.Message.Contains("TolerableCheckpointFailures", StringComparison.Ordinal));
        var diff = job.Diff(FileSink<string>.ReadCommittedLines(job.Output));
        Assert.True(diff is null, $"{diff}\n{timeline}");
    }

    [Fact]
    public async Task ExpiredCheckpointsWithinTheTolerableCountDoNotFailTheJob()
    {
        using var dir = new TempDirectory("coordinator-tolerated");
        var env = Environment(dir);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(20));
        env.Checkpointing.Timeout = TimeSpan.FromMilliseconds(100);
        env.Checkpointing.TolerableCheckpointFailures = 50;
        env.RestartStrategy = RestartStrategy.None();
        env.Configuration["fault.state.snapshot"] = "delay:ms=400:times=1";
        var job = new CountingJob(Records, 12_000, dir.Sub("out"));
        job.Build(env);

        var result = await JobDriver.Completed(env.ExecuteAsync("coordinator-tolerated"));
        var timeline = JobDriver.Describe(result.Timeline);
        Assert.True(result.Status == JobStatus.Finished, $"{result.Failure}\n{timeline}");
        Assert.Contains(result.Timeline, e => e.Kind == JobEventKind.CheckpointFailed && e.Message.Contains("expired", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Timeline, e => e.Kind is JobEventKind.Restarting or JobEventKind.TaskFailed);
        Assert.Contains(result.Timeline, e => e.Kind == JobEventKind.CheckpointCompleted);
        var diff = job.Diff(FileSink<string>.ReadCommittedLines(job.Output));
        Assert.True(diff is null, $"{diff}\n{timeline}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task RetainedCheckpointsKeepsExactlyTheNewestN(int retained)
    {
        using var dir = new TempDirectory($"coordinator-retained-{retained}");
        var env = Environment(dir);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(15));
        env.Checkpointing.RetainedCheckpoints = retained;
        var job = new CountingJob(6_000, 12_000, dir.Sub("out"));
        job.Build(env);

        var result = await JobDriver.Completed(env.ExecuteAsync($"coordinator-retained-{retained}"));
        var timeline = JobDriver.Describe(result.Timeline);
        Assert.True(result.Status == JobStatus.Finished, $"{result.Failure}\n{timeline}");
        var completed = result.Timeline.Where(e => e.Kind == JobEventKind.CheckpointCompleted).Select(e => IdIn(e.Message)).ToList();
        Assert.True(completed.Count > retained, $"Only {completed.Count} checkpoints completed; the test needs more than {retained}.\n{timeline}");

        var root = env.Checkpointing.Directory!;
        var restorable = FileSystemCheckpointStorage.ListCheckpoints(root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var expected = completed.OrderDescending().Take(retained).Select(id => $"chk-{id}").Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(restorable), $"Restorable [{string.Join(", ", restorable)}], expected the newest {retained}: [{string.Join(", ", expected)}].\n{timeline}");
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in restorable.Select(n => Path.Combine(root, n!)))
        {
            var loaded = CheckpointLoader.TryLoad(d, out var error);
            Assert.True(loaded is not null, $"{d}: {error}");
            foreach (var f in loaded!.Metadata.Files) referenced.Add(Path.GetFullPath(Path.Combine(d, f.FileName)));
        }
        // Older directories may stay only as holders of state files that retained (incremental) checkpoints use.
        foreach (var d in Directory.GetDirectories(root).Where(d => !restorable.Contains(Path.GetFileName(d))))
        {
            Assert.True(File.Exists(Path.Combine(d, FileSystemCheckpointStorage.DiscardedMarkerName)), $"{d} is neither retained nor marked discarded.\n{timeline}");
            var unreferenced = Directory.GetFiles(d).Where(f => Path.GetFileName(f) != FileSystemCheckpointStorage.DiscardedMarkerName && !referenced.Contains(f)).ToList();
            Assert.True(unreferenced.Count == 0, $"{d} keeps files no retained checkpoint uses: {string.Join(", ", unreferenced)}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task NoMoreThanMaxConcurrentCheckpointsArePendingAtOnce(int maxConcurrent)
    {
        using var dir = new TempDirectory($"coordinator-concurrent-{maxConcurrent}");
        var env = Environment(dir, parallelism: 1);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(10));
        env.Checkpointing.MaxConcurrentCheckpoints = maxConcurrent;
        // Every asynchronous snapshot takes 30 ms, so a checkpoint stays pending for several trigger intervals.
        env.Configuration["fault.state.snapshot"] = "delay:ms=30:times=1000000";
        var job = new CountingJob(6_000, 6_000, dir.Sub("out"));
        job.Build(env);

        var result = await JobDriver.Completed(env.ExecuteAsync($"coordinator-concurrent-{maxConcurrent}"));
        var timeline = JobDriver.Describe(result.Timeline);
        Assert.True(result.Status == JobStatus.Finished, $"{result.Failure}\n{timeline}");

        var pending = new HashSet<long>();
        var most = 0;
        foreach (var e in result.Timeline)
        {
            if (e.Kind == JobEventKind.CheckpointTriggered) pending.Add(IdIn(e.Message));
            else if (e.Kind is JobEventKind.CheckpointCompleted or JobEventKind.CheckpointFailed) pending.Remove(IdIn(e.Message));
            most = Math.Max(most, pending.Count);
            Assert.True(pending.Count <= maxConcurrent, $"{pending.Count} checkpoints pending at once ({string.Join(", ", pending)}) at '{e.Message}', max {maxConcurrent}.\n{timeline}");
        }
        Assert.True(result.Timeline.Count(e => e.Kind == JobEventKind.CheckpointCompleted) >= 3, $"Too few checkpoints to judge.\n{timeline}");
        // Snapshots take three trigger intervals, so the coordinator had reason to use every slot it was allowed.
        Assert.True(most == maxConcurrent, $"At most {most} checkpoints were pending at once, allowed {maxConcurrent}.\n{timeline}");
        var diff = job.Diff(FileSink<string>.ReadCommittedLines(job.Output));
        Assert.True(diff is null, $"{diff}\n{timeline}");
    }

    [Fact]
    public async Task TheNextCheckpointStartsNoSoonerThanTheMinimumPauseAfterTheLastOneEnded()
    {
        const int minPauseMs = 60;
        using var dir = new TempDirectory("coordinator-min-pause");
        var env = Environment(dir);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(10));
        env.Checkpointing.MinPauseBetweenCheckpoints = TimeSpan.FromMilliseconds(minPauseMs);
        var job = new CountingJob(9_000, 9_000, dir.Sub("out"));
        job.Build(env);

        var result = await JobDriver.Completed(env.ExecuteAsync("coordinator-min-pause"));
        var timeline = JobDriver.Describe(result.Timeline);
        Assert.True(result.Status == JobStatus.Finished, $"{result.Failure}\n{timeline}");

        // The final checkpoint of a bounded job is triggered when the data ends, not by the periodic schedule.
        JobEvent? lastEnd = null;
        var checkedGaps = 0;
        foreach (var e in result.Timeline)
        {
            if (e.Kind is JobEventKind.CheckpointCompleted or JobEventKind.CheckpointFailed) lastEnd = e;
            if (e.Kind != JobEventKind.CheckpointTriggered || e.Message.EndsWith("(final)", StringComparison.Ordinal) || lastEnd is null) continue;
            var gap = e.Time.ToUnixTimeMilliseconds() - lastEnd.Time.ToUnixTimeMilliseconds();
            Assert.True(gap >= minPauseMs, $"'{e.Message}' came {gap} ms after '{lastEnd.Message}', less than the minimum pause of {minPauseMs} ms.\n{timeline}");
            checkedGaps++;
        }
        Assert.True(checkedGaps >= 3, $"Only {checkedGaps} pauses to check.\n{timeline}");
        var diff = job.Diff(FileSink<string>.ReadCommittedLines(job.Output));
        Assert.True(diff is null, $"{diff}\n{timeline}");
    }

    /// <summary>The checkpoint id an event names, or -1 for events about no particular checkpoint.</summary>
    private static long IdIn(string message) =>
        CheckpointId().Match(message) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;

    [GeneratedRegex(@"^(?:Checkpoint|Savepoint) (\d+) ")]
    private static partial Regex CheckpointId();
}
