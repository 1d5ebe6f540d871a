using System.Text.Json.Nodes;
using StreamShield.Functions;
using StreamShield.State;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>
/// Bid counts, distinct bidders and distinct auctions, each in all and per price tier (q15 and q16):
/// <c>total, rank1, rank2, rank3</c> for each.
/// </summary>
public sealed record TierCounts(
    long TotalBids, long Rank1Bids, long Rank2Bids, long Rank3Bids,
    long TotalBidders, long Rank1Bidders, long Rank2Bidders, long Rank3Bidders,
    long TotalAuctions, long Rank1Auctions, long Rank2Auctions, long Rank3Auctions)
{
    /// <summary>The reference column names, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "total_bids", "rank1_bids", "rank2_bids", "rank3_bids",
        "total_bidders", "rank1_bidders", "rank2_bidders", "rank3_bidders",
        "total_auctions", "rank1_auctions", "rank2_auctions", "rank3_auctions",
    ];

    /// <summary>Adds the columns to <paramref name="json"/>.</summary>
    public JsonObject AddTo(JsonObject json)
    {
        long[] values = [TotalBids, Rank1Bids, Rank2Bids, Rank3Bids, TotalBidders, Rank1Bidders, Rank2Bidders, Rank3Bidders,
            TotalAuctions, Rank1Auctions, Rank2Auctions, Rank3Auctions];
        for (var i = 0; i < values.Length; i++) json[Columns[i]] = values[i];
        return json;
    }
}

/// <summary>A q15 row: the <see cref="TierCounts"/> of one day's bids.</summary>
public sealed record Q15Row(string Day, TierCounts Counts);

/// <summary>
/// Keyed state counting bids, distinct bidders and distinct auctions per price tier; each distinct bidder and auction
/// is kept with a bit mask of the tiers it has bid in (bit 0: any, bit <c>n</c>: tier <c>n</c>).
/// </summary>
internal sealed class TierCounter
{
    private IMapState<long, int> _bidders = null!;
    private IMapState<long, int> _auctions = null!;
    private IListState<long> _bids = null!;

    public TierCounter(RuntimeContext context)
    {
        _bidders = context.GetMapState(new MapStateDescriptor<long, int>("bidders"));
        _auctions = context.GetMapState(new MapStateDescriptor<long, int>("auctions"));
        _bids = context.GetListState(new ListStateDescriptor<long>("bids"));
    }

    /// <summary>Counts <paramref name="bid"/>; true when it is the key's first.</summary>
    public bool Add(StatisticsBid bid)
    {
        var first = _bidders.IsEmpty;
        var tier = BidStatistics.Tier(bid.Price);
        var mask = 1 | (1 << tier);
        var updated = first ? new long[4] : _bids.Get().ToArray();
        updated[0]++;
        updated[tier]++;
        _bids.Update(updated);
        _bidders.Put(bid.Bidder, (_bidders.TryGetValue(bid.Bidder, out var b) ? b : 0) | mask);
        _auctions.Put(bid.Auction, (_auctions.TryGetValue(bid.Auction, out var a) ? a : 0) | mask);
        return first;
    }

    /// <summary>The current counts; then clears the key's state.</summary>
    public TierCounts Take()
    {
        var bids = _bids.Get();
        var bidders = Distinct(_bidders);
        var auctions = Distinct(_auctions);
        _bids.Clear();
        _bidders.Clear();
        _auctions.Clear();
        return new TierCounts(bids[0], bids[1], bids[2], bids[3], bidders[0], bidders[1], bidders[2], bidders[3],
            auctions[0], auctions[1], auctions[2], auctions[3]);
    }

    private static long[] Distinct(IMapState<long, int> masks)
    {
        var counts = new long[4];
        foreach (var (_, mask) in masks.Entries())
            for (var i = 0; i < 4; i++) if ((mask & (1 << i)) != 0) counts[i]++;
        return counts;
    }
}

/// <summary>
/// Query 15, bidding statistics report: per day (<c>DATE_FORMAT(dateTime, 'yyyy-MM-dd')</c>, UTC) the bid counts and
/// the distinct bidders and auctions, in all and per price tier. The reference is an unbounded group aggregation; here
/// the bids are keyed by day and each day's final row is emitted by an event-time timer at its last millisecond: the
/// reference's final table. (The reference groups by a <c>customTime</c> column of an older DDL; this is the bid's time.)
/// </summary>
public sealed class Q15BiddingStatistics : NexmarkQuery<Q15Row>
{
    /// <inheritdoc />
    public override string Name => "q15";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } = ["day", .. TierCounts.Columns];

    /// <inheritdoc />
    public override DataStream<Q15Row> Build(DataStream<Event> events) =>
        Bids(events).Map(StatisticsBid.Of, "q15 project").KeyBy(b => b.DayStart).Process(new DayStatistics(), "q15 statistics");

    /// <inheritdoc />
    public override JsonObject ToJson(Q15Row row) => row.Counts.AddTo(new JsonObject { ["day"] = row.Day });

    private sealed class DayStatistics : KeyedProcessFunction<long, StatisticsBid, Q15Row>
    {
        private TierCounter _counter = null!;

        public override void Open() => _counter = new TierCounter(RuntimeContext);

        public override void ProcessElement(StatisticsBid value, Context context, ICollector<Q15Row> output)
        {
            if (_counter.Add(value)) context.TimerService.RegisterEventTimeTimer(context.CurrentKey + BidStatistics.DayMs - 1);
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<Q15Row> output) =>
            output.Collect(new Q15Row(BidStatistics.Day(timestamp), _counter.Take()));
    }
}
