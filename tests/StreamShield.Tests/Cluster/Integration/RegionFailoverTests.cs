using StreamShield.Examples;
using StreamShield.Sinks;

namespace StreamShield.Tests.Cluster.Integration;

/// <summary>
/// Region failover: in an embarrassingly parallel job each pipeline is its own region, so killing the worker of one
/// pipeline restarts only that pipeline; the other keeps its attempt, and the output is still exact.
/// </summary>
[Collection(nameof(ClusterProcessesCollection))]
public sealed class RegionFailoverTests
{
    [Fact]
    public void Killing_a_worker_restarts_only_its_region()
    {
        using var cluster = new LocalClusterProcesses("region", workers: 2, slots: 2);
        var output = Path.Combine(cluster.Directory, "out");
        const long events = 2_000_000;
        var job = cluster.Submit(typeof(ClickLogJob), ["--events", $"{events}", "--users", "100", "--rate", "200000", "--output", output], parallelism: 2,
            checkpointIntervalMs: 300, new Dictionary<string, string> { ["failover.strategy"] = "region" });

        cluster.WaitUntil(() => cluster.Job(job).Summary.CheckpointsCompleted >= 2, TimeSpan.FromSeconds(60), "two completed checkpoints");
        var subtasks = cluster.Job(job).Vertices.Single().Subtasks;
        Assert.NotEqual(subtasks[0].WorkerId, subtasks[1].WorkerId); // spread over both workers
        var victim = subtasks[0].WorkerId!;
        var survivor = subtasks[1].WorkerId!;
        var before = cluster.Timeline(job);
        var starts = before.Where(e => e.Kind == "Started" && e.Message.StartsWith("Attempt") && e.Message.Contains(survivor)).ToList();
        Assert.True(starts.Count == 1, "expected one deployment on the survivor before the fault:\n" + string.Join("\n", before.Select(e => $"{e.Time:HH:mm:ss.fff} {e.Kind} {e.Message}")) + cluster.Logs());
        var survivorStart = starts[0].Message;
        LocalClusterProcesses.Signal(LocalClusterProcesses.PidOf(victim), "KILL");

        cluster.WaitUntil(() => cluster.Job(job).Summary.Status is "Finished" or "Failed", TimeSpan.FromSeconds(120), "the job to finish");
        var detail = cluster.Job(job);
        var timeline = cluster.Timeline(job);
        var story = string.Join("\n", timeline.Select(e => $"{e.Time:HH:mm:ss.fff} {e.Kind} {e.Message}"));
        Assert.True(detail.Summary.Status == "Finished", $"status {detail.Summary.Status}, failure {detail.Failure}\n{story}\n{cluster.Logs()}");
        Assert.Equal(1, detail.Summary.Restarts);
        var failure = Assert.Single(timeline, e => e.Kind == "TaskFailed");
        Assert.Contains("region of 1 subtasks", failure.Message);
        // One new attempt, for the failed region only; the survivor's attempt was never redeployed.
        var deployments = timeline.Where(e => e.Kind == "Started" && e.Message.StartsWith("Attempt")).ToList();
        Assert.Equal(3, deployments.Count);
        Assert.Contains("1 subtasks", deployments[2].Message);
        Assert.Contains(survivor, deployments[2].Message);
        Assert.Contains(survivorStart, deployments.Select(d => d.Message));

        var expected = Enumerable.Range(0, (int)events).Select(n => ClickLogJob.LineAt(n, 100)).ToList();
        var diff = ExactOutput.Diff(expected, FileSink<string>.ReadCommittedLines(output));
        Assert.True(diff is null, $"{diff}\n{story}");
    }
}
