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
        Auctions(events).Connect(Bids(events)).KeyBy(a => a.Id, b => b.Auction).Process(new WinningBids(), "q4 winning bids")
            .KeyBy(w => w.Category).Process(new CategoryAverage(), "q4 average");

    /// <inheritdoc />
    public override JsonObject ToJson(Q4Row row) => new() { ["id"] = row.Id, ["final"] = row.Final };

    private sealed class WinningBids : CoProcessFunction<Auction, Bid, Q4WinningBid>
    {
        private IValueState<Auction?> _auction = null!;
        private IValueState<long> _max = null!;
        private IListState<Bid> _pending = null!;

        public override void Open()
        {
            _auction = RuntimeContext.GetState(new ValueStateDescriptor<Auction?>("auction"));
            _max = RuntimeContext.GetState(new ValueStateDescriptor<long>("max", long.MinValue));
            _pending = RuntimeContext.GetListState(new ListStateDescriptor<Bid>("pending-bids"));
        }

        public override void ProcessElement1(Auction value, Context context, ICollector<Q4WinningBid> output)
        {
            _auction.Update(value);
            foreach (var bid in _pending.Get()) Consider(value, bid, output);
            _pending.Clear();
        }

        public override void ProcessElement2(Bid value, Context context, ICollector<Q4WinningBid> output)
        {
            if (_auction.Value is { } auction) Consider(auction, value, output);
            else _pending.Add(value);
        }

        private void Consider(Auction auction, Bid bid, ICollector<Q4WinningBid> output)
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
