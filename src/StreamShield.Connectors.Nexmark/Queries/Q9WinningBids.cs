using System.Text.Json.Nodes;
using StreamShield.Functions;
using StreamShield.State;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>
/// A q9 row: the auction's columns (<c>id, itemName, description, initialBid, reserve, dateTime, expires, seller,
/// category, extra</c>) and its winning bid's (<c>auction, bidder, price, bid_dateTime, bid_extra</c>).
/// </summary>
public sealed record Q9Row(
    long Id, string ItemName, string Description, long InitialBid, long Reserve, long DateTime, long Expires, long Seller,
    long Category, string Extra, long Auction, long Bidder, long Price, long BidDateTime, string BidExtra)
{
    /// <summary>The row of <paramref name="auction"/> won by <paramref name="bid"/>.</summary>
    public static Q9Row Of(Auction auction, Bid bid) => new(
        auction.Id, auction.ItemName, auction.Description, auction.InitialBid, auction.Reserve, auction.DateTime, auction.Expires,
        auction.Seller, auction.Category, auction.Extra, bid.Auction, bid.Bidder, bid.Price, bid.DateTime, bid.Extra);
}

/// <summary>
/// Query 9, winning bids: for each auction, its highest bid within [dateTime, expires] (on equal prices the earliest;
/// remaining ties broken by bidder, then extra, so the result is deterministic). An updating result keyed by the auction
/// id: a row whenever an auction's winning bid changes, the last row per id being the final one. Auctions and bids meet
/// keyed by auction id; bids arriving before their auction wait in keyed state.
/// <para>As in q4, the join's state is bounded (<see cref="AuctionBidJoin{TAuction, TBid, TOut}"/>): the same rows as
/// the reference's regular join.</para>
/// </summary>
public sealed class Q9WinningBids : NexmarkQuery<Q9Row>
{
    /// <inheritdoc />
    public override string Name => "q9";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } =
        ["id", "itemName", "description", "initialBid", "reserve", "dateTime", "expires", "seller", "category", "extra",
         "auction", "bidder", "price", "bid_dateTime", "bid_extra"];

    /// <inheritdoc />
    public override bool IsUpdating => true;

    /// <inheritdoc />
    public override DataStream<Q9Row> Build(DataStream<Event> events) =>
        Auctions(events).Connect(Bids(events)).KeyBy(a => a.Id, b => b.Auction).Process(new Winning(), "q9 winning bids");

    /// <inheritdoc />
    public override JsonObject ToJson(Q9Row row) => new()
    {
        ["id"] = row.Id,
        ["itemName"] = row.ItemName,
        ["description"] = row.Description,
        ["initialBid"] = row.InitialBid,
        ["reserve"] = row.Reserve,
        ["dateTime"] = row.DateTime,
        ["expires"] = row.Expires,
        ["seller"] = row.Seller,
        ["category"] = row.Category,
        ["extra"] = row.Extra,
        ["auction"] = row.Auction,
        ["bidder"] = row.Bidder,
        ["price"] = row.Price,
        ["bid_dateTime"] = row.BidDateTime,
        ["bid_extra"] = row.BidExtra,
    };

    /// <summary>Whether <paramref name="candidate"/> beats <paramref name="current"/>: higher price, then earlier, then lower bidder, then extra.</summary>
    public static bool Beats(Bid candidate, Bid current)
    {
        if (candidate.Price != current.Price) return candidate.Price > current.Price;
        if (candidate.DateTime != current.DateTime) return candidate.DateTime < current.DateTime;
        if (candidate.Bidder != current.Bidder) return candidate.Bidder < current.Bidder;
        return string.CompareOrdinal(candidate.Extra, current.Extra) < 0;
    }

    private sealed class Winning : AuctionBidJoin<Auction, Bid, Q9Row>
    {
        private IValueState<Bid?> _best = null!;

        public override void Open()
        {
            base.Open();
            _best = RuntimeContext.GetState(new ValueStateDescriptor<Bid?>("best"));
        }

        protected override long ExpiresOf(Auction auction) => auction.Expires;

        protected override long TimeOf(Bid bid) => bid.DateTime;

        protected override void Closed() => _best.Clear();

        protected override void Consider(Auction auction, Bid bid, ICollector<Q9Row> output)
        {
            if (bid.DateTime < auction.DateTime || bid.DateTime > auction.Expires) return;
            if (_best.Value is { } best && !Beats(bid, best)) return;
            _best.Update(bid);
            output.Collect(Q9Row.Of(auction, bid));
        }
    }
}
