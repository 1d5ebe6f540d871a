using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;
using StreamShield.Execution;
using StreamShield.Sinks;
using StreamShield.Sources;

namespace StreamShield.Cli.Bench;

/// <summary>One measured run: events, wall time, CPU time of the process, peak working set during the run.</summary>
internal sealed record Run(long Events, double WallSeconds, double CpuSeconds, long PeakWorkingSetBytes)
{
    public double EventsPerSecond => Events / WallSeconds;
    public double EventsPerCoreSecond => Events / CpuSeconds;

    public static Run Measure(long events, Action body)
    {
        // Return what earlier runs left to the OS first, so the peak is this run's own.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var startCpu = process.TotalProcessorTime;
        using var memory = PeakMemory.Start();
        var watch = Stopwatch.StartNew();
        body();
        var wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        return new Run(events, wall, (process.TotalProcessorTime - startCpu).TotalSeconds, memory.Peak);
    }
}

/// <summary>The result of one query: the engine run, the baselines and the engine's checkpoints.</summary>
internal sealed record QueryResult(string Query, int Parallelism, Run Engine, Run? Loop, Run? Rx, int Checkpoints, double? CheckpointP50Ms, double? CheckpointP99Ms, double? FlinkPerCore)
{
    /// <summary>Result rows of the engine, the hand loop and Rx.NET (a check that they computed the same thing).</summary>
    public (long Engine, long? Loop, long? Rx) Rows { get; init; }

    /// <summary>End-to-end latency of the rate-limited run, or null when not measured.</summary>
    public LatencyResult? Latency { get; init; }

    /// <summary>Restore time from a checkpoint, or null when not measured.</summary>
    public RestoreResult? Restore { get; init; }

    public double? RatioToLoop => Loop is null ? null : Engine.EventsPerCoreSecond / Loop.EventsPerCoreSecond;
    public double? RatioToRx => Rx is null ? null : Engine.EventsPerCoreSecond / Rx.EventsPerCoreSecond;
    public double? RatioToFlink => FlinkPerCore is null ? null : Engine.EventsPerCoreSecond / FlinkPerCore;

    /// <summary>Our peak resident memory ÷ the hand loop's (each measured in its own process).</summary>
    public double? MemoryRatioToLoop => Loop is null ? null : (double)Engine.PeakWorkingSetBytes / Loop.PeakWorkingSetBytes;

    public JsonObject ToJson()
    {
        static JsonObject RunJson(Run r) => new()
        {
            ["eventsPerSecond"] = Math.Round(r.EventsPerSecond),
            ["eventsPerCoreSecond"] = Math.Round(r.EventsPerCoreSecond),
            ["wallSeconds"] = Math.Round(r.WallSeconds, 3),
            ["cpuSeconds"] = Math.Round(r.CpuSeconds, 3),
            ["peakResidentBytes"] = r.PeakWorkingSetBytes,
        };
        static JsonNode? Ratio(double? v) => v is { } d ? JsonValue.Create(Math.Round(d, 3)) : JsonValue.Create("n/a");
        return new JsonObject
        {
            ["query"] = Query,
            ["events"] = Engine.Events,
            ["parallelism"] = Parallelism,
            ["engine"] = RunJson(Engine),
            ["checkpoints"] = Checkpoints,
            ["checkpointP50Ms"] = CheckpointP50Ms,
            ["checkpointP99Ms"] = CheckpointP99Ms,
            ["handLoop"] = Loop is null ? null : RunJson(Loop),
            ["rxNet"] = Rx is null ? null : RunJson(Rx),
            ["ratioToHandLoop"] = Ratio(RatioToLoop),
            ["ratioToRxNet"] = Ratio(RatioToRx),
            ["peakMemoryRatioToHandLoop"] = Ratio(MemoryRatioToLoop),
            ["rows"] = new JsonObject { ["engine"] = Rows.Engine, ["handLoop"] = Rows.Loop, ["rxNet"] = Rows.Rx },
            ["publishedFlinkV1PerCore"] = FlinkPerCore,
            ["ratioToPublishedFlinkV1OtherHardware"] = Ratio(RatioToFlink),
            ["latency"] = Latency is { } l ? new JsonObject
            {
                ["definition"] = NexmarkBench.LatencyDefinition,
                ["rateEventsPerSecond"] = l.Rate,
                ["seconds"] = l.Seconds,
                ["samples"] = l.Samples,
                ["p50Ms"] = l.P50Ms is { } a ? Math.Round(a, 2) : null,
                ["p99Ms"] = l.P99Ms is { } b ? Math.Round(b, 2) : null,
                ["maxMs"] = l.MaxMs is { } c ? Math.Round(c, 2) : null,
                ["rowsWithoutTimestamp"] = l.RowsWithoutTimestamp,
                ["finalTableRows"] = l.FinalTableRows,
            } : JsonValue.Create("n/a"),
            ["restore"] = Restore is { } rs ? new JsonObject
            {
                ["definition"] = NexmarkBench.RestoreDefinition,
                ["events"] = rs.Events,
                ["seconds"] = Math.Round(rs.Seconds, 3),
                ["checkpointId"] = rs.CheckpointId,
            } : JsonValue.Create("n/a"),
        };
    }
}

