using StreamShield.EventTime;
using StreamShield.Sources;

namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// A replayable, split-based source of Nexmark events (see <see cref="NexmarkGenerator"/>). Bounded when
/// <see cref="NexmarkOptions.MaxEvents"/> is positive; rate-limited in wall-clock time when
/// <see cref="NexmarkOptions.IsRateLimited"/> is set.
/// </summary>
/// <remarks>
/// <para>A job started at parallelism <c>p</c> gets <c>p</c> splits; split <c>i</c> owns the event numbers
/// congruent to <c>i</c> modulo <c>p</c> (<see cref="NexmarkSplit"/>). Interleaving, rather than contiguous
/// ranges, keeps every subtask at the same point of the event-time line, so watermarks advance together and no
/// subtask's events are late for another's; since each event is a pure function of its number, the union over any
/// parallelism is the same multiset of events as one generator's. A reader holding several splits (after a restore
/// at lower parallelism) emits them merged in event-number order, so its timestamps still never decrease.</para>
/// <para>The reference instead gives each parallel reader its own timeline and its own id range, so its events
/// depend on the parallelism.</para>
/// <para>Records are emitted with <see cref="ISourceOutput{T}.Collect(T)"/>, so their event time comes from the
/// watermark strategy's timestamp assigner: use <see cref="Watermarks"/> (or
/// <see cref="NexmarkStreamEnvironmentExtensions.FromNexmark"/>).</para>
/// </remarks>
public sealed class NexmarkSource : ISource<Event, NexmarkSplit>
{
    /// <summary>Creates the source; validates <paramref name="options"/>.</summary>
    public NexmarkSource(NexmarkOptions options) : this(new NexmarkGenerator(options)) { }

    /// <summary>Creates the source over an existing generator.</summary>
    public NexmarkSource(NexmarkGenerator generator) => Generator = generator ?? throw new ArgumentNullException(nameof(generator));

    /// <summary>The generator the readers share.</summary>
    public NexmarkGenerator Generator { get; }

    /// <inheritdoc />
    public bool IsBounded => Generator.Options.MaxEvents > 0;

    /// <inheritdoc />
    public IReadOnlyList<NexmarkSplit> EnumerateSplits(int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var splits = new List<NexmarkSplit>(parallelism);
        for (var i = 0; i < parallelism && i < Generator.EndEventNumber; i++)
            splits.Add(new NexmarkSplit(i, parallelism, Generator.EndEventNumber, null));
        return splits;
    }

    /// <inheritdoc />
    public ISourceReader<Event, NexmarkSplit> CreateReader(SourceReaderContext context) =>
        new NexmarkSourceReader(Generator, Generator.Options.IsRateLimited, context.Clock);

    /// <summary>
    /// Event time from each event's <c>dateTime</c>; watermarks trail the largest timestamp seen by
    /// <paramref name="maxOutOfOrderness"/>, or when null by what <paramref name="options"/> allow: zero for in-order
    /// streams, the time span of an out-of-order group otherwise.
    /// </summary>
    public static WatermarkStrategy<Event> Watermarks(NexmarkOptions options, TimeSpan? maxOutOfOrderness = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bound = maxOutOfOrderness ?? OutOfOrderBound(options);
        return WatermarkStrategy<Event>.ForBoundedOutOfOrderness(bound).WithTimestampAssigner(static e => e.Timestamp);
    }

    private static TimeSpan OutOfOrderBound(NexmarkOptions options)
    {
        if (options.OutOfOrderGroupSize <= 1) return TimeSpan.Zero;
        var spanUs = (options.OutOfOrderGroupSize - 1) * new EventTimeline(options).MaxDelayUs;
        return TimeSpan.FromMilliseconds(Math.Ceiling(spanUs / 1000.0) + 1);
    }
}
