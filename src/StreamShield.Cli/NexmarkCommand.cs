using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;
using StreamShield.EventTime;
using StreamShield.Execution;
using StreamShield.Sinks;
using StreamShield.Sources;

namespace StreamShield.Cli;

/// <summary>`streamshield nexmark ...`: the Nexmark event generator (the queries and the benchmark harness come next).</summary>
internal static class NexmarkCommand
{
    public static Command Create()
    {
        var events = new Option<long>("--events") { Description = "How many events to generate.", Required = true };
        var output = new Option<string>("--out") { Description = "The JSON-lines file to write.", Required = true };
        var rate = new Option<int>("--rate") { Description = "Events per second of event time (the reference's firstEventRate).", DefaultValueFactory = _ => new NexmarkOptions().FirstEventRate };
        var baseTime = new Option<long?>("--base-time") { Description = "Event time of the first event, epoch ms (default: the generator's fixed base time, so runs repeat exactly)." };
        var generate = new Command("generate", "Write Nexmark events as JSON lines: one object per event with a \"type\" field (person, auction, bid) and the reference field names; dateTime in epoch ms.")
        {
            events, output, rate, baseTime,
        };
        generate.SetAction(r =>
        {
            var count = r.GetValue(events);
            if (count <= 0) throw new ArgumentException("--events must be positive.");
            var options = new NexmarkOptions { MaxEvents = count, FirstEventRate = r.GetValue(rate), NextEventRate = r.GetValue(rate) };
            if (r.GetValue(baseTime) is { } b) options = options with { BaseTime = b };
            options.Validate();
            var path = r.GetValue(output)!;
            var watch = Stopwatch.StartNew();
            var written = NexmarkJsonWriter.WriteFile(path, new NexmarkGenerator(options).Generate(0, count));
            Console.Error.WriteLine($"Wrote {written:N0} events to {path} in {watch.Elapsed.TotalSeconds:0.00} s.");
            return 0;
        });
        return new Command("nexmark", "The Nexmark benchmark: event generator and queries.") { generate, CreateQuery() };
    }

    private static Command CreateQuery()
    {
        var query = new Argument<string>("query") { Description = $"The query: {string.Join(", ", NexmarkQueries.Names)}." };
        var input = new Option<string>("--input") { Description = "Events as JSON lines (as written by `nexmark generate`), plain or gzip-compressed.", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the result rows as JSON lines.", Required = true };
        var parallelism = new Option<int>("--parallelism", "-p") { Description = "Parallelism of the job.", DefaultValueFactory = _ => 2 };
        var command = new Command("query", "Run a Nexmark query over recorded events as a bounded job (event time from dateTime, final watermark at the end) and write the result rows with the reference column names; updating queries write their final table.")
        {
            query, input, output, parallelism,
        };
        command.SetAction(r => RunQuery(r.GetValue(query)!, r.GetValue(input)!, r.GetValue(output)!, r.GetValue(parallelism)));
        return command;
    }

    private static int RunQuery(string name, string input, string output, int parallelism)
    {
        if (!NexmarkQueries.TryGet(name, out var query))
            throw new ArgumentException($"Unknown query '{name}'. Known: {string.Join(", ", NexmarkQueries.Names)}.");
        if (!File.Exists(input)) throw new FileNotFoundException($"Input '{input}' does not exist. Write one with `streamshield nexmark generate --events N --out FILE`.");
        List<Event> events;
        try
        {
            events = NexmarkJsonReader.ReadFile(input).ToList();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            throw new ArgumentException($"'{input}' is not Nexmark events as JSON lines (plain or gzip-compressed): {e.Message.Split('\n')[0]}. Write one with `streamshield nexmark generate`.");
        }
        // The watermark may trail by exactly the largest disorder in the file, so no event is late.
        long disorder = 0, max = long.MinValue;
        foreach (var e in events)
        {
            if (e.Timestamp < max) disorder = Math.Max(disorder, max - e.Timestamp);
            max = Math.Max(max, e.Timestamp);
        }
        var env = StreamEnvironment.Create();
        env.Parallelism = parallelism;
        var watermarks = WatermarkStrategy<Event>.ForBoundedOutOfOrderness(TimeSpan.FromMilliseconds(disorder)).WithTimestampAssigner(e => e.Timestamp);
        var sink = new CollectSink<string>();
        query!.BuildJson(env.FromSource(new CollectionSource<Event>(events), watermarks, "Recorded events")).SinkTo(sink);
        var result = env.Execute($"nexmark {query.Name}");
        var rows = sink.Results;
        if (query.IsUpdating)
        {
            // The final table: the last row per key (the first column).
            var last = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var row in rows) last[JsonNode.Parse(row)!.AsObject().First().Value?.ToJsonString() ?? "null"] = row;
            rows = last.Values.ToList();
        }
        File.WriteAllLines(output, rows);
        Console.Error.WriteLine($"{query.Name}: {events.Count:N0} events → {rows.Count:N0} rows in {output} ({result.Status}, {result.Duration.TotalSeconds:0.00} s).");
        return result.Status == JobStatus.Finished ? 0 : 1;
    }
}