/// <summary>The Nexmark benchmark harness: each query embedded with exactly-once checkpoints into a discarding sink.</summary>
internal static partial class NexmarkBench
{
    /// <summary>
    /// Flink Nexmark v1 suite (Flink 1.13, exactly-once, RocksDB), events/s per core, as published
    /// (/work/shared/STREAMSHIELD.md). Other hardware: a label, not a like-for-like comparison.
    /// </summary>
    public static IReadOnlyDictionary<string, double> PublishedFlinkPerCore { get; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
    {
        ["q0"] = 155_000,
        ["q1"] = 157_900,
        ["q2"] = 175_200,
        ["q3"] = 152_100,
        ["q4"] = 34_300,
        ["q5"] = 22_100,
        ["q7"] = 12_300,
        ["q8"] = 146_100,
        ["q9"] = 14_200,
        ["q10"] = 57_800,
        ["q11"] = 39_700,
        ["q12"] = 75_700,
        ["q13"] = 130_700,
        ["q14"] = 161_200,
        ["q15"] = 72_400,
        ["q16"] = 18_700,
        ["q17"] = 116_800,
        ["q18"] = 53_700,
        ["q19"] = 44_000,
        ["q20"] = 19_000,
        ["q21"] = 98_500,
        ["q22"] = 130_000,
    };

    public static QueryResult RunQuery(INexmarkQuery query, long events, int parallelism, TimeSpan checkpointInterval,
        int latencyRate = 200_000, double latencySeconds = 4, long restoreEvents = 100_000)
    {
        // Each contender in a process of its own, warmed up by one full run first (see NexmarkContender).
        var engine = NexmarkContender.Spawn(query.Name, NexmarkContender.Engine, events, parallelism, checkpointInterval);
        ContenderResult? loop = null, rx = null;
        if (Baselines.Supported.Contains(query.Name))
        {
            loop = NexmarkContender.Spawn(query.Name, NexmarkContender.Loop, events, parallelism, checkpointInterval);
            rx = NexmarkContender.Spawn(query.Name, NexmarkContender.Rx, events, parallelism, checkpointInterval);
        }
        var durations = engine.CheckpointDurationsMs.Order().ToList();
        // A 10 s window needs more than 10 s of event time to fire at all: run those long enough for two firings.
        var latency = latencyRate > 0 && latencySeconds > 0
            ? RunLatency(query, parallelism, checkpointInterval, latencyRate,
                TenSecondWindowQueries.Contains(query.Name) ? Math.Max(latencySeconds, MinWindowedLatencySeconds) : latencySeconds)
            : null;
        var restore = restoreEvents > 0 ? RunRestore(query, parallelism, checkpointInterval, restoreEvents) : null;
        return new QueryResult(query.Name, parallelism, engine.Run, loop?.Run, rx?.Run, durations.Count, Percentile(durations, 0.50), Percentile(durations, 0.99),
            PublishedFlinkPerCore.TryGetValue(query.Name, out var flink) ? flink : null)
        { Latency = latency, Restore = restore, Rows = (engine.Rows, loop?.Rows, rx?.Rows) };
    }

    /// <summary>The durations of the completed checkpoints in <paramref name="timeline"/>, in ms.</summary>
    public static IReadOnlyList<double> CheckpointDurations(IReadOnlyList<JobEvent> timeline) =>
        timeline.Where(e => e.Kind == JobEventKind.CheckpointCompleted)
            .Select(e => CheckpointDuration().Match(e.Message))
            .Where(m => m.Success)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>Queries whose rows come from 10 s event-time windows (q5: sliding every 2 s; q11: a 10 s session gap).</summary>
    public static IReadOnlySet<string> TenSecondWindowQueries { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { "q5", "q7", "q8", "q11", "q12" };

    /// <summary>The shortest latency run of a <see cref="TenSecondWindowQueries"/> query, in seconds.</summary>
    public const double MinWindowedLatencySeconds = 24;

    /// <summary>Queries whose every output row is one input event passed on with that event's time (no window, no state).</summary>
    public static IReadOnlySet<string> StatelessQueries { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { "q0", "q1", "q2", "q10", "q13", "q14", "q21", "q22" };

    public const string LatencyDefinition =
        "rate-limited source (constant rate, wall-clock base B fixed for every split, generator BaseTime = B, so an event's dateTime is the wall-clock instant it is due); " +
        "latency = sink wall-clock time - row timestamp, for every row, skipping the first second; exactly-once checkpoints on. A stateless or join row carries the time of the event " +
        "that produced it; a window's row carries the window's last millisecond, so its latency includes the wait for the watermark (periodic, no out-of-orderness bound: events are in order); " +
        "rows emitted only because the input ended (stamped later than they arrive: final tables of q18-q19, unfinished days of q15-q17) are not sampled";

    public const string RestoreDefinition =
        "unbounded source run until a checkpoint completes after warm-up, then cancelled; seconds from submitting the job restored from that checkpoint " +
        "(RestorePath = checkpoint directory) until the restored job's source operator has passed on N events again";

    /// <summary>
    /// A short rate-limited run: every split is paced from the same wall-clock base <c>B</c> (a little in the future, so
    /// start-up is not measured), and the generator's <see cref="NexmarkOptions.BaseTime"/> is <c>B</c> too, so with one
    /// in-order generator an event's <c>dateTime</c> equals <c>B + DueOffsetMs(n)</c>: the instant the source is due to
    /// emit it. The sink records now − row timestamp in a 0.1 ms histogram.
    /// </summary>
    private static LatencyResult RunLatency(INexmarkQuery query, int parallelism, TimeSpan checkpointInterval, int rate, double seconds)
    {
        const long StartDelayMs = 1_000, SkipMs = 1_000;
        var total = (long)(rate * seconds);
        var wallBase = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + StartDelayMs;
        var options = NexmarkPipeline.PacedOptions(total, rate, wallBase);
        var generator = new NexmarkGenerator(options);
        if (generator.TimestampOf(total - 1) != wallBase + generator.DueOffsetMs(total - 1))
            throw new InvalidOperationException("Nexmark due time and event time differ; the latency definition does not hold.");
        var probe = new LatencyProbe(wallBase + SkipMs);
        var env = NewEnvironment(parallelism, checkpointInterval);
        var source = env.FromSource(new PacedNexmarkSource(new NexmarkSource(generator), wallBase), NexmarkSource.Watermarks(options), "Nexmark Source");
        Attach(query, source, probe);
        var client = env.ExecuteAsync($"nexmark bench {query.Name} latency");
        var result = client.Completion.GetAwaiter().GetResult();
        if (result.Status != JobStatus.Finished) throw new InvalidOperationException($"{query.Name} latency run ended {result.Status}: {result.Failure}");
        return probe.Result(rate, seconds);
    }

    /// <summary>
    /// Restore time as the reference v2 suite measures it: run (unbounded, not rate-limited) until a checkpoint
    /// completes after warm-up, cancel, then restore from that checkpoint and time until N events flowed again.
    /// </summary>
    private static RestoreResult RunRestore(INexmarkQuery query, int parallelism, TimeSpan checkpointInterval, long restoreEvents)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"streamshield-bench-restore-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            var options = new NexmarkOptions { MaxEvents = 0 };
            // 1. Warm up until a checkpoint completes after at least restoreEvents events; then cancel.
            var warm = new EventCounter();
            var first = Build(query, options, parallelism, checkpointInterval, directory, null, warm);
            var firstClient = first.ExecuteAsync($"nexmark bench {query.Name} restore-warmup");
            long checkpointId = 0;
            var deadline = Stopwatch.StartNew();
            var counted = false;
            var seen = 0;
            while (checkpointId == 0)
            {
                if (firstClient.Completion.IsCompleted)
                    throw new InvalidOperationException($"{query.Name} restore warm-up ended {firstClient.Completion.Result.Status}: {firstClient.Completion.Result.Failure}");
                if (deadline.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"{query.Name}: no checkpoint completed within 2 minutes of warm-up.");
                Thread.Sleep(20);
                var timeline = firstClient.Timeline;
                if (!counted && Volatile.Read(ref warm.Count) >= restoreEvents) { counted = true; seen = timeline.Count; }
                if (!counted) continue;
                for (var i = seen; i < timeline.Count; i++)
                    if (timeline[i].Kind == JobEventKind.CheckpointCompleted && CheckpointId().Match(timeline[i].Message) is { Success: true } m)
                        checkpointId = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            firstClient.Cancel();
            firstClient.Completion.GetAwaiter().GetResult();
            // 2. Restore from it and time until the restored job passed restoreEvents events on from its source.
            var again = new EventCounter();
            var watch = Stopwatch.StartNew();
            var second = Build(query, options, parallelism, checkpointInterval, directory, directory, again);
            var secondClient = second.ExecuteAsync($"nexmark bench {query.Name} restored");
            while (Volatile.Read(ref again.Count) < restoreEvents)
            {
                if (secondClient.Completion.IsCompleted)
                    throw new InvalidOperationException($"{query.Name} restored run ended {secondClient.Completion.Result.Status}: {secondClient.Completion.Result.Failure}");
                if (watch.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"{query.Name}: restored job did not process {restoreEvents} events within 2 minutes.");
                Thread.SpinWait(200);
            }
            var elapsed = watch.Elapsed.TotalSeconds;
            secondClient.Cancel();
            secondClient.Completion.GetAwaiter().GetResult();
            return new RestoreResult(restoreEvents, elapsed, checkpointId);
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static StreamEnvironment Build(INexmarkQuery query, NexmarkOptions options, int parallelism, TimeSpan checkpointInterval, string directory, string? restorePath, EventCounter counter)
    {
        var env = NewEnvironment(parallelism, checkpointInterval);
        env.Checkpointing.Directory = directory;
        env.RestorePath = restorePath;
        var source = env.FromNexmark(options).Map(e => { Interlocked.Increment(ref counter.Count); return e; }, "Count");
        Attach(query, source, null);
        return env;
    }

    /// <summary>Job configuration (<c>-D KEY=VALUE</c>) applied to every engine run of this process.</summary>
    public static IReadOnlyDictionary<string, string> EngineConfiguration { get; set; } = new Dictionary<string, string>();

    /// <summary>An environment with the bench's parallelism, exactly-once checkpoints and <see cref="EngineConfiguration"/>.</summary>
    private static StreamEnvironment NewEnvironment(int parallelism, TimeSpan checkpointInterval)
    {
        var env = StreamEnvironment.Create();
        env.Parallelism = parallelism;
        env.EnableCheckpointing(checkpointInterval, CheckpointingMode.ExactlyOnce);
        foreach (var (key, value) in EngineConfiguration) env.Configuration[key] = value;
        return env;
    }

    /// <summary>Runs <paramref name="query"/> embedded to the end; counts its rows into <paramref name="rows"/> when given.</summary>
    internal static IReadOnlyList<JobEvent> RunEngine(INexmarkQuery query, NexmarkOptions options, int parallelism, TimeSpan checkpointInterval, EventCounter? rows = null)
    {
        var env = NewEnvironment(parallelism, checkpointInterval);
        NexmarkPipeline.Attach(query, env.FromNexmark(options), rows is null ? NexmarkPipeline.Discard : new CountRows(rows));
        var client = env.ExecuteAsync($"nexmark bench {query.Name}");
        var result = client.Completion.GetAwaiter().GetResult();
        if (result.Status != JobStatus.Finished) throw new InvalidOperationException($"{query.Name} ended {result.Status}: {result.Failure}");
        return client.Timeline;
    }

    /// <summary>The query into a discarding sink, or into a latency-recording one when <paramref name="probe"/> is set.</summary>
    private static void Attach(INexmarkQuery query, DataStream<Event> source, LatencyProbe? probe) =>
        NexmarkPipeline.Attach(query, source, probe is null ? NexmarkPipeline.Discard : new ProbeRows(probe));

    private sealed class ProbeRows(LatencyProbe probe) : INexmarkRowSink
    {
        public void Attach<TRow>(DataStream<TRow> rows) => rows.SinkTo(new LatencySink<TRow>(probe), "Latency");
    }

    private sealed class CountRows(EventCounter counter) : INexmarkRowSink
    {
        public void Attach<TRow>(DataStream<TRow> rows) => rows.SinkTo(new CountingSink<TRow>(counter), "Discard");
    }

    [GeneratedRegex(@"Checkpoint (\d+) completed")]
    private static partial Regex CheckpointId();

    private static double? Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    [GeneratedRegex(@"completed in (\d+(?:\.\d+)?) ms")]
    private static partial Regex CheckpointDuration();

    public static string Text(QueryResult r)
    {
        static string Rate(double v) => v >= 1e6 ? $"{v / 1e6:0.00}M" : $"{v / 1e3:0.0}K";
        static string Ratio(double? v) => v is { } d ? $"{d:0.00}x" : "n/a";
        static string Ms(double? v) => v is { } d ? $"{d:0.0} ms" : "n/a";
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{r.Query}: {r.Engine.Events:N0} events, parallelism {r.Parallelism}, exactly-once");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  StreamShield   {Rate(r.Engine.EventsPerSecond),8} events/s  {Rate(r.Engine.EventsPerCoreSecond),8} events/s/core  peak {r.Engine.PeakWorkingSetBytes / 1048576.0:0} MiB  {r.Rows.Engine:N0} rows  ({r.Engine.WallSeconds:0.00} s wall, {r.Engine.CpuSeconds:0.00} s CPU)");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  checkpoints    {r.Checkpoints} completed, duration p50 {(r.CheckpointP50Ms is { } p50 ? $"{p50:0} ms" : "n/a")}, p99 {(r.CheckpointP99Ms is { } p99 ? $"{p99:0} ms" : "n/a")}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  latency        {(r.Latency is { } lat ? $"p50 {Ms(lat.P50Ms)}, p99 {Ms(lat.P99Ms)}, max {Ms(lat.MaxMs)} at {lat.Rate:N0} events/s rate-limited for {lat.Seconds:0.#} s ({lat.Samples:N0} rows; sink time - row timestamp)" : "n/a (--latency-rate 0)")}{(r.Latency is { RowsWithoutTimestamp: > 0 } m ? $" ({m.RowsWithoutTimestamp:N0} rows had no timestamp)" : "")}{(r.Latency is { FinalTableRows: > 0 } early ? $" ({early.FinalTableRows:N0} rows emitted at the end of input, not sampled)" : "")}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  restore        {(r.Restore is { } rs ? $"{rs.Seconds:0.000} s from restart (checkpoint {rs.CheckpointId}) until {rs.Events:N0} events processed again" : "n/a (--restore-events 0)")}");
        if (r.Loop is { } l) sb.AppendLine(CultureInfo.InvariantCulture, $"  hand loop      {Rate(l.EventsPerSecond),8} events/s  {Rate(l.EventsPerCoreSecond),8} events/s/core  peak {l.PeakWorkingSetBytes / 1048576.0:0} MiB  {r.Rows.Loop:N0} rows");
        if (r.Rx is { } x) sb.AppendLine(CultureInfo.InvariantCulture, $"  Rx.NET         {Rate(x.EventsPerSecond),8} events/s  {Rate(x.EventsPerCoreSecond),8} events/s/core  peak {x.PeakWorkingSetBytes / 1048576.0:0} MiB  {r.Rows.Rx:N0} rows");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  ratio (events/s/core): to hand loop {Ratio(r.RatioToLoop)}, to Rx.NET {Ratio(r.RatioToRx)}; peak memory to hand loop {Ratio(r.MemoryRatioToLoop)}");
        sb.Append(CultureInfo.InvariantCulture, $"  published Flink v1 (other hardware): {(r.FlinkPerCore is { } f ? $"{Rate(f)} events/s/core, ours {Ratio(r.RatioToFlink)}" : "n/a")}");
        return sb.ToString();
    }

    public static string Markdown(IReadOnlyList<QueryResult> results, long events, TimeSpan interval)
    {
        static string Ratio(double? v) => v is { } d ? $"{d:0.00}" : "n/a";
        static string Ms(double? v) => v is { } d ? $"{d:0.0}" : "n/a";
        var sb = new StringBuilder();
        sb.AppendLine("# Nexmark: StreamShield vs a hand-written loop and Rx.NET");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"`streamshield bench nexmark`: {events:N0} events per query, exactly-once checkpoints every {interval.TotalSeconds:0.###} s, discarding sink; {Environment.ProcessorCount} cores. Each contender (engine, hand loop, Rx.NET) runs in a process of its own, warmed up by one full run before the measured one. Events/s/core = events ÷ process CPU seconds during the measured run. Peak memory = the process's peak resident set during the measured run (Linux VmHWM, reset at its start), runtime included. Ratios are ours ÷ theirs. Published Flink v1 figures were measured on other hardware.");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Latency: {LatencyDefinition}. Restore: {RestoreDefinition}.");
        sb.AppendLine();
        sb.AppendLine("| query | events/s/core | ratio to hand loop | ratio to Rx.NET | peak memory (MiB) | memory ratio to hand loop | checkpoints (p50 / p99 ms) | latency p50 / p99 (ms) | restore (s) | published Flink v1 (other hardware) | ratio to Flink v1 |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|");
        foreach (var r in results)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Query} | {r.Engine.EventsPerCoreSecond:N0} | {Ratio(r.RatioToLoop)} | {Ratio(r.RatioToRx)} | {r.Engine.PeakWorkingSetBytes / 1048576.0:0} | {Ratio(r.MemoryRatioToLoop)} | {r.Checkpoints} ({(r.CheckpointP50Ms is { } a ? $"{a:0}" : "n/a")} / {(r.CheckpointP99Ms is { } b ? $"{b:0}" : "n/a")}) | {(r.Latency is { } lat ? $"{Ms(lat.P50Ms)} / {Ms(lat.P99Ms)} @ {lat.Rate:N0}/s" : "n/a")} | {(r.Restore is { } rs ? $"{rs.Seconds:0.000}" : "n/a")} | {(r.FlinkPerCore is { } f ? f.ToString("N0", CultureInfo.InvariantCulture) : "n/a")} | {Ratio(r.RatioToFlink)} |");
        return sb.ToString();
    }
}


/// <summary>p50/p99 end-to-end latency of a rate-limited run.</summary>
internal sealed record LatencyResult(int Rate, double Seconds, long Samples, double? P50Ms, double? P99Ms, double? MaxMs)
{
    /// <summary>Rows that reached the sink without a timestamp (then no percentiles are reported).</summary>
    public long RowsWithoutTimestamp { get; init; }

