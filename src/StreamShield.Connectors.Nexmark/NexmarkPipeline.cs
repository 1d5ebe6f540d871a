using System.Reflection;
using StreamShield.Connectors.Nexmark.Queries;
using StreamShield.Sinks;
using StreamShield.Sources;

namespace StreamShield.Connectors.Nexmark;

/// <summary>Where a query's result rows go: called with the typed rows (or JSON lines for a query without a row type).</summary>
public interface INexmarkRowSink
{
    /// <summary>Attaches a sink to <paramref name="rows"/>.</summary>
    void Attach<TRow>(DataStream<TRow> rows);
}

/// <summary>
/// The shared way to run a Nexmark query as a job: events (bounded, unbounded or paced from a wall-clock base) into the
/// query and its typed rows into a sink, as the reference suite's blackhole sink gets rows (no JSON formatting).
/// Used by <see cref="NexmarkJob"/> and by the CLI's embedded benchmark.
/// </summary>
public static class NexmarkPipeline
{
    private static readonly MethodInfo BuildTypedMethod = typeof(NexmarkPipeline).GetMethod(nameof(BuildTyped), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Builds <paramref name="query"/> over <paramref name="events"/> and attaches <paramref name="sink"/> to its rows.</summary>
    public static void Attach(INexmarkQuery query, DataStream<Event> events, INexmarkRowSink sink)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(sink);
        var typed = query.GetType().GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(INexmarkQuery<>));
        if (typed is null) sink.Attach(query.BuildJson(events));
        else BuildTypedMethod.MakeGenericMethod(typed.GetGenericArguments()[0]).Invoke(null, [query, events, sink]);
    }

    private static void BuildTyped<TRow>(INexmarkQuery<TRow> query, DataStream<Event> events, INexmarkRowSink sink) => sink.Attach(query.Build(events));

    /// <summary>
    /// Options of a rate-limited run whose event times are wall-clock due times: one in-order generator with
    /// <see cref="NexmarkOptions.BaseTime"/> = <paramref name="wallBase"/>, so event n's <c>dateTime</c> is
    /// <c>wallBase + DueOffsetMs(n)</c>, the instant a <see cref="PacedNexmarkSource"/> paced from the same base is due
    /// to emit it. <paramref name="events"/> 0: unbounded.
    /// </summary>
    public static NexmarkOptions PacedOptions(long events, int rate, long wallBase)
    {
        var options = new NexmarkOptions
        {
            MaxEvents = events,
            IsRateLimited = true,
            FirstEventRate = rate,
            NextEventRate = rate,
            BaseTime = wallBase,
            NumEventGenerators = 1,
            OutOfOrderGroupSize = 1,
        };
        options.Validate();
        return options;
    }

    /// <summary>A paced source (<see cref="PacedOptions"/>) on <paramref name="environment"/>, with Nexmark watermarks.</summary>
    public static DataStream<Event> FromPacedNexmark(this StreamEnvironment environment, NexmarkOptions options, long wallBase, string name = "Nexmark Source")
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        return environment.FromSource(new PacedNexmarkSource(new NexmarkSource(new NexmarkGenerator(options)), wallBase), NexmarkSource.Watermarks(options), name);
    }

    /// <summary>Rows into a <see cref="DiscardingSink{T}"/>.</summary>
    public static INexmarkRowSink Discard { get; } = new DiscardRows();

    private sealed class DiscardRows : INexmarkRowSink
    {
        public void Attach<TRow>(DataStream<TRow> rows) => rows.SinkTo(new DiscardingSink<TRow>(), "Discard");
    }
}

/// <summary>A Nexmark source whose splits all count due times from the same wall-clock base.</summary>
public sealed class PacedNexmarkSource(NexmarkSource inner, long wallBase) : ISource<Event, NexmarkSplit>
{
    /// <inheritdoc />
    public bool IsBounded => inner.IsBounded;

    /// <inheritdoc />
    public IReadOnlyList<NexmarkSplit> EnumerateSplits(int parallelism) =>
        inner.EnumerateSplits(parallelism).Select(s => s with { WallclockBaseTime = wallBase }).ToList();

    /// <inheritdoc />
    public ISourceReader<Event, NexmarkSplit> CreateReader(SourceReaderContext context) => inner.CreateReader(context);
}
