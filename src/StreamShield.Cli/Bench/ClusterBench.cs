using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StreamShield.Chaos.Cluster;
using StreamShield.Cli.Cluster;
using StreamShield.Cluster.Model;
using StreamShield.Cluster.Packaging;
using StreamShield.Cluster.Rest;
using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;

namespace StreamShield.Cli.Bench;

/// <summary>One throughput measurement: events, wall seconds and CPU seconds (of the worker processes for a cluster run).</summary>
internal sealed record ThroughputRun(long Events, double WallSeconds, double CpuSeconds)
{
    public double EventsPerSecond => Events / WallSeconds;
    public double EventsPerCoreSecond => Events / CpuSeconds;
}

/// <summary>One recovery measurement after kill -9 of a worker; seconds, null when the phase did not end in time.</summary>
internal sealed record RecoveryRun(string Victim, double PreFaultP99Ms, double? DetectionSeconds, double? RedeploySeconds, double? RestoreSeconds, double? CatchUpSeconds, double? PeakP99Ms)
{
    public double? TotalSeconds => DetectionSeconds + RedeploySeconds + RestoreSeconds + CatchUpSeconds;
}

/// <summary>The results of one query: throughput runs (cluster and embedded) and recovery runs.</summary>
internal sealed record ClusterQueryResult(string Query, long Events, int Workers, int Slots, int Parallelism, int Rate,
    IReadOnlyList<ThroughputRun> Cluster, IReadOnlyList<ThroughputRun> Embedded, IReadOnlyList<RecoveryRun> Recovery)
{
    public double ClusterEventsPerSecond => ClusterBench.Median(Cluster.Select(r => r.EventsPerSecond))!.Value;
    public double ClusterEventsPerCoreSecond => ClusterBench.Median(Cluster.Select(r => r.EventsPerCoreSecond))!.Value;
    public double EmbeddedEventsPerSecond => ClusterBench.Median(Embedded.Select(r => r.EventsPerSecond))!.Value;
    public double EmbeddedEventsPerCoreSecond => ClusterBench.Median(Embedded.Select(r => r.EventsPerCoreSecond))!.Value;
    public double? Phase(Func<RecoveryRun, double?> phase) => ClusterBench.Median(Recovery.Select(phase).OfType<double>());
}

/// <summary>
/// `streamshield bench cluster`: Nexmark on a local cluster (a coordinator and worker processes on loopback) against
/// the same query embedded, and the phases of recovery after kill -9 of a worker.
/// </summary>
internal static class ClusterBench
{
    public const string ThroughputDefinition =
        "bounded source, not rate limited, exactly-once checkpoints every 1 s, discarding sink; cluster: NexmarkJob submitted over REST, wall time from the " +
        "timeline's 'Attempt 0 deployed' to 'Finished', CPU = utime+stime of the worker processes (/proc/PID/stat) over the run; embedded: NexmarkBench's engine " +
        "run in this process (after a warm-up on a tenth of the events), CPU of this process. Both sides warm up once on a tenth of the events";

    public const string RecoveryDefinition =
        "a fresh cluster per run; the job paced at the given rate with wall-clock due times, latency = sink wall time - event due time, p99 per 100 ms of sink wall time per " +
        "sink subtask in files (combined: the max over subtasks); after the steady period, kill -9 of the worker running source subtask 0. " +
        "Detection: kill -> the timeline's TaskFailed; redeployment: -> 'Attempt N deployed'; state restore: -> every subtask Running in GET /jobs/{id} (polled every 10 ms); " +
        "catch-up: -> the start of the first 100 ms interval whose p99 is within 10% of the pre-fault p99 (median over the intervals of the 5 s before the kill)";

