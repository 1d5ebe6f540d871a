using System.Text.Json.Nodes;
using StreamShield.Functions;
using StreamShield.State;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>
/// A q17 row: the bids of one auction on one day: counts (all, and per price tier), and the min, max, average
/// (truncated like SQL's AVG of BIGINT) and sum of their prices.
/// </summary>
public sealed record Q17Row(
    long Auction, string Day, long TotalBids, long Rank1Bids, long Rank2Bids, long Rank3Bids,
    long MinPrice, long MaxPrice, long AvgPrice, long SumPrice);

/// <summary>The running aggregate of one (auction, day) group of q17.</summary>
public sealed record Q17Accumulator(long Total, long Rank1, long Rank2, long Rank3, long Min, long Max, long Sum);

/// <summary>
/// Query 17, auction statistics report: per auction and day (<c>DATE_FORMAT(dateTime, 'yyyy-MM-dd')</c>, UTC), the bid
/// counts by price tier and the price statistics. The reference is an unbounded (updating) group aggregation; here the
/// group is keyed by (auction, day) and its final row is emitted once, by an event-time timer at the day's last
/// millisecond, so the output is the reference's final table (bids later than the watermark are not expected).
/// </summary>
public sealed class Q17AuctionStatistics : NexmarkQuery<Q17Row>
{
    /// <inheritdoc />
    public override string Name => "q17";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } =
        ["auction", "day", "total_bids", "rank1_bids", "rank2_bids", "rank3_bids", "min_price", "max_price", "avg_price", "sum_price"];

    /// <inheritdoc />
    public override DataStream<Q17Row> Build(DataStream<Event> events) =>
        // Only (auction, day, price) crosses the shuffle.
        Bids(events).Map(b => new AuctionDayPrice(b.Auction, BidStatistics.DayStart(b.DateTime), b.Price), "q17 project")
            .KeyBy(b => (b.Auction, b.DayStart)).Process(new Statistics(), "q17 statistics");

    /// <inheritdoc />
    public override JsonObject ToJson(Q17Row row) => new()
    {
        ["auction"] = row.Auction,
        ["day"] = row.Day,
        ["total_bids"] = row.TotalBids,
        ["rank1_bids"] = row.Rank1Bids,
        ["rank2_bids"] = row.Rank2Bids,
        ["rank3_bids"] = row.Rank3Bids,
        ["min_price"] = row.MinPrice,
        ["max_price"] = row.MaxPrice,
        ["avg_price"] = row.AvgPrice,
        ["sum_price"] = row.SumPrice,
    };

    /// <summary>What q17 reads of a bid.</summary>
    internal sealed record AuctionDayPrice(long Auction, long DayStart, long Price);

    private sealed class Statistics : KeyedProcessFunction<(long Auction, long DayStart), AuctionDayPrice, Q17Row>
    {
        private IValueState<Q17Accumulator?> _acc = null!;

        public override void Open() => _acc = RuntimeContext.GetState(new ValueStateDescriptor<Q17Accumulator?>("statistics"));

        public override void ProcessElement(AuctionDayPrice value, Context context, ICollector<Q17Row> output)
        {
            var tier = BidStatistics.Tier(value.Price);
            var acc = _acc.Value;
            if (acc is null)
            {
                context.TimerService.RegisterEventTimeTimer(value.DayStart + BidStatistics.DayMs - 1);
                acc = new Q17Accumulator(0, 0, 0, 0, long.MaxValue, long.MinValue, 0);
            }
            _acc.Update(new Q17Accumulator(
                acc.Total + 1,
                acc.Rank1 + (tier == 1 ? 1 : 0),
                acc.Rank2 + (tier == 2 ? 1 : 0),
                acc.Rank3 + (tier == 3 ? 1 : 0),
                Math.Min(acc.Min, value.Price),
                Math.Max(acc.Max, value.Price),
                acc.Sum + value.Price));
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<Q17Row> output)
        {
            if (_acc.Value is not { } acc) return;
            var day = BidStatistics.Day(timestamp);
            output.Collect(new Q17Row(context.CurrentKey.Auction, day, acc.Total, acc.Rank1, acc.Rank2, acc.Rank3, acc.Min, acc.Max, acc.Sum / acc.Total, acc.Sum));
            _acc.Clear();
        }
    }
}
