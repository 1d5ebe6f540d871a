using StreamShield.Functions;
using StreamShield.State;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>
/// The join of auctions and their bids within <c>[dateTime, expires]</c> that q4 and q9 share, keyed by auction id:
/// a bid before its auction waits in keyed state, and the query decides what a bid within the auction makes
/// (<see cref="Consider"/>). State is bounded: an auction's is dropped once the watermark passes its <c>expires</c>
/// (every later bid is after it), a waiting bid's once the watermark passes the bid's time (an auction arriving after
/// that starts after the bid); neither could change a row.
/// </summary>
internal abstract class AuctionBidJoin<TAuction, TBid, TOut> : CoProcessFunction<TAuction, TBid, TOut> where TAuction : class
{
    private IValueState<TAuction?> _auction = null!;
    private IListState<TBid> _pending = null!;

    /// <summary>The auction's <c>expires</c>.</summary>
    protected abstract long ExpiresOf(TAuction auction);

    /// <summary>The bid's <c>dateTime</c>.</summary>
    protected abstract long TimeOf(TBid bid);

    /// <summary>A bid of <paramref name="auction"/>, in whatever order they arrive.</summary>
    protected abstract void Consider(TAuction auction, TBid bid, ICollector<TOut> output);

    /// <summary>The auction has closed: drop the query's own state of it.</summary>
    protected abstract void Closed();

    public override void Open()
    {
        _auction = RuntimeContext.GetState(new ValueStateDescriptor<TAuction?>("auction"));
        _pending = RuntimeContext.GetListState(new ListStateDescriptor<TBid>("pending-bids"));
    }

    public override void ProcessElement1(TAuction value, Context context, ICollector<TOut> output)
    {
        _auction.Update(value);
        foreach (var bid in _pending.Get()) Consider(value, bid, output);
        _pending.Clear();
        context.TimerService.RegisterEventTimeTimer(ExpiresOf(value));
    }

    public override void ProcessElement2(TBid value, Context context, ICollector<TOut> output)
    {
        if (_auction.Value is { } auction)
        {
            Consider(auction, value, output);
            return;
        }
        _pending.Add(value);
        context.TimerService.RegisterEventTimeTimer(TimeOf(value));
    }

    public override void OnTimer(long timestamp, Context context, ICollector<TOut> output)
    {
        if (_auction.Value is { } auction)
        {
            if (timestamp < ExpiresOf(auction)) return;
            _auction.Clear();
            Closed();
            return;
        }
        var waiting = _pending.Get().Where(b => TimeOf(b) > timestamp).ToList();
        if (waiting.Count == 0) _pending.Clear();
        else _pending.Update(waiting);
    }
}
