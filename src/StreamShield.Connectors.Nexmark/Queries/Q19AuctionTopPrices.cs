using System.Text.Json.Nodes;
using StreamShield.Functions;
using StreamShield.State;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>A q19 row: a whole bid and its <c>rank_number</c> (1 for the highest price) among its auction's bids.</summary>
public sealed record Q19Row(long Auction, long Bidder, long Price, string Channel, string Url, long DateTime, string Extra, long RankNumber);

/// <summary>
/// Query 19, auction TOP-10 price: the 10 highest-priced bids of each auction, numbered from 1. The reference's
/// <c>ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC)</c> leaves ties to arrival order; here they are
/// ordered deterministically by <see cref="Compare"/>. Bids are keyed by auction, the current top 10 kept in keyed
/// state, and emitted once the input ends (an event-time timer at the final watermark): the reference's final table.
/// </summary>
public sealed class Q19AuctionTopPrices : NexmarkQuery<Q19Row>
{
    /// <summary>How many bids per auction.</summary>
    public const int TopN = 10;

    /// <inheritdoc />
    public override string Name => "q19";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } = ["auction", "bidder", "price", "channel", "url", "dateTime", "extra", "rank_number"];

    /// <inheritdoc />
    public override DataStream<Q19Row> Build(DataStream<Event> events) =>
        Bids(events).KeyBy(b => b.Auction).Process(new TopBids(), "q19 top bids");

    /// <inheritdoc />
    public override JsonObject ToJson(Q19Row row) => new()
    {
        ["auction"] = row.Auction,
        ["bidder"] = row.Bidder,
        ["price"] = row.Price,
        ["channel"] = row.Channel,
        ["url"] = row.Url,
        ["dateTime"] = row.DateTime,
        ["extra"] = row.Extra,
        ["rank_number"] = row.RankNumber,
    };

    /// <summary>
    /// The rank order of two bids of an auction: the higher price first; on a tie the earlier <c>dateTime</c>, then the
    /// lower bidder, then ordinally by channel, url and extra.
    /// </summary>
    public static int Compare(Bid x, Bid y)
    {
        var c = y.Price.CompareTo(x.Price);
        if (c == 0) c = x.DateTime.CompareTo(y.DateTime);
        if (c == 0) c = x.Bidder.CompareTo(y.Bidder);
        if (c == 0) c = string.CompareOrdinal(x.Channel, y.Channel);
        if (c == 0) c = string.CompareOrdinal(x.Url, y.Url);
        if (c == 0) c = string.CompareOrdinal(x.Extra, y.Extra);
        return c;
    }

    private sealed class TopBids : KeyedProcessFunction<long, Bid, Q19Row>
    {
        private IListState<Bid> _top = null!;

        public override void Open() => _top = RuntimeContext.GetListState(new ListStateDescriptor<Bid>("top-bids"));

        public override void ProcessElement(Bid value, Context context, ICollector<Q19Row> output)
        {
            var top = _top.Get().ToList();
            if (top.Count == 0) context.TimerService.RegisterEventTimeTimer(long.MaxValue);
            if (top.Count >= TopN && Compare(value, top[^1]) >= 0) return;
            top.Add(value);
            top.Sort(Compare);
            if (top.Count > TopN) top.RemoveRange(TopN, top.Count - TopN);
            _top.Update(top);
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<Q19Row> output)
        {
            var rank = 0L;
            foreach (var b in _top.Get())
                output.Collect(new Q19Row(b.Auction, b.Bidder, b.Price, b.Channel, b.Url, b.DateTime, b.Extra, ++rank));
            _top.Clear();
        }
    }
}
