using System.Reactive.Linq;
using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;

namespace StreamShield.Cli.Bench;

// The Rx.NET versions of the stateful queries: event-time windows are groups (GroupByUntil) closed by the first later
// event, as the hand loops close them (the generator's default timestamps are in order); keyed state is a Scan per group.
internal static partial class Baselines
{
    /// <summary>Groups <paramref name="source"/> by window start, each group ending at the first item for which <paramref name="closes"/> holds.</summary>
    private static IObservable<IGroupedObservable<long, T>> EventTimeWindows<T>(IObservable<T> source, Func<T, long> start, Func<long, T, bool> closes) =>
        source.Publish(shared => shared.GroupByUntil(start, g => shared.Where(x => closes(g.Key, x))));

    private static IObservable<object> RxQ7(IObservable<Bid> bids) =>
        EventTimeWindows(
                // As the query routes them: each bid to its window, and a bid exactly at a window's end also to that one.
                bids.SelectMany(b =>
                {
                    var start = WindowStart(b.DateTime, WindowMs);
                    return start == b.DateTime ? [(Start: start, Member: true, Bid: b), (start - WindowMs, false, b)] : new[] { (Start: start, Member: true, Bid: b) };
                }),
                w => w.Start, (start, w) => w.Bid.DateTime > start + WindowMs)
            .SelectMany(window => window.Aggregate(new Q7Window(), (w, x) =>
            {
                if (!x.Member) w.AtEnd.Add(x.Bid);
                else if (x.Bid.Price > w.Max) { w.Max = x.Bid.Price; w.Highest.Clear(); w.Highest.Add(x.Bid); }
                else if (x.Bid.Price == w.Max) w.Highest.Add(x.Bid);
                return w;
            }))
            .SelectMany(w => w.Highest.Concat(w.AtEnd.Where(b => b.Price == w.Max)).Select(object (b) => BidRow.Of(b)));

    private static IObservable<object> RxQ5(IObservable<Bid> bids) =>
        EventTimeWindows(
                bids.SelectMany(b =>
                {
                    var latest = WindowStart(b.DateTime, SlideMs);
                    return Enumerable.Range(0, (int)(WindowMs / SlideMs)).Select(k => (Start: latest - WindowMs + SlideMs + k * SlideMs, Bid: b));
                }),
                x => x.Start, (start, x) => x.Bid.DateTime >= start + WindowMs)
            .SelectMany(window => window.Aggregate(new Dictionary<long, long>(), (counts, x) =>
            {
                counts[x.Bid.Auction] = counts.GetValueOrDefault(x.Bid.Auction) + 1;
                return counts;
            }))
            .SelectMany(counts =>
            {
                var max = counts.Values.Max();
                return counts.Where(c => c.Value == max).Select(object (c) => new Q5Row(c.Key, c.Value));
            });

    private static IObservable<object> RxQ8(IObservable<Event> events) =>
        EventTimeWindows(
                events.Where(e => e.Type is EventType.Person or EventType.Auction),
                e => WindowStart(TimeOf(e), WindowMs), (start, e) => TimeOf(e) >= start + WindowMs)
            .SelectMany(window => window.Aggregate(new Q8Window(), (w, e) =>
            {
                if (e.Type == EventType.Person) w.Persons.Add(e.NewPerson!);
                else w.Sellers.Add(e.NewAuction!.Seller);
                return w;
            }).SelectMany(w => w.Persons.Where(p => w.Sellers.Contains(p.Id)).Select(object (p) => new Q8Row(p.Id, p.Name, window.Key))));

    private static long TimeOf(Event e) => e.Type == EventType.Person ? e.NewPerson!.DateTime : e.NewAuction!.DateTime;

    private sealed class Q3Seller
    {
        public Person? Person;
        public List<Auction> Pending = [];
        public IReadOnlyList<Q3Row> Emitted = [];
    }

    private static IObservable<object> RxQ3(IObservable<Event> events) =>
        events.Where(e => e.Type == EventType.Person ? Q3State(e.NewPerson!.State) : e.Type == EventType.Auction && e.NewAuction!.Category == Q3LocalItemSuggestion.Category)
            .GroupBy(e => e.Type == EventType.Person ? e.NewPerson!.Id : e.NewAuction!.Seller)
            .SelectMany(seller => seller.Scan(new Q3Seller(), (s, e) =>
            {
                if (e.NewPerson is { } p && e.Type == EventType.Person)
                {
                    s.Person = p;
                    s.Emitted = s.Pending.Select(a => new Q3Row(p.Name, p.City, p.State, a.Id)).ToList();
                    s.Pending = [];
                }
                else if (s.Person is { } person) s.Emitted = [new Q3Row(person.Name, person.City, person.State, e.NewAuction!.Id)];
                else { s.Pending.Add(e.NewAuction!); s.Emitted = []; }
                return s;
            }).SelectMany(s => s.Emitted));

    /// <summary>One auction's side of an auction–bid join (q4, q9): bids before their auction wait in <see cref="Pending"/>.</summary>
    private abstract class AuctionBidding<TOut>
    {
        public Auction? Auction;
        public List<Bid> Pending = [];
        public IReadOnlyList<TOut> Emitted = [];

        /// <summary>What the query makes of <paramref name="b"/> once its auction is known.</summary>
        public abstract void Consider(Bid b, List<TOut> output);
    }

    /// <summary>Auctions and bids grouped by auction id, each group scanned with a <typeparamref name="TState"/>.</summary>
    private static IObservable<TOut> RxAuctionBids<TState, TOut>(IObservable<Event> events) where TState : AuctionBidding<TOut>, new() =>
        events.Where(e => e.Type is EventType.Auction or EventType.Bid)
            .GroupBy(e => e.Type == EventType.Auction ? e.NewAuction!.Id : e.Bid!.Auction)
            .SelectMany(auction => auction.Scan(new TState(), (s, e) =>
            {
                var output = new List<TOut>();
                if (e.Type == EventType.Auction)
                {
                    s.Auction = e.NewAuction;
                    foreach (var b in s.Pending) s.Consider(b, output);
                    s.Pending = [];
                }
                else if (s.Auction is not null) s.Consider(e.Bid!, output);
                else s.Pending.Add(e.Bid!);
                s.Emitted = output;
                return s;
            }).SelectMany(s => s.Emitted));

    private sealed class Q4Bidding : AuctionBidding<Q4WinningBid>
    {
        public long Max = long.MinValue;

        public override void Consider(Bid b, List<Q4WinningBid> output)
        {
            var a = Auction!;
            if (b.DateTime < a.DateTime || b.DateTime > a.Expires || b.Price <= Max) return;
            Max = b.Price;
            output.Add(new Q4WinningBid(a.Id, a.Category, b.Price));
        }
    }

    private static IObservable<object> RxQ4(IObservable<Event> events) =>
        RxAuctionBids<Q4Bidding, Q4WinningBid>(events)
            .GroupBy(w => w.Category)
            .SelectMany(category => category.Scan((Finals: new Dictionary<long, long>(), Sum: 0L, Count: 0L, Row: (Q4Row?)null), (c, w) =>
            {
                var (sum, count) = c.Finals.TryGetValue(w.Auction, out var old) ? (c.Sum - old + w.Final, c.Count) : (c.Sum + w.Final, c.Count + 1);
                c.Finals[w.Auction] = w.Final;
                return (c.Finals, sum, count, new Q4Row(w.Category, sum / count));
            }).Select(object (c) => c.Row!));
}
