using StreamShield.EventTime;
using StreamShield.Functions;
using StreamShield.Sinks;
using StreamShield.Windowing;

namespace StreamShield.Examples;

/// <summary>
/// Counts clicks per user in one-second tumbling event-time windows. The clicks are generated as a pure
/// function of their sequence number (user, event time with up to 200 ms of disorder), so the exact expected
/// output can be computed without the engine; results go to the transactional file sink.
/// This is the job `streamshield demo` runs, with a failure injected mid-run.
/// </summary>
public sealed class WindowedCountsJob : IStreamJob
{
    /// <summary>Clicks per second of event time.</summary>
    public const long EventsPerSecond = 100_000;
    private const long Disorder = 200;

    /// <summary>A click: which user, at what event time (epoch ms).</summary>
    public readonly record struct Click(long User, long Timestamp);

    /// <summary>One window's result.</summary>
    public readonly record struct UserCount(long WindowStart, long User, long Count)
    {
        /// <inheritdoc />
        public override string ToString() => $"{WindowStart},{User},{Count}";
    }

    /// <summary>How many clicks to generate (null: unbounded).</summary>
    public long? Events { get; set; } = 2_000_000;
    /// <summary>Distinct users.</summary>
    public int Users { get; set; } = 1_000;
    /// <summary>Generation rate across the job (records/s), or null for as fast as possible.</summary>
    public double? RecordsPerSecond { get; set; } = 400_000;
    /// <summary>Where committed results appear.</summary>
    public string OutputDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "streamshield-windowed-counts");

    /// <inheritdoc />
    public string Name => "windowed-counts";

    /// <summary>The click with sequence number <paramref name="n"/>.</summary>
    public static Click ClickAt(long n, int users)
    {
        var h = Mix(n);
        return new Click((long)(h % (ulong)users), n * 1000 / EventsPerSecond - (long)(h >> 32) % Disorder);
    }

    private static ulong Mix(long n)
    {
        var x = (ulong)n + 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <inheritdoc />
    public void Build(StreamEnvironment env, IReadOnlyList<string> args)
    {
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--events": Events = long.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--users": Users = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--rate": RecordsPerSecond = double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--output": OutputDirectory = args[i + 1]; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}' for job {Name}. Use --events N, --users N, --rate R, --output DIR.");
            }
        }
        var users = Users;
        var watermarks = WatermarkStrategy<Click>.ForBoundedOutOfOrderness(TimeSpan.FromMilliseconds(Disorder))
            .WithTimestampAssigner(c => c.Timestamp);
        env.FromGenerator(n => ClickAt(n, users), Events, RecordsPerSecond, watermarks, "Clicks").Uid("clicks")
            .KeyBy(c => c.User)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Aggregate(new CountClicks(), new EmitUserCount()).Name("Count per user and second").Uid("counts")
            .SinkTo(new FileSink<UserCount>(OutputDirectory), "Committed files").Uid("files");
    }

    /// <summary>The exact result, computed without the engine.</summary>
    public static IEnumerable<UserCount> Expected(long events, int users) =>
        Enumerable.Range(0, checked((int)events))
            .Select(n => ClickAt(n, users))
            .GroupBy(c => (Window: Math.DivRem(c.Timestamp, 1000, out var r) * 1000 - (r < 0 ? 1000 : 0), c.User))
            .Select(g => new UserCount(g.Key.Window, g.Key.User, g.LongCount()));

    private sealed class CountClicks : IAggregateFunction<Click, long, long>
    {
        public long CreateAccumulator() => 0;
        public long Add(Click value, long accumulator) => accumulator + 1;
        public long GetResult(long accumulator) => accumulator;
        public long Merge(long a, long b) => a + b;
    }

    private sealed class EmitUserCount : ProcessWindowFunction<long, UserCount, long>
    {
        public override void Process(long key, Context context, IEnumerable<long> elements, ICollector<UserCount> output)
        {
            foreach (var count in elements) output.Collect(new UserCount(context.Window.Start, key, count));
        }
    }
}
