using System.CommandLine;
using System.Diagnostics;
using StreamShield.Connectors.Nexmark;

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
        return new Command("nexmark", "The Nexmark benchmark's event generator.") { generate };
    }
}
