using StreamShield.Examples;

namespace StreamShield.Tests.Cluster.Integration;

/// <summary>A worker unloads each job's code when the job ends: 20 submit/cancel cycles leave no job code behind and do not grow the worker.</summary>
[Collection(nameof(ClusterProcessesCollection))]
public sealed class JobCodeUnloadTests
{
    [Fact]
    public void Twenty_submit_cancel_cycles_unload_every_job_and_keep_worker_memory_flat()
    {
        using var cluster = new LocalClusterProcesses("unload", workers: 1, slots: 2);
        var output = Path.Combine(cluster.Directory, "out");
        var memory = new List<long>();
        for (var cycle = 0; cycle < 20; cycle++)
        {
            var job = cluster.Submit(typeof(ClickLogJob), ["--events", "100000000", "--rate", "20000", "--output", output], parallelism: 2, checkpointIntervalMs: 200);
            cluster.WaitUntil(() => cluster.Job(job).Summary is { Status: "Running", RecordsIn: > 0 }, TimeSpan.FromSeconds(60), $"cycle {cycle}: the job to run");
            Assert.True(cluster.Workers().Single().JobCodeContexts == 1, $"contexts {cluster.Workers().Single().JobCodeContexts}\n{cluster.Logs()}");
            cluster.Cancel(job);
            cluster.WaitUntil(() => cluster.Job(job).Summary.Status == "Canceled", TimeSpan.FromSeconds(30), $"cycle {cycle}: the job to be cancelled");
            // The worker unloads the job's context and collects it; the heartbeat reports what is still in memory.
            cluster.WaitUntil(() => cluster.Workers().Single().JobCodeContexts == 0, TimeSpan.FromSeconds(30), $"cycle {cycle}: the job's code to be collected on the worker");
            memory.Add(cluster.Workers().Single().MemoryBytes);
        }
        // Working set is noisy (GC heaps grow and shrink); a leak of a job's code and state per cycle would add
        // several MB each time. Compare the last cycles with the early ones after warm-up.
        var early = memory.Skip(3).Take(3).Order().ElementAt(1);
        var late = memory.TakeLast(3).Order().ElementAt(1);
        Assert.True(late - early < 48L * 1024 * 1024, $"worker working set grew from {early / 1048576} MB to {late / 1048576} MB over 20 cycles: {string.Join(", ", memory.Select(m => m / 1048576))} MB");
    }
}
