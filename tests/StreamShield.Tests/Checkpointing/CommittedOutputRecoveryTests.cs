using System.Runtime.CompilerServices;
using StreamShield.Execution;
using StreamShield.Runtime.Checkpointing;
using StreamShield.Sinks;

namespace StreamShield.Tests.Checkpointing;

/// <summary>
/// Recovery never restores state older than output the sinks already committed: the newest checkpoint lost or damaged
/// after its completion fails the job with the reason instead of replaying from an older checkpoint or from the start
/// (which duplicated every committed row).
/// </summary>
[Collection(nameof(CheckpointJobsCollection))]
public sealed class CommittedOutputRecoveryTests
{
    private static string Checkpoint(FileSystemCheckpointStorage storage, long id)
    {
        var location = storage.CreateLocation(id, null);
        storage.WriteMetadata(location, MetadataSerializer.Write(new CheckpointMetadata(id, 0, false, "job", [], [])));
        return location;
    }

    [Fact]
    public void Failover_restores_the_committed_checkpoint_or_a_newer_one_and_refuses_an_older_one()
    {
        using var dir = new TempDirectory("committed-recovery");
        var storage = new FileSystemCheckpointStorage(dir.Sub("checkpoints"));
        var warnings = new List<string>();
        Assert.Null(CheckpointLoader.LoadForFailover(storage, warnings.Add)); // nothing yet: the job's initial state

        var c1 = Checkpoint(storage, 1);
        storage.RecordCommitted(1, c1);
        var c2 = Checkpoint(storage, 2);
        // Checkpoint 2 completed but the process died before its output was committed: it is the newest valid one.
        Assert.Equal(2, CheckpointLoader.LoadForFailover(storage, warnings.Add)!.Metadata.CheckpointId);
        // Damaged before its commit: checkpoint 1 is consistent with what the sinks committed.
        File.WriteAllBytes(Path.Combine(c2, FileSystemCheckpointStorage.MetadataFileName), [1, 2, 3]);
        Assert.Equal(1, CheckpointLoader.LoadForFailover(storage, warnings.Add)!.Metadata.CheckpointId);

        var c3 = Checkpoint(storage, 3);
        storage.RecordCommitted(3, c3);
        Directory.Delete(c3, recursive: true);
        var error = Assert.Throws<UnrecoverableCheckpointException>(() => CheckpointLoader.LoadForFailover(storage, warnings.Add));
        Assert.Contains("checkpoint 3", error.Message);
        Assert.Contains("the older checkpoint 1", error.Message);
        Assert.Contains("committed", error.Message);
    }

    [Fact]
    public void A_committed_savepoint_outside_the_checkpoint_root_is_restored_when_it_is_newer_than_the_checkpoints()
    {
        using var dir = new TempDirectory("committed-savepoint");
        var storage = new FileSystemCheckpointStorage(dir.Sub("checkpoints"));
        Checkpoint(storage, 1);
        var savepoint = storage.CreateLocation(2, dir.Sub("savepoints"));
        storage.WriteMetadata(savepoint, MetadataSerializer.Write(new CheckpointMetadata(2, 0, true, "job", [], [])));
        storage.RecordCommitted(2, savepoint);

        var loaded = CheckpointLoader.LoadForFailover(storage, _ => { });
        Assert.Equal(savepoint, loaded!.Location);
    }

    [Fact]
    public async Task Losing_the_newest_checkpoint_after_its_output_was_committed_fails_the_job_without_duplicating_output()
    {
        using var dir = new TempDirectory("committed-lost");
        var root = dir.Sub("checkpoints");
        var output = dir.Sub("out");
        var fail = new StrongBox<bool>();
        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        env.EnableCheckpointing(TimeSpan.FromSeconds(1));
        env.Checkpointing.Directory = root;
        env.RestartStrategy = RestartStrategy.FixedDelay(3, TimeSpan.Zero);
        env.FromGenerator(n => n, count: 1_000_000_000, recordsPerSecond: 20_000)
            .Map(n => fail.Value ? throw new InvalidOperationException("injected after the checkpoint was lost") : n, "fail-on-demand")
            .SinkTo(new FileSink<long>(output), "file-sink");
        var client = env.ExecuteAsync("committed-lost");

        await JobDriver.WaitUntil(client, c => c.Metrics.CheckpointsCompleted >= 2, "2 checkpoints completed");
        var newest = FileSystemCheckpointStorage.ListCheckpoints(root)[0];
        // Checkpoints come every second: the failure below happens long before the next one can complete.
        Directory.Delete(newest, recursive: true);
        fail.Value = true;
        var result = await JobDriver.Completed(client);

        var timeline = JobDriver.Describe(result.Timeline);
        Assert.True(result.Status == JobStatus.Failed, $"expected the job to fail, it ended {result.Status}\n{timeline}");
        Assert.Contains("Cannot recover: checkpoint", result.Failure?.Message);
        Assert.Contains(Path.GetFileName(newest), result.Failure?.Message);
        var committed = FileSink<long>.ReadCommittedLines(output);
        Assert.NotEmpty(committed);
        var duplicated = committed.Count - committed.Distinct().Count();
        Assert.True(duplicated == 0, $"{duplicated} committed rows duplicated\n{timeline}");
        Assert.DoesNotContain(result.Timeline, e => e.Kind == JobEventKind.Restored); // neither an older checkpoint nor the start
    }
}
