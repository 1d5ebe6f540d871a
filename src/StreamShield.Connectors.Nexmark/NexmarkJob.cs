using System.Globalization;
using StreamShield.Connectors.Nexmark.Queries;

namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// A Nexmark query as a submittable job (<c>streamshield run|submit nexmark ...</c>): the generator's events into the
/// query, the rows into a discarding sink or, with <c>--latency-output</c>, into a <see cref="LatencyFileSink{T}"/>.
/// Arguments: <c>--query qN</c> (required), <c>--events N</c> (default 1,000,000; 0: unbounded), <c>--rate R</c>
/// (events/s: a paced source whose event times are wall-clock due times; default: as fast as possible),
/// <c>--base-time MS</c> (wall-clock epoch ms the paced run starts at; every process building the job must agree on
/// it, so pass it when submitting to a cluster; default: one second after the job is built), and
/// <c>--latency-output DIR</c> (latency percentiles per second, or per <c>--latency-bucket-ms MS</c>, one CSV file per
/// sink subtask and attempt).
/// </summary>
public sealed class NexmarkJob : IStreamJob
{
    private string _name = "nexmark";

    /// <inheritdoc />
    public string Name => _name;

    /// <summary>The parsed arguments of a Nexmark job.</summary>
    public sealed record Arguments(INexmarkQuery Query, long Events, int? Rate, long? BaseTime, string? LatencyOutput, int LatencyBucketMs = 1000);

    /// <summary>Parses the job's arguments; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static Arguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        INexmarkQuery? query = null;
        long events = 1_000_000;
        int? rate = null;
        long? baseTime = null;
        string? latency = null;
        var bucketMs = 1000;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--query": query = NexmarkQueries.Get(Value()); break;
                case "--events": events = long.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                case "--rate": rate = int.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                case "--base-time": baseTime = long.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                case "--latency-output": latency = Value(); break;
                case "--latency-bucket-ms": bucketMs = int.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}' for the nexmark job. Use --query qN [--events N] [--rate R] [--base-time MS] [--latency-output DIR [--latency-bucket-ms MS]].");
            }
        }
        if (query is null) throw new ArgumentException($"The nexmark job needs --query (one of {string.Join(", ", NexmarkQueries.Names)}).");
        if (events < 0) throw new ArgumentException($"--events must not be negative, not {events}.");
        if (rate is <= 0) throw new ArgumentException($"--rate must be positive, not {rate}.");
        if (bucketMs <= 0) throw new ArgumentException($"--latency-bucket-ms must be positive, not {bucketMs}.");
        if (baseTime is not null && rate is null) throw new ArgumentException("--base-time only applies to a paced run (--rate).");
        return new Arguments(query, events, rate, baseTime, latency is null ? null : Path.GetFullPath(latency), bucketMs);
    }

    /// <inheritdoc />
    public void Build(StreamEnvironment env, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(env);
        var a = Parse(args);
        _name = $"nexmark {a.Query.Name}";
        DataStream<Event> events;
        if (a.Rate is { } rate)
        {
            var wallBase = a.BaseTime ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1_000;
            events = env.FromPacedNexmark(NexmarkPipeline.PacedOptions(a.Events, rate, wallBase), wallBase);
        }
        else
        {
            var options = new NexmarkOptions { MaxEvents = a.Events };
            options.Validate();
            events = env.FromNexmark(options);
        }
        NexmarkPipeline.Attach(a.Query, events, a.LatencyOutput is { } dir ? new LatencyRows(dir, a.LatencyBucketMs) : NexmarkPipeline.Discard);
    }

    private sealed class LatencyRows(string directory, int bucketMs) : INexmarkRowSink
    {
        public void Attach<TRow>(DataStream<TRow> rows) => rows.SinkTo(new LatencyFileSink<TRow>(directory, bucketMs), "Latency");
    }
}
