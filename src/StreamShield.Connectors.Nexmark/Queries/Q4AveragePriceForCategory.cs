using System.Text.Json.Nodes;
using StreamShield.Functions;
using StreamShield.State;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>A q4 row: <c>id</c> (the category) and <c>final</c> (the average winning price, truncated like SQL's AVG of BIGINT).</summary>
public sealed record Q4Row(long Id, long Final);

/// <summary>The current winning price of one auction (an update of q4's inner query).</summary>
public sealed record Q4WinningBid(long Auction, long Category, long Final);

/// <summary>
/// Query 4, average price for a category: the winning (highest) bid of each auction among its bids within
/// [dateTime, expires], then the average of those per category. An updating result: a row per change, the last row
/// per category being the current value. Auctions and bids meet keyed by auction id (bids before their auction wait
/// in keyed state); the per-category average keeps each auction's winning price in keyed map state.
/// <para>Only the columns the join reads cross the shuffle. Unlike the reference's regular join, which keeps every
/// auction and bid forever, the join's state is bounded (<see cref="AuctionBidJoin{TAuction, TBid, TOut}"/>): the same rows.</para>
/// </summary>
public sealed class Q4AveragePriceForCategory : NexmarkQuery<Q4Row>
{
    /// <inheritdoc />
    public override string Name => "q4";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } = ["id", "final"];

    /// <inheritdoc />
    public override bool IsUpdating => true;

    /// <inheritdoc />
    public override DataStream<Q4Row> Build(DataStream<Event> events) =>
        Auctions(events).Map(a => new OpenAuction(a.Id, a.Category, a.DateTime, a.Expires), "q4 auction")
            .Connect(Bids(events).Map(b => new AuctionBid(b.Auction, b.Price, b.DateTime), "q4 bid"))
            .KeyBy(a => a.Id, b => b.Auction).Process(new WinningBids(), "q4 winning bids")
            .KeyBy(w => w.Category).Process(new CategoryAverage(), "q4 average");

    /// <inheritdoc />
    public override JsonObject ToJson(Q4Row row) => new() { ["id"] = row.Id, ["final"] = row.Final };

    /// <summary>What q4 reads of an auction.</summary>
    internal sealed record OpenAuction(long Id, long Category, long DateTime, long Expires);

    /// <summary>What q4 reads of a bid.</summary>
    internal sealed record AuctionBid(long Auction, long Price, long DateTime);

    private sealed class WinningBids : AuctionBidJoin<OpenAuction, AuctionBid, Q4WinningBid>
    {
        private IValueState<long> _max = null!;

        public override void Open()
        {
            base.Open();
            _max = RuntimeContext.GetState(new ValueStateDescriptor<long>("max", long.MinValue));
        }

        protected override long ExpiresOf(OpenAuction auction) => auction.Expires;

        protected override long TimeOf(AuctionBid bid) => bid.DateTime;

        protected override void Closed() => _max.Clear();

        protected override void Consider(OpenAuction auction, AuctionBid bid, ICollector<Q4WinningBid> output)
        {
            if (bid.DateTime < auction.DateTime || bid.DateTime > auction.Expires || bid.Price <= _max.Value) return;
            _max.Update(bid.Price);
            output.Collect(new Q4WinningBid(auction.Id, auction.Category, bid.Price));
        }
    }

    private sealed class CategoryAverage : KeyedProcessFunction<long, Q4WinningBid, Q4Row>
    {
        private IMapState<long, long> _finals = null!;
        private IValueState<long> _sum = null!;
        private IValueState<long> _count = null!;

        public override void Open()
        {
            _finals = RuntimeContext.GetMapState(new MapStateDescriptor<long, long>("finals"));
            _sum = RuntimeContext.GetState(new ValueStateDescriptor<long>("sum"));
            _count = RuntimeContext.GetState(new ValueStateDescriptor<long>("count"));
        }

        public override void ProcessElement(Q4WinningBid value, Context context, ICollector<Q4Row> output)
        {
            if (_finals.TryGetValue(value.Auction, out var old))
            {
                if (value.Final <= old) return;
                _sum.Update(_sum.Value - old + value.Final);
            }
            else
            {
                _sum.Update(_sum.Value + value.Final);
                _count.Update(_count.Value + 1);
            }
            _finals.Put(value.Auction, value.Final);
            output.Collect(new Q4Row(value.Category, _sum.Value / _count.Value));
        }
    }
}