    public static Command Create()
    {
        var query = new Option<string>("--query") { Description = "The queries, comma-separated (q1, q5, ...).", Required = true };
        var events = new Option<long?>("--events") { Description = "Events of the throughput runs (default: q1 10,000,000; others 3,000,000)." };
        var workers = new Option<int>("--workers") { Description = "Worker processes.", DefaultValueFactory = _ => 2 };
        var slots = new Option<int>("--slots") { Description = "Slots per worker.", DefaultValueFactory = _ => 2 };
        var parallelism = new Option<int>("--parallelism", "-p") { Description = "Parallelism of the job.", DefaultValueFactory = _ => 2 };
        var repeat = new Option<int>("--repeat") { Description = "Runs of each measurement; medians are reported.", DefaultValueFactory = _ => 3 };
        var rate = new Option<int?>("--rate") { Description = "Events/s of the recovery runs (default: q1 200,000; others 100,000)." };
        var bucket = new Option<int>("--latency-bucket-ms") { Description = "Latency interval of the recovery runs in ms.", DefaultValueFactory = _ => 100 };
        var steady = new Option<int>("--steady-seconds") { Description = "Seconds the paced job runs before the kill.", DefaultValueFactory = _ => 12 };
        var skipThroughput = new Option<bool>("--no-throughput") { Description = "Skip the throughput runs." };
        var skipRecovery = new Option<bool>("--no-recovery") { Description = "Skip the recovery runs." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per query." };
        var results = new Option<string?>("--results") { Description = "Also write a markdown report to this file (e.g. bench/results/cluster.md)." };
        var command = new Command("cluster", "Nexmark on a local cluster of worker processes: throughput against the same query embedded, and recovery phases after kill -9 of a worker.")
        {
            query, events, workers, slots, parallelism, repeat, rate, bucket, steady, skipThroughput, skipRecovery, json, results,
        };
        command.SetAction(r =>
        {
            var names = r.GetValue(query)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var queries = names.Select(NexmarkQueries.Get).ToList();
            var n = r.GetValue(workers);
            var s = r.GetValue(slots);
            var p = r.GetValue(parallelism);
            var times = r.GetValue(repeat);
            if (n < 1 || s < 1 || p < 1 || times < 1) throw new ArgumentException("--workers, --slots, --parallelism and --repeat must be positive.");
            var all = new List<ClusterQueryResult>();
            foreach (var q in queries)
            {
                var count = r.GetValue(events) ?? (q.Name == "q1" ? 10_000_000 : 3_000_000);
                var pace = r.GetValue(rate) ?? (q.Name == "q1" ? 200_000 : 100_000);
                var result = RunQuery(q, count, n, s, p, times, pace, r.GetValue(bucket), r.GetValue(steady), !r.GetValue(skipThroughput), !r.GetValue(skipRecovery));
                all.Add(result);
                Console.WriteLine(r.GetValue(json) ? ToJson(result).ToJsonString() : Markdown([result]));
            }
            if (r.GetValue(results) is { } file)
            {
                if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir) Directory.CreateDirectory(dir);
                File.WriteAllText(file, Markdown(all));
                Console.Error.WriteLine($"Wrote {file}.");
            }
            return 0;
        });
        return command;
    }