    /// <summary>Rows stamped later than they reached the sink: emitted early because the input ended (final tables, unfinished days); not sampled.</summary>
    public long FinalTableRows { get; init; }
}

/// <summary>Seconds from restarting a job from a checkpoint until it processed <see cref="Events"/> events again.</summary>
internal sealed record RestoreResult(long Events, double Seconds, long CheckpointId);

/// <summary>A shared event count (a class so that closures and threads share one field).</summary>
internal sealed class EventCounter
{
    public long Count;
}

/// <summary>A histogram of latencies in 0.1 ms buckets up to 60 s (beyond: the last bucket), filled by sink writers.</summary>
internal sealed class LatencyProbe(long fromTimestamp)
{
    private const int BucketsPerMs = 10;
    private readonly long[] _buckets = new long[60_000 * BucketsPerMs + 1];
    private long _missing;
    private long _final;

    public void Record(long? timestamp)
    {
        if (timestamp is not { } ts) { Interlocked.Increment(ref _missing); return; }
        if (ts < fromTimestamp) return;
        var now = DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks; // 100 ns units
        // A row stamped later than now was emitted early because the input ended (the final watermark fires every
        // timer, e.g. a day's statistics or a final result table at the end of time): it has no latency to speak of.
        if (ts > now / TimeSpan.TicksPerMillisecond) { Interlocked.Increment(ref _final); return; }
        var latencyMs = (now - ts * TimeSpan.TicksPerMillisecond) / (double)TimeSpan.TicksPerMillisecond;
        var bucket = (int)Math.Clamp(latencyMs * BucketsPerMs, 0, _buckets.Length - 1);
        Interlocked.Increment(ref _buckets[bucket]);
    }

