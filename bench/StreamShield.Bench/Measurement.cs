using System.Diagnostics;
using StreamShield.Execution;

namespace StreamShield.Bench;

/// <summary>One measured run: records, wall time, CPU time of the process, peak memory.</summary>
internal sealed record Measurement(string Name, long Records, double WallSeconds, double CpuSeconds, long PeakWorkingSetBytes, long CheckpointsCompleted, long AllocatedBytes = 0)
{
    public double AllocatedBytesPerRecord => Records == 0 ? 0 : (double)AllocatedBytes / Records;

    public double RecordsPerSecond => Records / WallSeconds;
    public double RecordsPerCoreSecond => Records / CpuSeconds;

    /// <summary>Runs a job for a warm-up period and then a measured period, counting records read by the sources.</summary>
    public static Measurement RunJob(string name, StreamEnvironment env, TimeSpan warmup, TimeSpan measure)
    {
        var client = env.ExecuteAsync(name);
        Thread.Sleep(warmup);
        var process = Process.GetCurrentProcess();
        var startRecords = client.Metrics.RecordsIn;
        var startCpu = process.TotalProcessorTime;
        var startAllocated = GC.GetTotalAllocatedBytes();
        var watch = Stopwatch.StartNew();
        Thread.Sleep(measure);
        var allocated = GC.GetTotalAllocatedBytes() - startAllocated;
        var records = client.Metrics.RecordsIn - startRecords;
        var wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - startCpu).TotalSeconds;
        var checkpoints = client.Metrics.CheckpointsCompleted;
        if (Environment.GetEnvironmentVariable("BENCH_TASKS") is not null && client is StreamShield.Runtime.Execution.EmbeddedJobClient embedded)
            foreach (var t in embedded.Master.CurrentAttempt!.Tasks)
                Console.Error.WriteLine($"    {t.Name}: in {t.RecordsIn:N0}, buffers in {t.Counters.BuffersIn:N0}, out {t.RecordsOut:N0}, idle {t.Counters.IdleMs} ms, backpressured {t.Counters.BackpressuredMs} ms");
        client.Cancel();
        var result = client.Completion.GetAwaiter().GetResult();
        if (result.Status == JobStatus.Failed) throw new InvalidOperationException($"{name} failed: {result.Failure}");
        return new Measurement(name, records, wall, cpu, process.PeakWorkingSet64, checkpoints, allocated);
    }

    /// <summary>Measures a plain loop (the reference) the same way.</summary>
    public static Measurement RunLoop(string name, Func<CancellationToken, long> loop, TimeSpan measure)
    {
        var process = Process.GetCurrentProcess();
        var startCpu = process.TotalProcessorTime;
        using var cts = new CancellationTokenSource(measure);
        var watch = Stopwatch.StartNew();
        var records = loop(cts.Token);
        var wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        return new Measurement(name, records, wall, (process.TotalProcessorTime - startCpu).TotalSeconds, process.PeakWorkingSet64, 0);
    }
}
