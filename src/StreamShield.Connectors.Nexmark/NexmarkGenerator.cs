namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// The Nexmark event generator: event number <c>n</c> (0, 1, 2, ...) maps to one <see cref="Event"/> as a pure
/// function of the options and <c>n</c>, so events can be generated in any order, in parallel, or again after a
/// failure, and two generators with equal options produce identical events.
/// </summary>
/// <remarks>
/// <para>The mapping follows the reference suite (nexmark/nexmark's <c>NexmarkGenerator</c> and
/// <c>GeneratorConfig</c>). With <c>G</c> = <see cref="NexmarkOptions.NumEventGenerators"/>, event number <c>n</c>
/// is number <c>k = n / G</c> on the timeline of generator <c>n % G</c>; <c>k</c> is shuffled within its
/// out-of-order group to <c>a</c> (<c>a = k</c> when <see cref="NexmarkOptions.OutOfOrderGroupSize"/> is 1); the
/// event id is <c>a × G + n % G</c>; the event time is the timeline's time of <c>a</c>. The id decides the kind —
/// a person when <c>id mod (person + auction + bid)</c> is below the person proportion, then auctions, then bids —
/// and seeds the event's random source, from which its content is drawn as in the reference.</para>
/// <para>Thread-safe and immutable. Each call allocates only the event's payload and its strings (about 290 bytes
/// on average with default sizes); one core generates about 3 million events per second.</para>
/// </remarks>
public sealed class NexmarkGenerator
{
    /// <summary>The reference's multiplier that shuffles event numbers within an out-of-order group.</summary>
    internal const long OutOfOrderStride = 953;

    private readonly NexmarkOptions _options;
    private readonly EventTimeline _timeline;
    private readonly int _generators;
    private readonly long _groupSize;

    /// <summary>Creates a generator; validates <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public NexmarkGenerator(NexmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _timeline = new EventTimeline(options);
        _generators = options.NumEventGenerators;
        _groupSize = options.OutOfOrderGroupSize;
        EndEventNumber = options.MaxEvents > 0
            ? options.MaxEvents
            // Unbounded: as many as the reference allows, scaled so that size estimates cannot overflow.
            : long.MaxValue / ((long)options.TotalProportion * Math.Max(1, Math.Max(options.AvgPersonByteSize, Math.Max(options.AvgAuctionByteSize, options.AvgBidByteSize))));
    }

    /// <summary>The options this generator was created with.</summary>
    public NexmarkOptions Options => _options;

    /// <summary>
    /// One past the last event number: <see cref="NexmarkOptions.MaxEvents"/>, or for an unbounded stream the
    /// reference's limit (<c>long.MaxValue / (total proportion × largest average size)</c>, centuries of events).
    /// </summary>
    public long EndEventNumber { get; }

    /// <summary>Generates event number <paramref name="eventNumber"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="eventNumber"/> is negative.</exception>
    public Event Generate(long eventNumber)
    {
        if (eventNumber < 0) ThrowNegative(eventNumber);
        var timelineNumber = Shuffle(eventNumber / _generators);
        var eventId = timelineNumber * _generators + eventNumber % _generators;
        var timestamp = _timeline.TimestampFor(timelineNumber);
        var random = new EventRandom(eventId, EventRandom.EventStream);
        var offset = eventId % _options.TotalProportion;
        if (offset < _options.PersonProportion)
            return new Event(EventType.Person, PersonGenerator.Next(eventId, ref random, timestamp, _options), null, null);
        if (offset < _options.PersonProportion + _options.AuctionProportion)
            return new Event(EventType.Auction, null, AuctionGenerator.Next(timelineNumber, eventId, ref random, timestamp, _options, _timeline), null);
        return new Event(EventType.Bid, null, null, BidGenerator.Next(eventId, ref random, timestamp, _options));
    }

    /// <summary>The event time (<c>dateTime</c>) event number <paramref name="eventNumber"/> will carry, without generating it.</summary>
    public long TimestampOf(long eventNumber)
    {
        if (eventNumber < 0) ThrowNegative(eventNumber);
        return _timeline.TimestampFor(Shuffle(eventNumber / _generators));
    }

    /// <summary>
    /// When event number <paramref name="eventNumber"/> is due, in milliseconds after the generator started, if it
    /// follows its rate in wall-clock time (<see cref="NexmarkOptions.IsRateLimited"/>): its unshuffled position on its
    /// timeline, so due times never decrease.
    /// </summary>
    public long DueOffsetMs(long eventNumber)
    {
        if (eventNumber < 0) ThrowNegative(eventNumber);
        return _timeline.TimestampFor(eventNumber / _generators) - _options.BaseTime;
    }

    /// <summary>
    /// The reference's event id of event number <paramref name="eventNumber"/>: its position in the
    /// person / auction / bid interleaving, which sets its kind and ids and seeds its content. Equal to the event
    /// number unless <see cref="NexmarkOptions.OutOfOrderGroupSize"/> shuffles it within its group.
    /// </summary>
    public long EventIdOf(long eventNumber)
    {
        if (eventNumber < 0) ThrowNegative(eventNumber);
        return Shuffle(eventNumber / _generators) * _generators + eventNumber % _generators;
    }

    /// <summary>The kind of event number <paramref name="eventNumber"/>, without generating it.</summary>
    public EventType TypeOf(long eventNumber)
    {
        var offset = EventIdOf(eventNumber) % _options.TotalProportion;
        return offset < _options.PersonProportion ? EventType.Person
            : offset < _options.PersonProportion + _options.AuctionProportion ? EventType.Auction
            : EventType.Bid;
    }

    /// <summary>Generates <paramref name="count"/> events from <paramref name="from"/> on, lazily and in order.</summary>
    public IEnumerable<Event> Generate(long from, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Iterate(from, count);
    }

    private IEnumerable<Event> Iterate(long from, long count)
    {
        for (var n = from; n < from + count; n++) yield return Generate(n);
    }

    /// <summary>The reference's <c>nextAdjustedEventNumber</c>: a fixed shuffle within each out-of-order group.</summary>
    private long Shuffle(long k) => _groupSize == 1 ? k : k / _groupSize * _groupSize + k % _groupSize * OutOfOrderStride % _groupSize;

    private static void ThrowNegative(long eventNumber) =>
        throw new ArgumentOutOfRangeException(nameof(eventNumber), eventNumber, "Event numbers start at 0.");
}
