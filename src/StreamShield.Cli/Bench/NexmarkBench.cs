using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;
using StreamShield.Execution;

namespace StreamShield.Cli.Bench;

/// <summary>One measured run: events, wall time, CPU time of the process, peak working set during the run.</summary>
internal sealed record Run(long Events, double WallSeconds, double CpuSeconds, long PeakWorkingSetBytes)
{
    public double EventsPerSecond => Events / WallSeconds;
    public double EventsPerCoreSecond => Events / CpuSeconds;

    public static Run Measure(long events, Action body)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var startCpu = process.TotalProcessorTime;
        using var memory = new MemorySampler();
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
    public double? RatioToLoop => Loop is null ? null : Engine.EventsPerCoreSecond / Loop.EventsPerCoreSecond;
    public double? RatioToRx => Rx is null ? null : Engine.EventsPerCoreSecond / Rx.EventsPerCoreSecond;
    public double? RatioToFlink => FlinkPerCore is null ? null : Engine.EventsPerCoreSecond / FlinkPerCore;

    public JsonObject ToJson()
    {
        static JsonObject RunJson(Run r) => new()
        {
            ["eventsPerSecond"] = Math.Round(r.EventsPerSecond),
            ["eventsPerCoreSecond"] = Math.Round(r.EventsPerCoreSecond),
            ["wallSeconds"] = Math.Round(r.WallSeconds, 3),
            ["cpuSeconds"] = Math.Round(r.CpuSeconds, 3),
            ["peakWorkingSetBytes"] = r.PeakWorkingSetBytes,
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
            ["publishedFlinkV1PerCore"] = FlinkPerCore,
            ["ratioToPublishedFlinkV1OtherHardware"] = Ratio(RatioToFlink),
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

    public static QueryResult RunQuery(INexmarkQuery query, long events, int parallelism, TimeSpan checkpointInterval)
    {
        var options = new NexmarkOptions { MaxEvents = events };
        options.Validate();
        IReadOnlyList<JobEvent> timeline = [];
        // Warm up each contender on a tenth of the events first, so JIT compilation is not measured.
        var warmup = options with { MaxEvents = Math.Max(1, events / 10) };
        RunEngine(query, warmup, parallelism, checkpointInterval);
        if (Baselines.Supported.Contains(query.Name))
        {
            Baselines.RunLoop(query.Name, warmup);
            Baselines.RunRx(query.Name, warmup);
        }
        var engine = Run.Measure(events, () => timeline = RunEngine(query, options, parallelism, checkpointInterval));
        var durations = timeline.Where(e => e.Kind == JobEventKind.CheckpointCompleted)
            .Select(e => CheckpointDuration().Match(e.Message))
            .Where(m => m.Success)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Order()
            .ToList();
        Run? loop = null, rx = null;
        if (Baselines.Supported.Contains(query.Name))
        {
            loop = Run.Measure(events, () => Baselines.RunLoop(query.Name, options));
            rx = Run.Measure(events, () => Baselines.RunRx(query.Name, options));
        }
        return new QueryResult(query.Name, parallelism, engine, loop, rx, durations.Count, Percentile(durations, 0.50), Percentile(durations, 0.99),
            PublishedFlinkPerCore.TryGetValue(query.Name, out var flink) ? flink : null);
    }

    private static IReadOnlyList<JobEvent> RunEngine(INexmarkQuery query, NexmarkOptions options, int parallelism, TimeSpan checkpointInterval)
    {
        var env = StreamEnvironment.Create();
        env.Parallelism = parallelism;
        env.EnableCheckpointing(checkpointInterval, CheckpointingMode.ExactlyOnce);
        var source = env.FromNexmark(options);
        // The typed rows go to the sink (no JSON formatting), as the reference suite's blackhole sink gets rows.
        var typed = query.GetType().GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(INexmarkQuery<>));
        if (typed is null) query.BuildJson(source).SinkTo(new DiscardingSink<string>(), "Discard");
        else typeof(NexmarkBench).GetMethod(nameof(BuildTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(typed.GetGenericArguments()[0]).Invoke(null, [query, source]);
        var client = env.ExecuteAsync($"nexmark bench {query.Name}");
        var result = client.Completion.GetAwaiter().GetResult();
        if (result.Status != JobStatus.Finished) throw new InvalidOperationException($"{query.Name} ended {result.Status}: {result.Failure}");
        return client.Timeline;
    }

    private static void BuildTyped<TRow>(INexmarkQuery<TRow> query, DataStream<Event> events) =>
        query.Build(events).SinkTo(new DiscardingSink<TRow>(), "Discard");

    private static double? Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    [GeneratedRegex(@"completed in (\d+(?:\.\d+)?) ms")]
    private static partial Regex CheckpointDuration();

    public static string Text(QueryResult r)
    {
        static string Rate(double v) => v >= 1e6 ? $"{v / 1e6:0.00}M" : $"{v / 1e3:0.0}K";
        static string Ratio(double? v) => v is { } d ? $"{d:0.00}x" : "n/a";
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{r.Query}: {r.Engine.Events:N0} events, parallelism {r.Parallelism}, exactly-once");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  StreamShield   {Rate(r.Engine.EventsPerSecond),8} events/s  {Rate(r.Engine.EventsPerCoreSecond),8} events/s/core  peak {r.Engine.PeakWorkingSetBytes / 1048576.0:0} MiB  ({r.Engine.WallSeconds:0.00} s wall, {r.Engine.CpuSeconds:0.00} s CPU)");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  checkpoints    {r.Checkpoints} completed, duration p50 {(r.CheckpointP50Ms is { } p50 ? $"{p50:0} ms" : "n/a")}, p99 {(r.CheckpointP99Ms is { } p99 ? $"{p99:0} ms" : "n/a")}");
        if (r.Loop is { } l) sb.AppendLine(CultureInfo.InvariantCulture, $"  hand loop      {Rate(l.EventsPerSecond),8} events/s  {Rate(l.EventsPerCoreSecond),8} events/s/core  peak {l.PeakWorkingSetBytes / 1048576.0:0} MiB");
        if (r.Rx is { } x) sb.AppendLine(CultureInfo.InvariantCulture, $"  Rx.NET         {Rate(x.EventsPerSecond),8} events/s  {Rate(x.EventsPerCoreSecond),8} events/s/core  peak {x.PeakWorkingSetBytes / 1048576.0:0} MiB");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  ratio (events/s/core): to hand loop {Ratio(r.RatioToLoop)}, to Rx.NET {Ratio(r.RatioToRx)}");
        sb.Append(CultureInfo.InvariantCulture, $"  published Flink v1 (other hardware): {(r.FlinkPerCore is { } f ? $"{Rate(f)} events/s/core, ours {Ratio(r.RatioToFlink)}" : "n/a")}");
        return sb.ToString();
    }

    public static string Markdown(IReadOnlyList<QueryResult> results, long events, TimeSpan interval)
    {
        static string Ratio(double? v) => v is { } d ? $"{d:0.00}" : "n/a";
        var sb = new StringBuilder();
        sb.AppendLine("# Nexmark: StreamShield vs a hand-written loop and Rx.NET");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"`streamshield bench nexmark`: {events:N0} events per query, exactly-once checkpoints every {interval.TotalSeconds:0.###} s, discarding sink; {Environment.ProcessorCount} cores. Events/s/core = events ÷ process CPU seconds during the run. Ratios are ours ÷ theirs (events/s/core). Published Flink v1 figures were measured on other hardware.");
        sb.AppendLine();
        sb.AppendLine("| query | events/s/core | ratio to hand loop | ratio to Rx.NET | peak memory (MiB) | checkpoints (p50 / p99 ms) | published Flink v1 (other hardware) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---|---:|");
        foreach (var r in results)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Query} | {r.Engine.EventsPerCoreSecond:N0} | {Ratio(r.RatioToLoop)} | {Ratio(r.RatioToRx)} | {r.Engine.PeakWorkingSetBytes / 1048576.0:0} | {r.Checkpoints} ({(r.CheckpointP50Ms is { } a ? $"{a:0}" : "n/a")} / {(r.CheckpointP99Ms is { } b ? $"{b:0}" : "n/a")}) | {(r.FlinkPerCore is { } f ? f.ToString("N0", CultureInfo.InvariantCulture) : "n/a")} |");
        return sb.ToString();
    }
}
