namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// What the Nexmark generator produces. Names and defaults are the reference suite's (<c>NexmarkConfiguration</c> of
/// nexmark/nexmark) where the option exists there, in PascalCase: <c>firstEventRate</c> is
/// <see cref="FirstEventRate"/>, and so on. Immutable; use <c>with</c> to vary it. Checked by <see cref="Validate"/>,
/// which <see cref="NexmarkGenerator"/> calls.
/// </summary>
/// <remarks>
/// Two options differ from the reference on purpose: <see cref="BaseTime"/> defaults to a fixed instant instead of
/// the current time, so that two runs with default options produce identical events; and <see cref="MaxEvents"/> 0
/// means an unbounded source (the reference treats 0 as "as many as the counters allow", which is the same in
/// practice).
/// </remarks>
public sealed record NexmarkOptions
{
    /// <summary>The default base time: 2015-07-15T00:00:00Z, the fixed base time of Beam's deterministic Nexmark runs.</summary>
    public const long DefaultBaseTime = 1_436_918_400_000;

    /// <summary>The options with every default.</summary>
    public static NexmarkOptions Default { get; } = new();

    /// <summary>
    /// Number of events to generate (the reference's <c>numEvents</c>, a generator's <c>maxEvents</c>); 0 for an
    /// unbounded stream. Event numbers run from 0 to <c>MaxEvents - 1</c>.
    /// </summary>
    public long MaxEvents { get; init; }

    /// <summary>
    /// Number of simulated event generators, each on its own timeline (<c>numEventGenerators</c>, default 1). With
    /// <c>G</c> generators each runs at 1/G of the rate, so G consecutive event numbers share a timestamp and the
    /// overall rate stays <see cref="FirstEventRate"/>. Unrelated to the source's parallelism (see <see cref="NexmarkSource"/>).
    /// </summary>
    public int NumEventGenerators { get; init; } = 1;

    /// <summary>Shape of the rate curve when <see cref="FirstEventRate"/> and <see cref="NextEventRate"/> differ (<c>rateShape</c>, default square).</summary>
    public RateShape RateShape { get; init; } = RateShape.Square;

    /// <summary>Initial overall event rate, in <see cref="RateUnit"/> (<c>firstEventRate</c>, default 10,000 per second). Sets event-time spacing.</summary>
    public int FirstEventRate { get; init; } = 10_000;

    /// <summary>The rate the shape moves to (<c>nextEventRate</c>, default 10,000 per second).</summary>
    public int NextEventRate { get; init; } = 10_000;

    /// <summary>Unit of the rates (<c>rateUnit</c>, default per second).</summary>
    public RateUnit RateUnit { get; init; } = RateUnit.PerSecond;

    /// <summary>Period of the rate shape, in seconds of event time (<c>ratePeriodSec</c>, default 600).</summary>
    public int RatePeriodSec { get; init; } = 600;

    /// <summary>
    /// If true, the source emits each event no earlier than its due time in wall-clock time: the source's start plus
    /// the event's offset from <see cref="BaseTime"/> on the (unshuffled) timeline (<c>isRateLimited</c>, default
    /// false: as fast as downstream accepts). Event times are the same either way.
    /// </summary>
    public bool IsRateLimited { get; init; }

    /// <summary>Persons in each run of <c>person + auction + bid</c> events (<c>personProportion</c>, default 1).</summary>
    public int PersonProportion { get; init; } = 1;

    /// <summary>Auctions in each run of events (<c>auctionProportion</c>, default 3).</summary>
    public int AuctionProportion { get; init; } = 3;

    /// <summary>Bids in each run of events (<c>bidProportion</c>, default 46).</summary>
    public int BidProportion { get; init; } = 46;

    /// <summary>Average idealized size of a person event in bytes, reached by padding <see cref="Person.Extra"/> (<c>avgPersonByteSize</c>, default 200).</summary>
    public int AvgPersonByteSize { get; init; } = 200;

    /// <summary>Average idealized size of an auction event in bytes (<c>avgAuctionByteSize</c>, default 500).</summary>
    public int AvgAuctionByteSize { get; init; } = 500;

    /// <summary>Average idealized size of a bid event in bytes (<c>avgBidByteSize</c>, default 100).</summary>
    public int AvgBidByteSize { get; init; } = 100;

    /// <summary>Ratio of bids on hot auctions to bids on other auctions (<c>hotAuctionRatio</c>, default 2: half the bids are on a hot auction).</summary>
    public int HotAuctionRatio { get; init; } = 2;

    /// <summary>Ratio of auctions by hot sellers to auctions by other people (<c>hotSellersRatio</c>, default 4: three quarters by a hot seller).</summary>
    public int HotSellersRatio { get; init; } = 4;