    public LatencyResult Result(int rate, double seconds)
    {
        var missing = Volatile.Read(ref _missing);
        var total = _buckets.Sum();
        // A row without a timestamp has no latency by this definition: report none rather than part of the rows.
        var final = Volatile.Read(ref _final);
        if (total == 0 || missing > 0) return new LatencyResult(rate, seconds, total, null, null, null) { RowsWithoutTimestamp = missing, FinalTableRows = final };
        // A bucket's upper bound: the reported percentile is never below the true one.
        double? At(double p)
        {
            var rank = Math.Max(1, (long)Math.Ceiling(p * total));
            long seen = 0;
            for (var i = 0; i < _buckets.Length; i++)
                if ((seen += _buckets[i]) >= rank) return (i + 1) / (double)BucketsPerMs;
            return null;
        }
        return new LatencyResult(rate, seconds, total, At(0.50), At(0.99), At(1.0)) { FinalTableRows = final };
    }
}

/// <summary>Discards rows, counting them per writer and adding each writer's count to a shared counter when it closes.</summary>
internal sealed class CountingSink<T>(EventCounter counter) : ISink<T, int>
{
    public ISinkWriter<T, int> CreateWriter(SinkWriterContext context) => new Writer(counter);

    public void Commit(int transaction) { }

    private sealed class Writer(EventCounter counter) : ISinkWriter<T, int>
    {
        private long _rows;
        public void Write(T record, long? timestamp) => _rows++;
        public IReadOnlyList<int> PreCommit(long checkpointId) => Array.Empty<int>();
        public void Abort() { }
        public void Dispose() => Interlocked.Add(ref counter.Count, Interlocked.Exchange(ref _rows, 0));
    }
}

/// <summary>A sink that records each row's end-to-end latency in a <see cref="LatencyProbe"/>.</summary>
internal sealed class LatencySink<T>(LatencyProbe probe) : ISink<T, int>
{
    public ISinkWriter<T, int> CreateWriter(SinkWriterContext context) => new Writer(probe);

    public void Commit(int transaction) { }

    private sealed class Writer(LatencyProbe probe) : ISinkWriter<T, int>
    {
        public void Write(T record, long? timestamp) => probe.Record(timestamp);
        public IReadOnlyList<int> PreCommit(long checkpointId) => Array.Empty<int>();
        public void Abort() { }
        public void Dispose() { }
    }
}
