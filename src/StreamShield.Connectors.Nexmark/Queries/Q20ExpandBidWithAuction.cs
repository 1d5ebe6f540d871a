using System.Text.Json.Nodes;
using StreamShield.Functions;
using StreamShield.State;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>A q20 row: a bid's columns followed by its auction's.</summary>
public sealed record Q20Row(
    long Auction, long Bidder, long Price, string Channel, string Url, long BidDateTime, string BidExtra,
    string ItemName, string Description, long InitialBid, long Reserve, long AuctionDateTime, long Expires,
    long Seller, long Category, string AuctionExtra)
{
    /// <summary>The row of <paramref name="bid"/> joined with <paramref name="auction"/>.</summary>
    public static Q20Row Of(Bid bid, Auction auction) => new(
        bid.Auction, bid.Bidder, bid.Price, bid.Channel, bid.Url, bid.DateTime, bid.Extra,
        auction.ItemName, auction.Description, auction.InitialBid, auction.Reserve, auction.DateTime, auction.Expires,
        auction.Seller, auction.Category, auction.Extra);
}

/// <summary>
/// Query 20, expand bid with auction: every bid joined with its auction, for the auctions of category 10. As in the
/// reference SQL (<c>bid INNER JOIN auction ON B.auction = A.id WHERE A.category = 10</c>) this is a regular join with
/// no time condition. Auctions and bids meet keyed by auction id; bids before their auction wait in keyed state.
/// </summary>
public sealed class Q20ExpandBidWithAuction : NexmarkQuery<Q20Row>
{
    /// <summary>The category the query selects.</summary>
    public const long Category = 10;

    /// <inheritdoc />
    public override string Name => "q20";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } =
    [
        "auction", "bidder", "price", "channel", "url", "bid_dateTime", "bid_extra",
        "itemName", "description", "initialBid", "reserve", "auction_dateTime", "expires", "seller", "category", "auction_extra",
    ];

    /// <inheritdoc />
    public override DataStream<Q20Row> Build(DataStream<Event> events) =>
        // Every auction reaches the join, so a bid on another category's auction is dropped instead of waiting forever;
        // those auctions cross the shuffle without their strings.
        Auctions(events).Map(a => a.Category == Category ? a : a with { ItemName = "", Description = "", Extra = "" }, "q20 auctions")
            .Connect(Bids(events)).KeyBy(a => a.Id, b => b.Auction).Process(new AuctionJoin(), "q20 join");

    /// <inheritdoc />
    public override JsonObject ToJson(Q20Row row) => new()
    {
        ["auction"] = row.Auction,
        ["bidder"] = row.Bidder,
        ["price"] = row.Price,
        ["channel"] = row.Channel,
        ["url"] = row.Url,
        ["bid_dateTime"] = row.BidDateTime,
        ["bid_extra"] = row.BidExtra,
        ["itemName"] = row.ItemName,
        ["description"] = row.Description,
        ["initialBid"] = row.InitialBid,
        ["reserve"] = row.Reserve,
        ["auction_dateTime"] = row.AuctionDateTime,
        ["expires"] = row.Expires,
        ["seller"] = row.Seller,
        ["category"] = row.Category,
        ["auction_extra"] = row.AuctionExtra,
    };

    private sealed class AuctionJoin : CoProcessFunction<Auction, Bid, Q20Row>
    {
        private IValueState<Auction?> _auction = null!;
        private IValueState<bool> _otherCategory = null!;
        private IListState<Bid> _pending = null!;

        public override void Open()
        {
            _auction = RuntimeContext.GetState(new ValueStateDescriptor<Auction?>("auction"));
            _otherCategory = RuntimeContext.GetState(new ValueStateDescriptor<bool>("other-category"));
            _pending = RuntimeContext.GetListState(new ListStateDescriptor<Bid>("pending-bids"));
        }

        public override void ProcessElement1(Auction value, Context context, ICollector<Q20Row> output)
        {
            if (value.Category != Category)
            {
                // Its bids never match: remember only that (as a hand-written join remembers the ids it saw).
                _otherCategory.Update(true);
                _pending.Clear();
                return;
            }
            _auction.Update(value);
            foreach (var bid in _pending.Get()) output.Collect(Q20Row.Of(bid, value));
            _pending.Clear();
        }

        public override void ProcessElement2(Bid value, Context context, ICollector<Q20Row> output)
        {
            if (_auction.Value is { } auction) output.Collect(Q20Row.Of(value, auction));
            else if (!_otherCategory.Value) _pending.Add(value);
        }
    }
}
