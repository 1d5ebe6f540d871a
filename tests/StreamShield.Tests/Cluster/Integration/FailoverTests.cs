using StreamShield.Cluster.Model;
using StreamShield.Examples;
using StreamShield.Sinks;

namespace StreamShield.Tests.Cluster.Integration;

/// <summary>
/// A job on real worker processes survives `kill -9` of one worker and a hang (SIGSTOP) of another, and its
/// transactional output equals the fault-free output exactly.
/// </summary>
[Collection(nameof(ClusterProcessesCollection))]
public sealed class FailoverTests
{
    [Fact]
    public void Job_survives_a_killed_and_a_hung_worker_with_exact_output()
    {
        using var cluster = new LocalClusterProcesses("failover", workers: 3, slots: 2);
        var output = Path.Combine(cluster.Directory, "out");
        const long events = 3_000_000;
        const int users = 500;
        var job = cluster.Submit(typeof(WindowedCountsJob), ["--events", $"{events}", "--users", $"{users}", "--rate", "250000", "--output", output], parallelism: 2, checkpointIntervalMs: 300);

        // Let the job checkpoint, then kill -9 a worker running a source.
        cluster.WaitUntil(() => cluster.Job(job).Summary.CheckpointsCompleted >= 2, TimeSpan.FromSeconds(60), "two completed checkpoints");
        var first = cluster.Job(job).Vertices[0].Subtasks[0].WorkerId!;
        LocalClusterProcesses.Signal(LocalClusterProcesses.PidOf(first), "KILL");

        // After the restart, hang another worker of the new attempt: only heartbeats can tell.
        cluster.WaitUntil(() =>
        {
            var d = cluster.Job(job);
            return d.Summary.Restarts >= 1 && d.Summary.Status == "Running" && d.Vertices.SelectMany(v => v.Subtasks).All(s => s.State == "Running" && s.WorkerId != first);
        }, TimeSpan.FromSeconds(60), "the job to run again after the kill");
        var checkpointsAfterKill = cluster.Job(job).Summary.CheckpointsCompleted;
        cluster.WaitUntil(() => cluster.Job(job).Summary.CheckpointsCompleted > checkpointsAfterKill, TimeSpan.FromSeconds(60), "a checkpoint after the restart");
        var second = cluster.Job(job).Vertices[0].Subtasks.Select(s => s.WorkerId!).First(w => w != first);
        LocalClusterProcesses.Signal(LocalClusterProcesses.PidOf(second), "STOP");

        cluster.WaitUntil(() => cluster.Job(job).Summary.Status is "Finished" or "Failed", TimeSpan.FromSeconds(120), "the job to finish");
        var detail = cluster.Job(job);
        var timeline = cluster.Timeline(job);
        var story = string.Join("\n", timeline.Select(e => $"{e.Time:HH:mm:ss.fff} {e.Kind} {e.Message}"));
        Assert.True(detail.Summary.Status == "Finished", $"status {detail.Summary.Status}, failure {detail.Failure}\n{story}\n{cluster.Logs()}");
        Assert.True(detail.Summary.Restarts >= 2, $"expected two failovers, got {detail.Summary.Restarts}\n{story}");
        Assert.Contains(timeline, e => e.Kind == "TaskFailed" && e.Message.Contains(first) && e.Message.Contains("connection"));
        Assert.Contains(timeline, e => e.Kind == "TaskFailed" && e.Message.Contains(second) && e.Message.Contains("no heartbeat"));

        var expected = WindowedCountsJob.Expected(events, users).Select(c => c.ToString()).ToList();
        var diff = ExactOutput.Diff(expected, FileSink<string>.ReadCommittedLines(output));
        Assert.True(diff is null, $"{diff}\n{story}");

        var exceptions = cluster.Exceptions(job);
        Assert.Equal(2, exceptions.Count(e => e.WorkerId == first || e.WorkerId == second));
    }

