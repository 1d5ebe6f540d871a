using System.Reactive.Linq;
using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;

namespace StreamShield.Cli.Bench;

// More Rx.NET versions (q9, q11, q12, q15 to q20), in the style of Baselines.Rx.cs.
internal static partial class Baselines
{
    private sealed class Q9Bidding : AuctionBidding<Q9Row>
    {
        public Bid? Best;

        public override void Consider(Bid b, List<Q9Row> output)
        {
            var a = Auction!;
            if (b.DateTime < a.DateTime || b.DateTime > a.Expires) return;
            if (Best is { } best && !Q9WinningBids.Beats(b, best)) return;
            Best = b;
            output.Add(Q9Row.Of(a, b));
        }
    }

    private static IObservable<object> RxQ9(IObservable<Event> events) => RxAuctionBids<Q9Bidding, Q9Row>(events);

    // Rx has no session window: per bidder, a Scan starts a new session when a bid comes more than a gap after the
    // last, emitting the one it ends; the bidder's last session is emitted when the input ends.
    private static IObservable<object> RxQ11(IObservable<Bid> bids) =>
        bids.GroupBy(b => b.Bidder)
            .SelectMany(bidder => bidder
                .Scan((Start: 0L, Last: 0L, Count: 0L, Ended: (BidderCountRow?)null), (s, b) =>
                    s.Count > 0 && b.DateTime <= s.Last + SessionGapMs
                        ? (s.Start, b.DateTime, s.Count + 1, null)
                        : (b.DateTime, b.DateTime, 1, s.Count > 0 ? new BidderCountRow(bidder.Key, s.Count, s.Start, s.Last + SessionGapMs) : null))
                .Publish(sessions => sessions.Where(s => s.Ended is not null).Select(s => s.Ended!)
                    .Merge(sessions.TakeLast(1).Select(s => new BidderCountRow(bidder.Key, s.Count, s.Start, s.Last + SessionGapMs)))));

    private static IObservable<object> RxQ12(IObservable<Bid> bids) =>
        EventTimeWindows(bids, b => WindowStart(b.DateTime, WindowMs), (start, b) => b.DateTime >= start + WindowMs)
            .SelectMany(window => window.GroupBy(b => b.Bidder)
                .SelectMany(bidder => bidder.LongCount().Select(object (count) => new BidderCountRow(bidder.Key, count, window.Key, window.Key + WindowMs))));

    private static IObservable<IGroupedObservable<long, Bid>> Days(IObservable<Bid> bids) =>
        EventTimeWindows(bids, b => BidStatistics.DayStart(b.DateTime), (day, b) => b.DateTime >= day + BidStatistics.DayMs);

    private static IObservable<object> RxQ15(IObservable<Bid> bids) =>
        Days(bids).SelectMany(day => day.Aggregate(new TierStats(), (stats, b) => stats.Add(b))
            .Select(object (stats) => new Q15Row(BidStatistics.Day(day.Key), stats.Counts())));

    private static IObservable<object> RxQ16(IObservable<Bid> bids) =>
        Days(bids).SelectMany(day => day.GroupBy(b => b.Channel)
            .SelectMany(channel => channel.Aggregate((Stats: new TierStats(), Latest: long.MinValue), (c, b) => (c.Stats.Add(b), Math.Max(c.Latest, b.DateTime)))
                .Select(object (c) => new Q16Row(channel.Key, BidStatistics.Day(day.Key), BidStatistics.Minute(c.Latest), c.Stats.Counts()))));

    private static IObservable<object> RxQ17(IObservable<Bid> bids) =>
        Days(bids).SelectMany(day => day.GroupBy(b => b.Auction)
            .SelectMany(auction => auction.Aggregate(new Q17Auction(), (a, b) => a.Add(b)).Select(object (a) => a.Row(auction.Key, day.Key))));

    private static IObservable<object> RxQ18(IObservable<Bid> bids) =>
        bids.GroupBy(b => (b.Bidder, b.Auction))
            .SelectMany(pair => pair.Aggregate((kept, b) => Q18FindLastBid.IsLater(b, kept) ? b : kept))
            .Select(Q18Row.Of);

    private static IObservable<object> RxQ19(IObservable<Bid> bids) =>
        bids.GroupBy(b => b.Auction)
            .SelectMany(auction => auction.Aggregate(new List<Bid>(Q19AuctionTopPrices.TopN), AddToTop))
            .SelectMany(Ranked);

    private sealed class Q20Joining
    {
        public Auction? Auction;
        public bool Seen;
        public List<Bid> Pending = [];
        public IReadOnlyList<Q20Row> Emitted = [];
    }

    private static IObservable<object> RxQ20(IObservable<Event> events) =>
        events.Where(e => e.Type is EventType.Auction or EventType.Bid)
            .GroupBy(e => e.Type == EventType.Auction ? e.NewAuction!.Id : e.Bid!.Auction)
            .SelectMany(auction => auction.Scan(new Q20Joining(), (s, e) =>
            {
                if (e.Type == EventType.Auction)
                {
                    var a = e.NewAuction!;
                    s.Seen = true;
                    s.Auction = a.Category == Q20ExpandBidWithAuction.Category ? a : null;
                    s.Emitted = s.Auction is null ? [] : s.Pending.Select(b => Q20Row.Of(b, a)).ToList();
                    s.Pending = [];
                }
                else if (s.Auction is { } a) s.Emitted = [Q20Row.Of(e.Bid!, a)];
                else
                {
                    if (!s.Seen) s.Pending.Add(e.Bid!);
                    s.Emitted = [];
                }
                return s;
            }).SelectMany(s => s.Emitted));
}
