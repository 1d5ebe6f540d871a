using System.Globalization;
using StreamShield.EventTime;
using StreamShield.Sinks;

namespace StreamShield.Examples;

/// <summary>
/// A stateless ETL job: turns generated clicks into CSV log lines and writes them to the transactional file sink.
/// Every operator is chained with forward edges, so each parallel pipeline is its own pipelined region: with
/// <c>failover.strategy = region</c> a failure restarts only the pipeline it hit while the others keep running.
/// Arguments: <c>--events N</c>, <c>--users N</c>, <c>--rate R</c> (records/s across the job), <c>--output DIR</c>.
/// </summary>
public sealed class ClickLogJob : IStreamJob
{
    /// <inheritdoc />
    public string Name => "click-log";

    /// <summary>The log line of click <paramref name="n"/>: what the job writes, computable without the engine.</summary>
    public static string LineAt(long n, int users)
    {
        var c = WindowedCountsJob.ClickAt(n, users);
        return string.Create(CultureInfo.InvariantCulture, $"{n},{c.User},{c.Timestamp}");
    }

    /// <inheritdoc />
    public void Build(StreamEnvironment env, IReadOnlyList<string> args)
    {
        long events = 1_000_000;
        var users = 1_000;
        double? rate = null;
        var output = Path.Combine(Path.GetTempPath(), "streamshield-click-log");
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--events": events = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--users": users = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--rate": rate = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--output": output = args[i + 1]; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}' for job {Name}. Use --events N, --users N, --rate R, --output DIR.");
            }
        }
        env.FromGenerator(n => n, events, rate, WatermarkStrategy<long>.NoWatermarks(), "Clicks").Uid("clicks")
            .Map(n => LineAt(n, users), "Format log line")
            .SinkTo(new FileSink<string>(output), "Log files").Uid("log");
    }
}