    [Fact]
    public void Losing_the_newest_checkpoint_before_a_worker_dies_fails_the_job_instead_of_duplicating_committed_output()
    {
        using var cluster = new LocalClusterProcesses("lost-checkpoint", workers: 2, slots: 2);
        var output = Path.Combine(cluster.Directory, "out");
        var job = cluster.Submit(typeof(WindowedCountsJob), ["--events", "12000000", "--users", "500", "--rate", "300000", "--output", output], parallelism: 2, checkpointIntervalMs: 1000);
        cluster.WaitUntil(() => cluster.Job(job).Summary.CheckpointsCompleted >= 2, TimeSpan.FromSeconds(60), "two completed checkpoints");

        // The newest checkpoint goes (its output is committed), then a worker dies: checkpoints come every second,
        // the kill follows within milliseconds.
        var root = Path.Combine(cluster.Directory, "checkpoints", job);
        var newest = StreamShield.Runtime.Checkpointing.FileSystemCheckpointStorage.ListCheckpoints(root)[0];
        Directory.Delete(newest, recursive: true);
        var worker = cluster.Job(job).Vertices[0].Subtasks[0].WorkerId!;
        LocalClusterProcesses.Signal(LocalClusterProcesses.PidOf(worker), "KILL");

        cluster.WaitUntil(() => cluster.Job(job).Summary.Status is "Finished" or "Failed", TimeSpan.FromSeconds(60), "the job to end");
        var detail = cluster.Job(job);
        var story = string.Join("\n", cluster.Timeline(job).Select(e => $"{e.Time:HH:mm:ss.fff} {e.Kind} {e.Message}"));
        Assert.True(detail.Summary.Status == "Failed", $"status {detail.Summary.Status}\n{story}\n{cluster.Logs()}");
        Assert.Contains("Cannot recover: checkpoint", detail.Failure);
        Assert.Contains(Path.GetFileName(newest), detail.Failure);
        var committed = FileSink<string>.ReadCommittedLines(output);
        Assert.NotEmpty(committed);
        Assert.True(committed.Count == committed.Distinct().Count(), $"{committed.Count - committed.Distinct().Count()} committed rows duplicated\n{story}");
    }

    [Fact]
    public void Checkpoint_storage_refusing_the_final_checkpoint_fails_only_that_checkpoint_not_the_workers()
    {
        using var cluster = new LocalClusterProcesses("storage-refuses", workers: 2, slots: 2);
        var workers = cluster.Workers().Select(w => w.Id).Order().ToList();
        var output = Path.Combine(cluster.Directory, "out");
        const long events = 400_000;
        const int users = 200;
        var job = cluster.Submit(typeof(WindowedCountsJob), ["--events", $"{events}", "--users", $"{users}", "--rate", "200000", "--output", output],
            parallelism: 2, checkpointIntervalMs: null, new Dictionary<string, string> { ["execution.checkpointing.tolerable-failed-checkpoints"] = "100" });
        // A file where the final checkpoint's directory goes: the coordinator cannot create it (as a read-only or full
        // disk refuses it), and it is asked on a worker's control-connection thread when the sources finish.
        var blocker = Path.Combine(cluster.Directory, "checkpoints", job, "chk-1");
        File.WriteAllText(blocker, "not a directory");

        cluster.WaitUntil(() => cluster.Timeline(job).Any(e => e.Kind == "CheckpointFailed" && e.Message.Contains("refused")), TimeSpan.FromSeconds(60), "the final checkpoint to be refused");
        File.Delete(blocker);
        cluster.WaitUntil(() => cluster.Job(job).Summary.Status is "Finished" or "Failed", TimeSpan.FromSeconds(60), "the job to end");

        var detail = cluster.Job(job);
        var timeline = cluster.Timeline(job);
        var story = string.Join("\n", timeline.Select(e => $"{e.Time:HH:mm:ss.fff} {e.Kind} {e.Message}"));
        Assert.True(detail.Summary.Status == "Finished", $"status {detail.Summary.Status}\n{story}\n{cluster.Logs()}");
        Assert.Equal(0, detail.Summary.Restarts);
        Assert.DoesNotContain(timeline, e => e.Kind == "TaskFailed");
        Assert.Equal(workers, cluster.Workers().Select(w => w.Id).Order().ToList()); // the same two workers, never dropped
        var expected = WindowedCountsJob.Expected(events, users).Select(c => c.ToString()).ToList();
        var diff = ExactOutput.Diff(expected, FileSink<string>.ReadCommittedLines(output));
        Assert.True(diff is null, $"{diff}\n{story}");
    }
}
