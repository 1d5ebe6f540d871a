using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;

namespace StreamShield.Tests.Connectors.Nexmark.Queries;

/// <summary>
/// The reference SQL of each query computed plainly with LINQ over a finite list of events (the whole input at once),
/// independent of the DataStream implementations.
/// </summary>
internal static class NexmarkReference
{
    private static IEnumerable<Bid> Bids(IEnumerable<Event> events) => events.Where(e => e.Type == EventType.Bid).Select(e => e.Bid!);
    private static IEnumerable<Auction> Auctions(IEnumerable<Event> events) => events.Where(e => e.Type == EventType.Auction).Select(e => e.NewAuction!);
    private static IEnumerable<Person> Persons(IEnumerable<Event> events) => events.Where(e => e.Type == EventType.Person).Select(e => e.NewPerson!);

    private static long WindowStart(long time, long size) => time - (time % size + size) % size;

    public static IEnumerable<BidRow> Q0(IReadOnlyList<Event> events) =>
        Bids(events).Select(b => new BidRow(b.Auction, b.Bidder, b.Price, b.DateTime, b.Extra));

    public static IEnumerable<Q1Row> Q1(IReadOnlyList<Event> events) =>
        from b in Bids(events) select new Q1Row(b.Auction, b.Bidder, b.Price * 908 / 1000m, b.DateTime, b.Extra);

    public static IEnumerable<Q2Row> Q2(IReadOnlyList<Event> events) =>
        from b in Bids(events) where b.Auction % 123 == 0 select new Q2Row(b.Auction, b.Price);

    public static IEnumerable<Q3Row> Q3(IReadOnlyList<Event> events)
    {
        string[] states = ["OR", "ID", "CA"];
        return from a in Auctions(events)
               join p in Persons(events) on a.Seller equals p.Id
               where a.Category == 10 && states.Contains(p.State)
               select new Q3Row(p.Name, p.City, p.State, a.Id);
    }

    /// <summary>The final table of q4 (the result once the input has ended).</summary>
    public static IEnumerable<Q4Row> Q4(IReadOnlyList<Event> events)
    {
        var winning =
            from a in Auctions(events)
            join b in Bids(events) on a.Id equals b.Auction
            where b.DateTime >= a.DateTime && b.DateTime <= a.Expires
            group b.Price by (a.Id, a.Category) into g
            select (g.Key.Category, Final: g.Max());
        // AVG of a BIGINT column is a BIGINT: the integer quotient.
        return winning.GroupBy(w => w.Category).Select(g => new Q4Row(g.Key, g.Sum(w => w.Final) / g.Count()));
    }

    public static IEnumerable<Q5Row> Q5(IReadOnlyList<Event> events)
    {
        const long size = 10_000, slide = 2_000;
        var counts = Bids(events)
            .SelectMany(b => Enumerable.Range(0, (int)(size / slide)).Select(k => (Start: WindowStart(b.DateTime, slide) - k * slide, b.Auction)))
            .GroupBy(x => x)
            .Select(g => (g.Key.Start, g.Key.Auction, Num: (long)g.Count()))
            .ToList();
        var maxPerWindow = counts.GroupBy(c => c.Start).ToDictionary(g => g.Key, g => g.Max(c => c.Num));
        return counts.Where(c => c.Num >= maxPerWindow[c.Start]).Select(c => new Q5Row(c.Auction, c.Num));
    }

    public static IEnumerable<BidRow> Q7(IReadOnlyList<Event> events)
    {
        const long size = 10_000;
        var bids = Bids(events).ToList();
        var windows = bids.GroupBy(b => WindowStart(b.DateTime, size)).Select(g => (End: g.Key + size, MaxPrice: g.Max(b => b.Price))).ToList();
        // The reference's join: dateTime BETWEEN window_end - 10 s AND window_end, both ends inclusive.
        return from w in windows
               from b in bids
               where b.Price == w.MaxPrice && b.DateTime >= w.End - size && b.DateTime <= w.End
               select new BidRow(b.Auction, b.Bidder, b.Price, b.DateTime, b.Extra);
    }

    public static IEnumerable<Q8Row> Q8(IReadOnlyList<Event> events)
    {
        const long size = 10_000;
        var sellers = Auctions(events).Select(a => (a.Seller, Start: WindowStart(a.DateTime, size))).Distinct();
        var persons = Persons(events).Select(p => (p.Id, p.Name, Start: WindowStart(p.DateTime, size))).Distinct();
        return from p in persons
               join s in sellers on (p.Id, p.Start) equals (Id: s.Seller, s.Start)
               select new Q8Row(p.Id, p.Name, p.Start);
    }
}
