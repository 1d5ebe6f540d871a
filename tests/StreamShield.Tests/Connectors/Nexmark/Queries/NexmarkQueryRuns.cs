using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;
using StreamShield.Sinks;

namespace StreamShield.Tests.Connectors.Nexmark.Queries;

/// <summary>What the query tests share: the generated events, running a query embedded, comparing row multisets.</summary>
internal static class NexmarkQueryRuns
{
    // 40,000 events at 500 per second: 80 s of event time, so several 10 s windows.
    public static readonly NexmarkOptions Options = NexmarkOptions.Default with { MaxEvents = 40_000, FirstEventRate = 500, NextEventRate = 500 };
    public static readonly Lazy<List<Event>> AllEvents = new(() => new NexmarkGenerator(Options).Generate(0, Options.MaxEvents).ToList());

    /// <summary>Runs <paramref name="query"/> at parallelism 2 over a bounded source of <see cref="Options"/>.</summary>
    public static IReadOnlyList<TRow> Run<TRow>(INexmarkQuery<TRow> query)
    {
        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        var sink = new CollectSink<TRow>();
        query.Build(env.FromNexmark(Options)).SinkTo(sink);
        env.Execute($"nexmark-{query.Name}");
        return sink.Results;
    }

    /// <summary>
    /// Runs <paramref name="query"/> at parallelism 2 over a paced, out-of-order source so that the watermark advances
    /// mid-stream and event-time timers (state cleanup) fire during the run, not only at the end: 30,000 events at
    /// 50,000/s of event time and of wall time, shuffled in groups of 200, a watermark every 2 ms. Returns the events
    /// (for the expectation) and the rows.
    /// </summary>
    public static (List<Event> Events, IReadOnlyList<TRow> Rows) RunPacedOutOfOrder<TRow>(INexmarkQuery<TRow> query)
    {
        var options = Options with { MaxEvents = 30_000, FirstEventRate = 50_000, NextEventRate = 50_000, OutOfOrderGroupSize = 200, IsRateLimited = true };
        var generator = new NexmarkGenerator(options);
        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        env.AutoWatermarkInterval = TimeSpan.FromMilliseconds(2);
        var sink = new CollectSink<TRow>();
        var source = new PacedNexmarkSource(new NexmarkSource(generator), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        query.Build(env.FromSource(source, NexmarkSource.Watermarks(options), "paced")).SinkTo(sink);
        env.Execute($"nexmark-{query.Name}-paced");
        return (generator.Generate(0, options.MaxEvents).ToList(), sink.Results);
    }

    /// <summary>Equal as multisets, and the expectation is not empty (so the test compares something).</summary>
    public static void AssertSameRows<TRow>(IEnumerable<TRow> expected, IEnumerable<TRow> actual)
    {
        var e = expected.OrderBy(r => r!.ToString(), StringComparer.Ordinal).ToList();
        var a = actual.OrderBy(r => r!.ToString(), StringComparer.Ordinal).ToList();
        Assert.NotEmpty(e);
        Assert.Equal(e.Count, a.Count);
        Assert.Equal(e, a);
    }
}