    private static void Log(string message) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.UtcNow:HH:mm:ss.fff}] {message}"));

    private static ClusterQueryResult RunQuery(INexmarkQuery query, long events, int workers, int slots, int parallelism, int repeat, int rate, int bucketMs, int steadySeconds,
        bool throughput, bool recovery)
    {
        var root = Path.Combine(Path.GetTempPath(), $"streamshield-bench-cluster-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            var cluster = new List<ThroughputRun>();
            var embedded = new List<ThroughputRun>();
            if (throughput)
            {
                using (var c = LocalCluster.Start(ClusterCommand.SelfCommandLine(), Path.Combine(root, "throughput"), workers, slots, Log))
                {
                    Log($"{query.Name}: cluster warm-up ({Math.Max(1, events / 10):N0} events)");
                    ClusterThroughput(c, query, Math.Max(1, events / 10), parallelism);
                    for (var i = 0; i < repeat; i++)
                    {
                        var run = ClusterThroughput(c, query, events, parallelism);
                        Log($"{query.Name}: cluster run {i + 1}: {run.EventsPerSecond:N0} events/s, {run.EventsPerCoreSecond:N0} events/s/core ({run.WallSeconds:0.00} s, {run.CpuSeconds:0.00} CPU s)");
                        cluster.Add(run);
                    }
                }
                var options = new NexmarkOptions { MaxEvents = events };
                NexmarkBench.RunEngine(query, options with { MaxEvents = Math.Max(1, events / 10) }, parallelism, TimeSpan.FromSeconds(1));
                for (var i = 0; i < repeat; i++)
                {
                    var measured = Run.Measure(events, () => NexmarkBench.RunEngine(query, options, parallelism, TimeSpan.FromSeconds(1)));
                    var run = new ThroughputRun(events, measured.WallSeconds, measured.CpuSeconds);
                    Log($"{query.Name}: embedded run {i + 1}: {run.EventsPerSecond:N0} events/s, {run.EventsPerCoreSecond:N0} events/s/core");
                    embedded.Add(run);
                }
            }
            var recoveries = new List<RecoveryRun>();
            if (recovery)
                for (var i = 0; i < repeat; i++)
                {
                    var run = Recovery(Path.Combine(root, $"recovery-{i + 1}"), query, workers, slots, parallelism, rate, bucketMs, steadySeconds);
                    Log($"{query.Name}: recovery run {i + 1}: {run}");
                    recoveries.Add(run);
                }
            return new ClusterQueryResult(query.Name, events, workers, slots, parallelism, rate, cluster, embedded, recoveries);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string Submit(LocalCluster cluster, IReadOnlyList<string> args, int parallelism)
    {
        var type = typeof(NexmarkJob);
        using var packed = JobPackager.Pack(type.Assembly.Location, type.FullName);
        var artifact = cluster.Client.UploadArtifactAsync(packed.ZipPath).GetAwaiter().GetResult();
        return cluster.Client.SubmitAsync(new SubmitRequest(artifact.Id, type.FullName, args, parallelism, null, 1_000)).GetAwaiter().GetResult().JobId;
    }

    private static ThroughputRun ClusterThroughput(LocalCluster cluster, INexmarkQuery query, long events, int parallelism)
    {
        var cpu0 = cluster.WorkerPids.Sum(CpuSeconds);
        var id = Submit(cluster, ["--query", query.Name, "--events", events.ToString(CultureInfo.InvariantCulture)], parallelism);
        var deadline = Stopwatch.StartNew();
        JobSummary summary;
        while (true)
        {
            summary = cluster.Client.JobAsync(id).GetAwaiter().GetResult().Summary;
            if (summary.Status is "Finished" or "Failed" or "Canceled") break;
            if (deadline.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"{query.Name} did not finish within 10 minutes on the cluster.");
            Thread.Sleep(50);
        }
        var cpu1 = cluster.WorkerPids.Sum(CpuSeconds);
        if (summary.Status != "Finished")
            throw new InvalidOperationException($"{query.Name} ended {summary.Status} on the cluster: {cluster.Client.JobAsync(id).GetAwaiter().GetResult().Failure}");
        var timeline = cluster.Client.TimelineAsync(id).GetAwaiter().GetResult();
        var started = timeline.First(e => e.Kind == "Started" && e.Message.StartsWith("Attempt 0 deployed", StringComparison.Ordinal)).Time;
        var finished = timeline.Last(e => e.Kind == "Finished").Time;
        if (summary.RecordsIn != events) Log($"warning: {query.Name}: the REST API counts {summary.RecordsIn:N0} records in, not the {events:N0} events the source was given");
        if (summary.Restarts > 0) throw new InvalidOperationException($"{query.Name} restarted {summary.Restarts} time(s) during the throughput run: {string.Join("; ", timeline.Select(e => e.Message))}");
        return new ThroughputRun(events, (finished - started).TotalSeconds, cpu1 - cpu0);
    }

    private static RecoveryRun Recovery(string dir, INexmarkQuery query, int workers, int slots, int parallelism, int rate, int bucketMs, int steadySeconds)
    {
        using var cluster = LocalCluster.Start(ClusterCommand.SelfCommandLine(), dir, workers, slots, Log);
        var latencyDir = Path.Combine(dir, "latency");
        var baseTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 4_000;
        var id = Submit(cluster, ["--query", query.Name, "--events", "0", "--rate", rate.ToString(CultureInfo.InvariantCulture),
            "--base-time", baseTime.ToString(CultureInfo.InvariantCulture), "--latency-output", latencyDir, "--latency-bucket-ms", bucketMs.ToString(CultureInfo.InvariantCulture)], parallelism);
        try
        {
            // Steady: the paced run has gone for steadySeconds and checkpoints complete.
            while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < baseTime + steadySeconds * 1000L || cluster.Client.JobAsync(id).GetAwaiter().GetResult().Summary.CheckpointsCompleted < 2)
            {
                var status = cluster.Client.JobAsync(id).GetAwaiter().GetResult().Summary.Status;
                if (status is "Finished" or "Failed" or "Canceled") throw new InvalidOperationException($"{query.Name} ended {status} before the fault.");
                Thread.Sleep(200);
            }
            var detail = cluster.Client.JobAsync(id).GetAwaiter().GetResult();
            var source = detail.Vertices.FirstOrDefault(v => v.Name.Contains("Source", StringComparison.OrdinalIgnoreCase)) ?? detail.Vertices[0];
            var victimId = source.Subtasks.OrderBy(t => t.Index).First().WorkerId ?? throw new InvalidOperationException("Source subtask 0 has no worker.");
            var victimPid = cluster.Client.WorkersAsync().GetAwaiter().GetResult().First(w => w.Id == victimId).Pid;
            if (!cluster.WorkerPids.Contains(victimPid)) throw new InvalidOperationException($"Worker {victimId} (pid {victimPid}) is not one this harness started.");

            var kill = DateTimeOffset.UtcNow;
            Signals.Send(victimPid, Signals.Kill);
            Log($"{query.Name}: killed {victimId} (pid {victimPid}) at {kill:HH:mm:ss.fff}");

            DateTimeOffset? failed = null, deployed = null, running = null;
            var watch = Stopwatch.StartNew();
            while (running is null && watch.Elapsed < TimeSpan.FromSeconds(90))
            {
                if (deployed is null)
                {
                    var timeline = cluster.Client.TimelineAsync(id).GetAwaiter().GetResult();
                    failed ??= timeline.FirstOrDefault(e => e.Kind == "TaskFailed" && e.Time >= kill.AddMilliseconds(-5))?.Time;
                    if (failed is { } f)
                        deployed = timeline.FirstOrDefault(e => e.Kind == "Started" && e.Time >= f && e.Message.Contains(" deployed on ", StringComparison.Ordinal))?.Time;
                }
                if (deployed is not null)
                {
                    var subtasks = cluster.Client.JobAsync(id).GetAwaiter().GetResult().Vertices.SelectMany(v => v.Subtasks).ToList();
                    if (subtasks.Count > 0 && subtasks.All(t => t.State == "Running")) running = DateTimeOffset.UtcNow;
                }
                if (running is null) Thread.Sleep(10);
            }

            // Catch-up: the first interval after the restore whose p99 is within 10% of the pre-fault p99.
            var killMs = kill.ToUnixTimeMilliseconds();
            double pre = double.NaN;
            double? catchUp = null, peak = null;
            watch.Restart();
            while (running is { } run && catchUp is null && watch.Elapsed < TimeSpan.FromSeconds(90))
            {
                Thread.Sleep(500);
                var seconds = StreamShield.Chaos.Runs.LatencyFiles.ReadP99(latencyDir);
                pre = Median(seconds.Where(x => x.Key >= killMs - 5_000 && x.Key + bucketMs <= killMs).Select(x => x.Value)) ?? double.NaN;
                var runMs = run.ToUnixTimeMilliseconds();
                var complete = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1_000 - bucketMs; // every subtask has written these intervals
                foreach (var (start, p99) in seconds.Where(x => x.Key > runMs - bucketMs && x.Key <= complete).OrderBy(x => x.Key))
                {
                    if (p99 <= pre * 1.1)
                    {
                        catchUp = Math.Max(0, start - runMs) / 1000.0;
                        break;
                    }
                }
                peak = seconds.Where(x => x.Key + bucketMs > killMs).Select(x => (double?)x.Value).Max();
            }
            return new RecoveryRun($"{victimId} (pid {victimPid})", pre,
                failed is { } a ? (a - kill).TotalSeconds : null,
                failed is { } b && deployed is { } c ? (c - b).TotalSeconds : null,
                deployed is { } d && running is { } e ? (e - d).TotalSeconds : null,
                catchUp, peak);
        }
        finally
        {
            try { cluster.Client.CancelAsync(id).GetAwaiter().GetResult(); } catch (ClusterRequestException) { }
        }
    }

    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return null;
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }


    /// <summary>utime + stime of a process in seconds (/proc/PID/stat, clock ticks of 1/100 s); 0 if it is gone.</summary>
    private static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ", field 3 (state) is index 0; utime is field 14, stime field 15.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static JsonObject ToJson(ClusterQueryResult r)
    {
        static JsonNode? Round(double? v, int digits = 3) => v is { } d ? JsonValue.Create(Math.Round(d, digits)) : null;
        static JsonArray Runs(IEnumerable<ThroughputRun> runs) => [.. runs.Select(x => (JsonNode)new JsonObject
        {
            ["eventsPerSecond"] = Math.Round(x.EventsPerSecond), ["eventsPerCoreSecond"] = Math.Round(x.EventsPerCoreSecond),
            ["wallSeconds"] = Math.Round(x.WallSeconds, 3), ["cpuSeconds"] = Math.Round(x.CpuSeconds, 3),
        })];
        var o = new JsonObject
        {
            ["query"] = r.Query,
            ["events"] = r.Events,
            ["workers"] = r.Workers,
            ["slots"] = r.Slots,
            ["parallelism"] = r.Parallelism,
            ["throughputDefinition"] = ThroughputDefinition,
            ["recoveryDefinition"] = RecoveryDefinition,
            ["clusterRuns"] = Runs(r.Cluster),
            ["embeddedRuns"] = Runs(r.Embedded),
            ["recoveryRateEventsPerSecond"] = r.Rate,
            ["recoveryRuns"] = new JsonArray([.. r.Recovery.Select(x => (JsonNode)new JsonObject
            {
                ["victim"] = x.Victim, ["preFaultP99Ms"] = Round(x.PreFaultP99Ms, 1), ["detectionSeconds"] = Round(x.DetectionSeconds),
                ["redeploySeconds"] = Round(x.RedeploySeconds), ["restoreSeconds"] = Round(x.RestoreSeconds), ["catchUpSeconds"] = Round(x.CatchUpSeconds),
                ["totalSeconds"] = Round(x.TotalSeconds), ["peakP99Ms"] = Round(x.PeakP99Ms, 1),
            })]),
        };
        if (r.Cluster.Count > 0 && r.Embedded.Count > 0)
        {
            o["clusterEventsPerSecond"] = Math.Round(r.ClusterEventsPerSecond);
            o["embeddedEventsPerSecond"] = Math.Round(r.EmbeddedEventsPerSecond);
            o["ratioEventsPerSecond"] = Math.Round(r.ClusterEventsPerSecond / r.EmbeddedEventsPerSecond, 3);
            o["ratioEventsPerCoreSecond"] = Math.Round(r.ClusterEventsPerCoreSecond / r.EmbeddedEventsPerCoreSecond, 3);
        }
        return o;
    }

    public static string Markdown(IReadOnlyList<ClusterQueryResult> results)
    {
        static string S(double? v) => v is { } d ? d.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
        static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        var first = results[0];
        sb.AppendLine("# Nexmark on a local cluster: throughput against embedded, and recovery after kill -9 of a worker");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Written by `streamshield bench cluster` (bench/cluster.sh) on {DateTime.UtcNow:yyyy-MM-dd}. Machine: {Machine()}; shared with other work, so figures vary between runs. " +
            $"Cluster: a coordinator and {first.Workers} worker processes on loopback, {first.Slots} slots each, job parallelism {first.Parallelism}, started with `cluster start`; the job is `NexmarkJob` (src/StreamShield.Connectors.Nexmark) uploaded as an artifact. " +
            $"Medians of the runs; every run is listed below the tables.");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Throughput: {ThroughputDefinition}. Ratio = cluster ÷ embedded.");
        sb.AppendLine();
        sb.AppendLine("| query | events | cluster events/s | embedded events/s | ratio | cluster events/s/core (workers' CPU) | embedded events/s/core | ratio per core |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results.Where(r => r.Cluster.Count > 0 && r.Embedded.Count > 0))
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Query} | {N(r.Events)} | {N(r.ClusterEventsPerSecond)} | {N(r.EmbeddedEventsPerSecond)} | {r.ClusterEventsPerSecond / r.EmbeddedEventsPerSecond:0.00} | {N(r.ClusterEventsPerCoreSecond)} | {N(r.EmbeddedEventsPerCoreSecond)} | {r.ClusterEventsPerCoreSecond / r.EmbeddedEventsPerCoreSecond:0.00} |");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Recovery: {RecoveryDefinition}. Baseline: Flink's default heartbeat timeout (50 s) before a lost TaskManager is even detected, then a full restart from the last checkpoint.");
        sb.AppendLine();
        sb.AppendLine("| query | rate (events/s) | pre-fault p99 (ms) | detection (s) | redeployment (s) | state restore (s) | catch-up (s) | kill → p99 back (s) | peak p99 after kill (ms) | Flink default detection alone (s) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results.Where(r => r.Recovery.Count > 0))
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Query} | {N(r.Rate)} | {r.Phase(x => x.PreFaultP99Ms):0.0} | {S(r.Phase(x => x.DetectionSeconds))} | {S(r.Phase(x => x.RedeploySeconds))} | {S(r.Phase(x => x.RestoreSeconds))} | {S(r.Phase(x => x.CatchUpSeconds))} | {S(r.Phase(x => x.TotalSeconds))} | {r.Phase(x => x.PeakP99Ms):0} | 50 |");
        sb.AppendLine();
        sb.AppendLine("The phase columns are medians of each phase on its own, so they need not add up to the median total. Detection is fast because kill -9 closes the worker's " +
            "TCP connections, which the coordinator sees at once (the 2 s heartbeat timeout is the fallback for a hung or cut-off worker); state restore ends when the last " +
            "subtask reports Running, so it includes loading the job's artifact and state on the workers.");
        foreach (var r in results.Where(r => r.Recovery.Count > 0 && !NexmarkBench.StatelessQueries.Contains(r.Query)))
        {
            sb.AppendLine();
            sb.Append(r.Query).AppendLine(" is windowed: its rows appear only when a window fires (q5: every 2 s), and a row's latency is the delay past its window's end " +
                "(watermark propagation, periodic watermarks every 200 ms, through two event-time stages), so its pre-fault p99 is that delay, and its catch-up is counted in " +
                "window firings: it ends at the first firing after the restore whose p99 is within 10% of the pre-fault value, a criterion that watermark jitter can miss by one firing.");
        }
        sb.AppendLine();
        sb.AppendLine("Runs:");
        sb.AppendLine();
        foreach (var r in results)
        {
            foreach (var x in r.Cluster) sb.AppendLine(CultureInfo.InvariantCulture, $"- {r.Query} cluster: {N(x.EventsPerSecond)} events/s, {N(x.EventsPerCoreSecond)} events/s/core ({x.WallSeconds:0.00} s wall, {x.CpuSeconds:0.00} s worker CPU)");
            foreach (var x in r.Embedded) sb.AppendLine(CultureInfo.InvariantCulture, $"- {r.Query} embedded: {N(x.EventsPerSecond)} events/s, {N(x.EventsPerCoreSecond)} events/s/core ({x.WallSeconds:0.00} s wall, {x.CpuSeconds:0.00} s CPU)");
            foreach (var x in r.Recovery)
                sb.AppendLine(CultureInfo.InvariantCulture, $"- {r.Query} recovery at {N(r.Rate)}/s, killed {x.Victim}: pre-fault p99 {x.PreFaultP99Ms:0.0} ms; detection {S(x.DetectionSeconds)} s, redeployment {S(x.RedeploySeconds)} s, restore {S(x.RestoreSeconds)} s, catch-up {S(x.CatchUpSeconds)} s, total {S(x.TotalSeconds)} s; peak p99 {x.PeakP99Ms:0} ms");
        }
        return sb.ToString();
    }

    private static string Machine()
    {
        string? model = null;
        try { model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim(); }
        catch (IOException) { }
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores ({model ?? "unknown CPU"}), {memory:0.#} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    }
}
