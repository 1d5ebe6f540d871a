using System.CommandLine;
using StreamShield.Cli.Bench;
using StreamShield.Connectors.Nexmark.Queries;

namespace StreamShield.Cli;

/// <summary>`streamshield bench nexmark|cluster ...`: the Nexmark benchmark harnesses (embedded, and on a local cluster).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var query = new Option<string>("--query") { Description = $"The query ({string.Join(", ", NexmarkQueries.Names)}) or 'all'.", Required = true };
        var events = new Option<long>("--events") { Description = "How many events each query reads (a bounded source, not rate limited).", Required = true };
        var parallelism = new Option<int>("--parallelism", "-p") { Description = "Parallelism of the engine's job.", DefaultValueFactory = _ => 2 };
        var interval = new Option<string>("--checkpoint-interval") { Description = "Exactly-once checkpoint interval (500ms, 10s, 2m...).", DefaultValueFactory = _ => "1s" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per query." };
        var results = new Option<string?>("--results") { Description = "Also write a markdown table of the results to this file (e.g. bench/results/nexmark.md)." };
        var latencyRate = new Option<int>("--latency-rate") { Description = "Events/s of the separate rate-limited run that measures end-to-end latency ; 0 skips it.", DefaultValueFactory = _ => 200_000 };
        var latencySeconds = new Option<double>("--latency-seconds") { Description = "Length of the latency run in seconds of event time (the first second is not sampled); at least 24 for the 10 s window queries (q5, q7, q8, q11, q12).", DefaultValueFactory = _ => 4 };
        var restoreEvents = new Option<long>("--restore-events") { Description = "Restore time: seconds from restarting from a checkpoint until this many events are processed again; 0 skips it.", DefaultValueFactory = _ => 100_000 };
        var config = new Option<string[]>("--config", "-D") { Description = "A job configuration entry KEY=VALUE for the engine's runs (repeatable), e.g. -D network.credits-per-channel=16.", AllowMultipleArgumentsPerToken = false };
        var nexmark = new Command("nexmark", "Run Nexmark queries embedded with exactly-once checkpoints into a discarding sink, next to a hand-written loop and Rx.NET over the same events (each in its own process, warmed up by one full run); report events/s, events/s per core, peak memory, checkpoints, end-to-end latency and restore time.")
        {
            query, events, parallelism, interval, json, results, latencyRate, latencySeconds, restoreEvents, config,
        };
        nexmark.SetAction(r =>
        {
            var count = r.GetValue(events);
            if (count <= 0) throw new ArgumentException("--events must be positive.");
            var p = r.GetValue(parallelism);
            if (p <= 0) throw new ArgumentException("--parallelism must be positive.");
            var every = Duration.Parse(r.GetValue(interval)!);
            if (every <= TimeSpan.Zero) throw new ArgumentException("--checkpoint-interval must be positive.");
            var rate = r.GetValue(latencyRate);
            if (rate < 0) throw new ArgumentException("--latency-rate must not be negative.");
            var seconds = r.GetValue(latencySeconds);
            if (rate > 0 && !(seconds > 1)) throw new ArgumentException("--latency-seconds must be more than 1 (the first second is not sampled).");
            var restore = r.GetValue(restoreEvents);
            if (restore < 0) throw new ArgumentException("--restore-events must not be negative.");
            NexmarkBench.EngineConfiguration = ConfigEntries.Parse(r.GetValue(config));
            var name = r.GetValue(query)!;
            IReadOnlyList<INexmarkQuery> queries = string.Equals(name, "all", StringComparison.OrdinalIgnoreCase)
                ? NexmarkQueries.All
                : [NexmarkQueries.TryGet(name, out var q) ? q : throw new ArgumentException($"Unknown query '{name}'. Known: {string.Join(", ", NexmarkQueries.Names)}, all.")];
            var all = new List<QueryResult>();
            foreach (var each in queries)
            {
                var result = NexmarkBench.RunQuery(each, count, p, every, rate, seconds, restore);
                all.Add(result);
                Console.WriteLine(r.GetValue(json) ? result.ToJson().ToJsonString() : NexmarkBench.Text(result));
            }
            if (r.GetValue(results) is { } file)
            {
                if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir) Directory.CreateDirectory(dir);
                File.WriteAllText(file, NexmarkBench.Markdown(all, count, every));
                Console.Error.WriteLine($"Wrote {file}.");
            }
            return 0;
        });
        return new Command("bench", "Benchmarks.") { nexmark, ClusterBench.Create(), NexmarkContender.Create() };
    }
}
