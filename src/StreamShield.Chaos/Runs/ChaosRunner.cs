using System.Diagnostics;
using System.Globalization;
using StreamShield.Chaos.Cluster;
using StreamShield.Chaos.Scenarios;
using StreamShield.Cluster.Model;
using StreamShield.Cluster.Packaging;
using StreamShield.Examples;
using StreamShield.Sinks;

namespace StreamShield.Chaos.Runs;

/// <summary>
/// Runs one scenario: starts a local cluster of real processes, submits the workload, waits for steady state (the
/// first completed checkpoint), injects the faults on their schedule through the OS (signals to worker processes) or
/// the job's fault points, follows the job over REST every 100 ms, and when it ends (or the deadline passes) checks
/// the committed output against the fault-free output and measures each fault's recovery. Nothing in the engine
/// knows it is under test.
/// </summary>
public sealed class ChaosRunner(IReadOnlyList<string> streamshield, Action<string> progress)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs <paramref name="scenario"/> with <paramref name="seed"/> (null: the scenario's) in a fresh directory under <paramref name="workDir"/>.</summary>
    public ChaosResult Run(Scenario scenario, int? seed, string workDir)
    {
        var s = seed ?? scenario.Seed;
        var random = new Random(s);
        var dir = Path.Combine(workDir, $"{scenario.Name}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(dir);
        var w = scenario.Workload;
        var output = Path.Combine(dir, "output");
        progress($"{scenario.Name}: seed {s}; {scenario.Cluster.Workers} workers x {scenario.Cluster.Slots} slots; {w.Kind}, {w.Events:N0} events at {w.Rate:N0}/s, parallelism {w.Parallelism}");
        using var cluster = LocalCluster.Start(streamshield, Path.Combine(dir, "cluster"), scenario.Cluster.Workers, scenario.Cluster.Slots, progress);

        var configuration = new Dictionary<string, string>(w.Configuration, StringComparer.Ordinal);
        foreach (var f in scenario.Faults)
        {
            var afterMs = (long)ScenarioLoader.Duration(f.At, "at").TotalMilliseconds;
            if (f.Kind == "exception")
                configuration["fault.task.process"] = string.Create(CultureInfo.InvariantCulture, $"throw:afterms={afterMs}:subtask={f.Subtask}:attempt=0:times=1");
            else if (f.Kind == "slow-subtask")
                configuration["fault.task.process"] = string.Create(CultureInfo.InvariantCulture, $"delay:ms={f.DelayMs}:afterms={afterMs}:subtask={f.Subtask}:attempt=-1:times={f.Turns}");
            else if (f.Kind == "slow-snapshots")
                configuration["fault.state.snapshot"] = string.Create(CultureInfo.InvariantCulture, $"delay:ms={f.DelayMs}:afterms={afterMs}:attempt=-1:times={f.Turns}");
        }
        var latencyDir = Path.Combine(dir, "latency");
        var jobId = Submit(cluster, w, output, latencyDir, configuration);
        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        progress($"job {jobId} submitted");

        var samples = new List<RunSample>();
        var faults = new List<InjectedFault>();
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() => Sample(cluster, jobId, clock, samples, stop.Token)) { IsBackground = true, Name = "chaos sampler" };
        sampler.Start();

        double? steady = null;
        string status;
        var plan = FaultPlan.Expand(scenario.Faults);
        try
        {
            var deadline = TimeSpan.FromSeconds(scenario.DeadlineSeconds);
            var next = 0;
            var pendingResumes = new List<(double At, int Pid, string Worker)>();
            double lastReport = 0;
            while (true)
            {
                var detail = cluster.Client.JobAsync(jobId).GetAwaiter().GetResult();
                status = detail.Summary.Status;
                var now = clock.Elapsed.TotalSeconds;
                if (steady is null && status == "Running" && detail.Summary.CheckpointsCompleted >= 1 && detail.Summary.RecordsIn > 0)
                {
                    steady = now;
                    progress($"[{now,6:0.0}s] steady state (records flowing, first checkpoint completed); faults follow");
                }
                if (steady is { } t0)
                {
                    while (next < plan.Count && now >= t0 + plan[next].At.TotalSeconds)
                    {
                        var action = plan[next++];
                        if (ScenarioLoader.ConfiguredKinds.Contains(action.Kind)) continue; // armed at submission
                        var fault = Inject(action, cluster, jobId, detail, random, now, pendingResumes);
                        faults.Add(fault);
                        progress($"[{now,6:0.0}s] fault {faults.Count}: {fault.Description}");
                    }
                }
                foreach (var r in pendingResumes.Where(r => now >= r.At).ToList())
                {
                    pendingResumes.Remove(r);
                    TrySignal(r.Pid, Signals.Continue);
                    progress($"[{now,6:0.0}s] resumed {r.Worker} (pid {r.Pid})");
                }
                if (status is "Finished" or "Failed" or "Canceled" && pendingResumes.Count == 0) break;
                if (clock.Elapsed > deadline)
                {
                    progress($"[{now,6:0.0}s] deadline of {deadline.TotalSeconds:0} s passed with the job {status}: cancelling it");
                    foreach (var r in pendingResumes) TrySignal(r.Pid, Signals.Continue);
                    try { cluster.Client.CancelAsync(jobId).GetAwaiter().GetResult(); }
                    catch (ClusterRequestException) { }
                    break;
                }
                if (now - lastReport >= 2)
                {
                    lastReport = now;
                    var rate = RecoveryAnalysis.Throughput(Snapshot(samples)).LastOrDefault().PerSecond;
                    progress($"[{now,6:0.0}s] {status}: {detail.Summary.RecordsIn:N0} records in, {rate:N0}/s; {detail.Summary.CheckpointsCompleted} checkpoints, {detail.Summary.Restarts} restarts; {faults.Count} faults so far");
                }
                Thread.Sleep(Poll);
            }
        }
        finally
        {
            // The sampler uses the cluster's client: it stops before the cluster goes, whatever happened above.
            stop.Cancel();
            sampler.Join();
        }
        var seconds = clock.Elapsed.TotalSeconds;

        var summary = cluster.Client.JobAsync(jobId).GetAwaiter().GetResult().Summary;
        var timeline = cluster.Client.TimelineAsync(jobId).GetAwaiter().GetResult();
        var checkpoints = cluster.Client.CheckpointsAsync(jobId).GetAwaiter().GetResult();
        // An exception fault fires inside a worker: the coordinator's timeline shows it as the subtask's failure.
        foreach (var e in timeline.Where(e => e.Kind == "TaskFailed" && e.Message.Contains("Injected fault at 'task.process'", StringComparison.Ordinal)))
            faults.Add(new InjectedFault((e.Time - startedAt).TotalSeconds, "exception", "job", null, e.Message));
        // Slowness armed in the job's configuration starts when its delay (from the job's start) has passed.
        foreach (var f in scenario.Faults.Where(f => f.Kind is "slow-subtask" or "slow-snapshots"))
            faults.Add(new InjectedFault(ScenarioLoader.Duration(f.At, "at").TotalSeconds, f.Kind, f.Kind == "slow-subtask" ? $"subtask {f.Subtask}" : "every subtask",
                null, f.Kind == "slow-subtask" ? $"subtask {f.Subtask} sleeps {f.DelayMs} ms in each of {f.Turns} turns" : $"the next {f.Turns} state snapshots take {f.DelayMs} ms longer"));
        faults.Sort((a, b) => a.Seconds.CompareTo(b.Seconds));

        var collected = Snapshot(samples);
        var throughput = RecoveryAnalysis.Throughput(collected);
        var firstFault = faults.Count > 0 ? faults[0].Seconds : collected.LastOrDefault().Seconds;
        // The pre-fault figures leave out the first second of steady state (a paced source ramps up).
        var pre = steady is { } st ? RecoveryAnalysis.Median(throughput, Math.Min(st + 1, firstFault), firstFault) : null;
        var failures = timeline.Where(e => e.Kind == "TaskFailed").Select(e => (e.Time - startedAt).TotalSeconds).ToList();
        List<(double Seconds, double P99Ms)>? latency = w.Kind == "nexmark"
            ? [.. LatencyFiles.ReadP99(latencyDir).Select(kv => ((kv.Key - startedAt.ToUnixTimeMilliseconds()) / 1000.0, kv.Value))]
            : null;
        double? preP99 = latency is not null && steady is { } s0 ? RecoveryAnalysis.Median(latency, Math.Min(s0 + 1, firstFault), firstFault) : null;
        // A finished job's input ended with its last new record: silence after that is not an outage.
        var inputEnd = summary.Status == "Finished" && collected.Count > 0
            ? collected.First(x => x.RecordsIn == collected[^1].RecordsIn).Seconds
            : double.MaxValue;
        var recoveries = pre is { } p ? faults.Select(f => RecoveryAnalysis.Analyze(collected, f.Seconds, p, failures, latency, preP99, inputEnd)).ToList() : [];

        var oracle = w.Kind == "windowed-counts" ? Judge(w, output) : null;
        var reasons = new List<string>();
        var slo = scenario.Slo;
        if (slo.MustFinish && summary.Status != "Finished") reasons.Add($"the job ended {summary.Status}, not Finished");
        if (slo.ExactlyOnce && oracle is { Exact: false }) reasons.Add($"not exactly once: {oracle.Lost} lost, {oracle.Duplicated} duplicated, {oracle.Wrong} wrong");
        if (latency is not null && preP99 is null) reasons.Add("no latency was recorded before the first fault");
        if (steady is null) reasons.Add("the job never reached steady state (no completed checkpoint)");
        foreach (var (r, i) in recoveries.Select((r, i) => (r, i)))
        {
            if (r.RecoverySeconds is null) reasons.Add($"fault {i + 1} ({faults[i].Kind}): throughput never came back to 90 % of its pre-fault value{(latency is null ? "" : ", or p99 latency within 10 % of its own")}");
            else if (r.RecoverySeconds > slo.MaxRecoverySeconds) reasons.Add($"fault {i + 1} ({faults[i].Kind}): recovery took {r.RecoverySeconds:0.00} s, more than {slo.MaxRecoverySeconds} s");
            if (r.ZeroOutputSeconds > slo.MaxZeroOutputSeconds) reasons.Add($"fault {i + 1} ({faults[i].Kind}): {r.ZeroOutputSeconds:0.00} s without output, more than {slo.MaxZeroOutputSeconds} s");
        }
        if (faults.Count < plan.Count) reasons.Add($"only {faults.Count} of {plan.Count} planned faults were injected (the job ended or never reached steady state first)");
        progress($"{scenario.Name}: {(reasons.Count == 0 ? "PASSED" : "FAILED")}; {summary.Status}, {faults.Count} faults" +
                 (oracle is null ? "" : $", {oracle.Lost} lost, {oracle.Duplicated} duplicated, {oracle.Wrong} wrong"));
        return new ChaosResult(scenario.Name, scenario.Description, s, summary.Status, seconds, steady, pre, faults, recoveries, oracle, summary.Restarts,
            collected, timeline, checkpoints, reasons.Count == 0, reasons, latency, preP99);
    }

    private static string Submit(LocalCluster cluster, WorkloadSpec w, string output, string latency, Dictionary<string, string> configuration)
    {
        var nexmark = w.Kind == "nexmark";
        var type = nexmark ? typeof(StreamShield.Connectors.Nexmark.NexmarkJob) : typeof(WindowedCountsJob);
        using var packed = JobPackager.Pack(type.Assembly.Location, type.FullName);
        var artifact = cluster.Client.UploadArtifactAsync(packed.ZipPath).GetAwaiter().GetResult();
        // A paced Nexmark run starts its due times a little ahead, so that deployment is not counted as latency.
        string[] args = nexmark
            ? ["--query", w.Query, "--events", w.Events.ToString(CultureInfo.InvariantCulture), "--rate", ((int)w.Rate).ToString(CultureInfo.InvariantCulture),
               "--base-time", (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 3_000).ToString(CultureInfo.InvariantCulture),
               "--latency-output", latency, "--latency-bucket-ms", "100"]
            : ["--events", w.Events.ToString(CultureInfo.InvariantCulture), "--users", w.Users.ToString(CultureInfo.InvariantCulture),
               "--rate", w.Rate.ToString(CultureInfo.InvariantCulture), "--output", output];
        var interval = (long)ScenarioLoader.Duration(w.CheckpointInterval, "checkpointInterval").TotalMilliseconds;
        return cluster.Client.SubmitAsync(new SubmitRequest(artifact.Id, type.FullName, args, w.Parallelism, null, interval,
            configuration.Count == 0 ? null : configuration)).GetAwaiter().GetResult().JobId;
    }

    private static void Sample(LocalCluster cluster, string jobId, Stopwatch clock, List<RunSample> samples, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var summary = cluster.Client.JobAsync(jobId, stop).GetAwaiter().GetResult().Summary;
                lock (samples) samples.Add(new RunSample(clock.Elapsed.TotalSeconds, summary.RecordsIn, summary.Status));
            }
            catch (Exception e) when (e is ClusterRequestException or OperationCanceledException or ObjectDisposedException)
            {
                // A missed sample is a gap in the timeline, not a failure of the run.
            }
            stop.WaitHandle.WaitOne(Poll);
        }
    }

    private static List<RunSample> Snapshot(List<RunSample> samples)
    {
        lock (samples) return [.. samples];
    }

    private InjectedFault Inject(FaultAction action, LocalCluster cluster, string jobId, JobDetail job, Random random, double now, List<(double At, int Pid, string Worker)> resumes)
    {
        if (action.Kind == "storage-refuses") return RefuseStorage(cluster, jobId, action.Duration, now);
        var (worker, pid) = ResolveTarget(action.Target, cluster, job, random);
        if (pid is null) return new InjectedFault(now, action.Kind, action.Target, null, $"{action.Kind} of {action.Target}: no live worker found, nothing injected");
        switch (action.Kind)
        {
            case "hang":
                TrySignal(pid.Value, Signals.Stop);
                resumes.Add((now + action.Duration.TotalSeconds, pid.Value, worker));
                return new InjectedFault(now, "hang", worker, pid, $"SIGSTOP {worker} (pid {pid}) for {action.Duration.TotalSeconds:0.#} s");
            case "throttle":
                Throttle(pid.Value, action.Duration, action.Duty);
                return new InjectedFault(now, "throttle", worker, pid, $"CPU starvation of {worker} (pid {pid}): stopped {action.Duty:P0} of every 500 ms for {action.Duration.TotalSeconds:0.#} s");
            default:
                TrySignal(pid.Value, Signals.Kill);
                return new InjectedFault(now, "kill", worker, pid, $"kill -9 {worker} (pid {pid})");
        }
    }

    /// <summary>Stops and resumes <paramref name="pid"/> in 500 ms periods, stopped <paramref name="duty"/> of each, for <paramref name="duration"/>.</summary>
    private void Throttle(int pid, TimeSpan duration, double duty)
    {
        var stopped = TimeSpan.FromMilliseconds(500 * duty);
        var running = TimeSpan.FromMilliseconds(500 * (1 - duty));
        new Thread(() =>
        {
            var end = Stopwatch.StartNew();
            while (end.Elapsed < duration)
            {
                TrySignal(pid, Signals.Stop);
                Thread.Sleep(stopped);
                TrySignal(pid, Signals.Continue);
                Thread.Sleep(running);
            }
        }) { IsBackground = true, Name = $"throttle {pid}" }.Start();
    }

    /// <summary>
    /// Makes the job's checkpoint storage refuse the next checkpoint directories for <paramref name="duration"/>: a
    /// file stands where each of the next ids' directory would go (the coordinator cannot create it, as on a
    /// read-only or full disk), and is removed afterwards.
    /// </summary>
    private InjectedFault RefuseStorage(LocalCluster cluster, string jobId, TimeSpan duration, double now)
    {
        var root = Path.Combine(cluster.Dir, "checkpoints", jobId);
        var last = cluster.Client.CheckpointsAsync(jobId).GetAwaiter().GetResult().Select(c => c.Id).DefaultIfEmpty(0).Max();
        var blockers = Enumerable.Range(1, 400).Select(k => Path.Combine(root, $"chk-{last + k}")).ToList();
        foreach (var b in blockers)
        {
            try { File.WriteAllText(b, "checkpoint storage refuses this directory (chaos)"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // a directory already there: that checkpoint was triggered meanwhile
        }
        new Thread(() =>
        {
            Thread.Sleep(duration);
            foreach (var b in blockers)
            {
                try { if (File.Exists(b)) File.Delete(b); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
        }) { IsBackground = true, Name = "storage refusal" }.Start();
        return new InjectedFault(now, "storage-refuses", "checkpoint storage", null, $"checkpoint storage refuses new checkpoints for {duration.TotalSeconds:0.#} s");
    }

    /// <summary>The worker a target names now: the one running source subtask 0, a seeded choice among those running the job or among all live ones, or the N-th started.</summary>
    private static (string Worker, int? Pid) ResolveTarget(string target, LocalCluster cluster, JobDetail job, Random random)
    {
        var live = cluster.Client.WorkersAsync().GetAwaiter().GetResult();
        if (target == "source")
        {
            var id = job.Vertices.Count > 0 ? job.Vertices[0].Subtasks.FirstOrDefault()?.WorkerId : null;
            var w = live.FirstOrDefault(x => x.Id == id);
            return w is null ? ("source worker", null) : (w.Id, w.Pid);
        }
        if (target == "job")
        {
            // A seeded choice among the workers that run a subtask of the job now.
            var used = job.Vertices.SelectMany(v => v.Subtasks).Select(x => x.WorkerId).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var candidates = live.Where(x => used.Contains(x.Id)).OrderBy(x => x.Id, StringComparer.Ordinal).ToList();
            if (candidates.Count == 0) return ("a worker of the job", null);
            var w = candidates[random.Next(candidates.Count)];
            return (w.Id, w.Pid);
        }
        if (target == "random")
        {
            if (live.Count == 0) return ("a random worker", null);
            var w = live.OrderBy(x => x.Id, StringComparer.Ordinal).ElementAt(random.Next(live.Count));
            return (w.Id, w.Pid);
        }
        var n = int.Parse(target[7..], CultureInfo.InvariantCulture);
        var pid = cluster.WorkerPids[n - 1];
        return LocalCluster.IsOurs(pid) ? (target, pid) : (target, null);
    }

    private void TrySignal(int pid, int signal)
    {
        try { Signals.Send(pid, signal); }
        catch (InvalidOperationException e) { progress($"signal {signal} to {pid} failed: {e.Message}"); }
    }

    private static OracleVerdict Judge(WorkloadSpec w, string output)
    {
        var expected = WindowedCountsJob.Expected(w.Events, w.Users).Select(c => ($"{c.WindowStart},{c.User}", c.Count.ToString(CultureInfo.InvariantCulture)));
        var committed = Directory.Exists(output)
            ? FileSink<string>.ReadCommittedLines(output).Select(line =>
            {
                var last = line.LastIndexOf(',');
                return last < 0 ? (line, "") : (line[..last], line[(last + 1)..]);
            })
            : [];
        return OracleVerdict.Judge(expected, committed);
    }
}
