using StreamShield.Execution;
using StreamShield.Runtime.Checkpointing;
using StreamShield.Serialization;
using StreamShield.Sinks;
using StreamShield.Sources;

namespace StreamShield.Tests.Checkpointing;

/// <summary>
/// What a restore does when the job changed since its savepoint: a different max parallelism cannot be restored (key
/// groups would move), so the job fails at build with a message naming the operator and the fix; state of an operator
/// uid the job no longer has is reported in the timeline and not restored.
/// </summary>
[Collection(nameof(CheckpointJobsCollection))]
public sealed class RestoreCompatibilityTests
{
    private const long Records = 6_000;
    private const double Rate = 4_000; // 1.5 s of input: the savepoint lands mid-run even on a loaded machine

    private static async Task<string> TakeSavepoint(CountingJob job, TempDirectory dir, int maxParallelism = 128)
    {
        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        env.MaxParallelism = maxParallelism;
        env.Checkpointing.Directory = dir.Sub("checkpoints-run1");
        job.Build(env);
        var client = env.ExecuteAsync("compat-run1");
        await JobDriver.WaitUntil(client, c => c.Metrics.RecordsIn >= Records / 4, "a quarter of the input was read");
        var savepoint = await client.TriggerSavepointAsync(dir.Sub("savepoints"));
        await JobDriver.CancelAndWait(client);
        return savepoint;
    }

    [Theory]
    [InlineData(128, 64)]
    [InlineData(128, 256)]
    [InlineData(32, 128)]
    public async Task ChangingMaxParallelismOnRestoreFailsAtBuildNamingTheOperatorAndTheFix(int before, int after)
    {
        using var dir = new TempDirectory("compat-maxpar");
        var job = new CountingJob(Records, Rate, dir.Sub("out"));
        var savepoint = await TakeSavepoint(job, dir, before);

        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        env.MaxParallelism = after;
        env.RestorePath = savepoint;
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(50)); // an unlimited restart strategy must not retry a job that can never restore
        env.Checkpointing.Directory = dir.Sub("checkpoints-run2");
        job.Build(env);

        var e = Assert.Throws<JobBuildException>(() => env.ExecuteAsync("compat-run2"));
        Assert.Contains("count-per-key", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{CountingJob.KeyedUid}'", e.Message, StringComparison.Ordinal);
        Assert.Contains($"max parallelism {before}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"StreamEnvironment.MaxParallelism back to {before}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StateOfARemovedOperatorUidIsReportedInTheTimelineAndTheJobStartsWithoutIt()
    {
        using var dir = new TempDirectory("compat-uid");
        var job = new CountingJob(Records, Rate, dir.Sub("out"));
        var savepoint = await TakeSavepoint(job, dir);

        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        env.RestorePath = savepoint;
        env.Checkpointing.Directory = dir.Sub("checkpoints-run2");
        var renamed = new CountingJob(Records, Rate, dir.Sub("out-run2"));
        renamed.Build(env, keyedUid: "counter-v2");
        var result = await JobDriver.Completed(env.ExecuteAsync("compat-run2"));

        Assert.True(result.Status == JobStatus.Finished, $"{result.Failure}\n{JobDriver.Describe(result.Timeline)}");
        var warning = Assert.Single(result.Timeline, e => e.Message.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Equal(JobEventKind.Restored, warning.Kind);
        Assert.Contains($"'{CountingJob.KeyedUid}'", warning.Message, StringComparison.Ordinal);
        Assert.Contains(savepoint, warning.Message, StringComparison.Ordinal);
        Assert.Contains("Uid(", warning.Message, StringComparison.Ordinal);

        // The renamed operator started empty while the source resumed from its savepoint position: its end-of-input
        // counts cover exactly the records the savepoint's source splits had left to read.
        var remaining = RemainingInSavepoint(savepoint);
        Assert.InRange(remaining, 1, Records - 1);
        var counts = FileSink<string>.ReadCommittedLines(renamed.Output)
            .Where(l => l.StartsWith("k,", StringComparison.Ordinal))
            .Sum(l => long.Parse(l.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(remaining, counts);
    }

    /// <summary>Records the generator had not yet read at the savepoint: the sum of its restored splits' lengths.</summary>
    private static long RemainingInSavepoint(string savepoint)
    {
        var loaded = CheckpointLoader.TryLoad(savepoint, out var error) ?? throw new InvalidOperationException(error);
        var serializer = TypeSerializers.For<SequenceSplit>();
        return loaded.Metadata.States
            .Where(s => s.OperatorUid == "numbers")
            .SelectMany(s => s.OperatorState.Single(o => o.Name == "source-splits").Entries)
            .Select(bytes => serializer.Deserialize(new DataInput(bytes)))
            .Sum(split => split.End - split.Next + 1);
    }
}