    /// <summary>Ratio of bids by hot bidders to bids by other people (<c>hotBiddersRatio</c>, default 4).</summary>
    public int HotBiddersRatio { get; init; } = 4;

    /// <summary>Average number of auctions in flight at any time, per generator (<c>numInFlightAuctions</c>, default 100). Sets auction lengths and which auctions bids pick.</summary>
    public int NumInFlightAuctions { get; init; } = 100;

    /// <summary>Number of most recent people considered active for placing auctions or bids (<c>numActivePeople</c>, default 1000).</summary>
    public int NumActivePeople { get; init; } = 1000;

    /// <summary>
    /// Number of events in out-of-order groups (<c>outOfOrderGroupSize</c>, default 1: in order). With N &gt; 1, each
    /// group of N consecutive event numbers carries the ids and timestamps of the group in a scrambled order.
    /// </summary>
    public long OutOfOrderGroupSize { get; init; } = 1;

    /// <summary>Event time of event number 0, epoch milliseconds (<c>baseTime</c>, default <see cref="DefaultBaseTime"/>).</summary>
    public long BaseTime { get; init; } = DefaultBaseTime;

    /// <summary>Sum of the three proportions: the length of one run of events.</summary>
    public int TotalProportion => PersonProportion + AuctionProportion + BidProportion;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(MaxEvents >= 0, nameof(MaxEvents), MaxEvents, "must not be negative; use 0 for an unbounded stream");
        Require(NumEventGenerators >= 1, nameof(NumEventGenerators), NumEventGenerators, "must be at least 1");
        Require(FirstEventRate >= 1, nameof(FirstEventRate), FirstEventRate, "must be a positive number of events per rate unit");
        Require(NextEventRate >= 1, nameof(NextEventRate), NextEventRate, "must be a positive number of events per rate unit");
        Require(Enum.IsDefined(RateShape), nameof(RateShape), RateShape, "must be Square or Sine");
        Require(Enum.IsDefined(RateUnit), nameof(RateUnit), RateUnit, "must be PerSecond or PerMinute");
        Require(RatePeriodSec >= 1, nameof(RatePeriodSec), RatePeriodSec, "must be at least one second");
        Require(PersonProportion >= 1, nameof(PersonProportion), PersonProportion, "must be at least 1 (auctions and bids refer to people)");
        Require(AuctionProportion >= 1, nameof(AuctionProportion), AuctionProportion, "must be at least 1 (bids refer to auctions)");
        Require(BidProportion >= 0, nameof(BidProportion), BidProportion, "must not be negative");
        Require((long)PersonProportion + AuctionProportion + BidProportion <= int.MaxValue, nameof(BidProportion), BidProportion, "makes the proportions' sum overflow");
        Require(AvgPersonByteSize >= 0, nameof(AvgPersonByteSize), AvgPersonByteSize, "must not be negative");
        Require(AvgAuctionByteSize >= 0, nameof(AvgAuctionByteSize), AvgAuctionByteSize, "must not be negative");
        Require(AvgBidByteSize >= 0, nameof(AvgBidByteSize), AvgBidByteSize, "must not be negative");
        Require(HotAuctionRatio >= 1, nameof(HotAuctionRatio), HotAuctionRatio, "must be at least 1");
        Require(HotSellersRatio >= 1, nameof(HotSellersRatio), HotSellersRatio, "must be at least 1");
        Require(HotBiddersRatio >= 1, nameof(HotBiddersRatio), HotBiddersRatio, "must be at least 1");
        Require(NumInFlightAuctions >= 0, nameof(NumInFlightAuctions), NumInFlightAuctions, "must not be negative");
        Require(NumActivePeople >= 1, nameof(NumActivePeople), NumActivePeople, "must be at least 1");
        Require(OutOfOrderGroupSize >= 1, nameof(OutOfOrderGroupSize), OutOfOrderGroupSize, "must be at least 1 (1 means in order)");
        Require(OutOfOrderGroupSize % NexmarkGenerator.OutOfOrderStride != 0, nameof(OutOfOrderGroupSize), OutOfOrderGroupSize,
            $"must not be a multiple of {NexmarkGenerator.OutOfOrderStride}: the reference's shuffle within a group would repeat event ids");
    }

    private static void Require(bool condition, string name, object value, string rule)
    {
        if (!condition) ThrowOutOfRange(name, value, rule);
    }

    private static void ThrowOutOfRange(string name, object value, string rule) =>
        throw new ArgumentOutOfRangeException(name, value, $"Nexmark option {name} {rule}.");
}
