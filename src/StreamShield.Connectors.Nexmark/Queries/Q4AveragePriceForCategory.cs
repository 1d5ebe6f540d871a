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
/// auction and bid forever, an auction's state is dropped once the watermark passes its <c>expires</c> (no later bid
/// can be within it), and a bid waiting for its auction once the watermark passes the bid's time (an auction arriving
/// after that starts after the bid): the same rows with bounded state.</para>
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

    private sealed class WinningBids : CoProcessFunction<OpenAuction, AuctionBid, Q4WinningBid>
    {
        private IValueState<OpenAuction?> _auction = null!;
        private IValueState<long> _max = null!;
        private IListState<AuctionBid> _pending = null!;

        public override void Open()
        {
            _auction = RuntimeContext.GetState(new ValueStateDescriptor<OpenAuction?>("auction"));
            _max = RuntimeContext.GetState(new ValueStateDescriptor<long>("max", long.MinValue));
            _pending = RuntimeContext.GetListState(new ListStateDescriptor<AuctionBid>("pending-bids"));
        }

        public override void ProcessElement1(OpenAuction value, Context context, ICollector<Q4WinningBid> output)
        {
            _auction.Update(value);
            foreach (var bid in _pending.Get()) Consider(value, bid, output);
            _pending.Clear();
            context.TimerService.RegisterEventTimeTimer(value.Expires);
        }

        public override void ProcessElement2(AuctionBid value, Context context, ICollector<Q4WinningBid> output)
        {
            if (_auction.Value is { } auction)
            {
                Consider(auction, value, output);
                return;
            }
            _pending.Add(value);
            context.TimerService.RegisterEventTimeTimer(value.DateTime);
        }

        public override void OnTimer(long timestamp, Context context, ICollector<Q4WinningBid> output)
        {
            if (_auction.Value is { } auction)
            {
                if (timestamp < auction.Expires) return;
                // Closed: every later bid is after expires.
                _auction.Clear();
                _max.Clear();
                return;
            }
            // Bids waiting for an auction that has not come: one arriving now would start after them.
            var waiting = _pending.Get().Where(b => b.DateTime > timestamp).ToList();
            if (waiting.Count == 0) _pending.Clear();
            else _pending.Update(waiting);
        }

        private void Consider(OpenAuction auction, AuctionBid bid, ICollector<Q4WinningBid> output)
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
