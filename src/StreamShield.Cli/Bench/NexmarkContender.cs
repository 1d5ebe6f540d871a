using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using StreamShield.Cli.Cluster;
using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;

namespace StreamShield.Cli.Bench;

/// <summary>What one contender's measured run produced: the run, its result rows, and (engine) its checkpoint durations.</summary>
internal sealed record ContenderResult(Run Run, long Rows, IReadOnlyList<double> CheckpointDurationsMs);

/// <summary>
/// One contender of one query (the engine, the hand loop or Rx.NET) measured in a process of its own, started as the
/// hidden command <c>streamshield bench nexmark-contender</c>. A fresh process per contender keeps the figures apart:
/// the peak memory is that contender's own (no heap, JIT code or threads left behind by another), and the process CPU
/// time counts only its work. The child runs the whole measurement once to warm up, so tiered compilation has reached
/// its final code, then measures a second identical run and prints it as one JSON line.
/// </summary>
internal static class NexmarkContender
{
    public const string Engine = "engine", Loop = "loop", Rx = "rx";

    /// <summary>The hidden child command.</summary>
    public static Command Create()
    {
        var query = new Option<string>("--query") { Required = true };
        var contender = new Option<string>("--contender") { Required = true };
        var events = new Option<long>("--events") { Required = true };
        var parallelism = new Option<int>("--parallelism") { DefaultValueFactory = _ => 2 };
        var interval = new Option<string>("--checkpoint-interval") { DefaultValueFactory = _ => "1s" };
        var config = new Option<string[]>("--config", "-D") { AllowMultipleArgumentsPerToken = false };
        var command = new Command("nexmark-contender", "Internal: measures one contender of one Nexmark query in this process and prints one JSON line.")
        {
            query, contender, events, parallelism, interval, config,
        };
        command.Hidden = true;
        command.SetAction(r =>
        {
            NexmarkBench.EngineConfiguration = ConfigEntries.Parse(r.GetValue(config));
            var result = Measure(r.GetValue(query)!, r.GetValue(contender)!, r.GetValue(events), r.GetValue(parallelism), Duration.Parse(r.GetValue(interval)!));
            Console.WriteLine(ToJson(result).ToJsonString());
            return 0;
        });
        return command;
    }

    /// <summary>Runs <paramref name="contender"/> in a child process and returns its measured run.</summary>
    public static ContenderResult Spawn(string query, string contender, long events, int parallelism, TimeSpan interval)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var self = ClusterCommand.SelfCommandLine();
        start.FileName = self[0];
        foreach (var argument in self.Skip(1)) start.ArgumentList.Add(argument);
        foreach (var argument in new[]
        {
            "bench", "nexmark-contender", "--query", query, "--contender", contender,
            "--events", events.ToString(CultureInfo.InvariantCulture),
            "--parallelism", parallelism.ToString(CultureInfo.InvariantCulture),
            "--checkpoint-interval", $"{(long)interval.TotalMilliseconds}ms",
        })
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in NexmarkBench.EngineConfiguration)
        {
            start.ArgumentList.Add("-D");
            start.ArgumentList.Add($"{key}={value}");
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the {contender} run of {query}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var lastLine = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (process.ExitCode != 0 || lastLine is null)
            throw new InvalidOperationException($"The {contender} run of {query} failed (exit code {process.ExitCode}): {stderr.Result.Trim()}");
        return FromJson(JsonNode.Parse(lastLine)!.AsObject());
    }

    /// <summary>Warms up with one full run, then measures a second one (in this process).</summary>
    internal static ContenderResult Measure(string queryName, string contender, long events, int parallelism, TimeSpan interval)
    {
        if (!NexmarkQueries.TryGet(queryName, out var query)) throw new ArgumentException($"Unknown query '{queryName}'.");
        var options = new NexmarkOptions { MaxEvents = events };
        options.Validate();
        long rows = 0;
        IReadOnlyList<double> checkpoints = [];
        Action body = contender switch
        {
            Engine => () =>
            {
                var counter = new EventCounter();
                checkpoints = NexmarkBench.CheckpointDurations(NexmarkBench.RunEngine(query!, options, parallelism, interval, counter));
                rows = counter.Count;
            }
            ,
            Loop when Baselines.Supported.Contains(query!.Name) => () => rows = Baselines.RunLoop(query.Name, options),
            Rx when Baselines.Supported.Contains(query!.Name) => () => rows = Baselines.RunRx(query.Name, options),
            _ => throw new ArgumentException($"No {contender} contender for {queryName}."),
        };
        body();
        var run = Run.Measure(events, body);
        return new ContenderResult(run, rows, checkpoints);
    }

    private static JsonObject ToJson(ContenderResult r) => new()
    {
        ["events"] = r.Run.Events,
        ["wallSeconds"] = r.Run.WallSeconds,
        ["cpuSeconds"] = r.Run.CpuSeconds,
        ["peakResidentBytes"] = r.Run.PeakWorkingSetBytes,
        ["rows"] = r.Rows,
        ["checkpointDurationsMs"] = new JsonArray(r.CheckpointDurationsMs.Select(d => (JsonNode)JsonValue.Create(d)).ToArray()),
    };

    private static ContenderResult FromJson(JsonObject o) => new(
        new Run(o["events"]!.GetValue<long>(), o["wallSeconds"]!.GetValue<double>(), o["cpuSeconds"]!.GetValue<double>(), o["peakResidentBytes"]!.GetValue<long>()),
        o["rows"]!.GetValue<long>(),
        o["checkpointDurationsMs"]!.AsArray().Select(n => n!.GetValue<double>()).ToList());
}
