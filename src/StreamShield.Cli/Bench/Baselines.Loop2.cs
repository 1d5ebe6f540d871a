using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;

namespace StreamShield.Cli.Bench;

// More hand loops (q9, q11, q12, q15 to q20), in the style of Baselines.Loop.cs: plain collections, in-order event times.
internal static partial class Baselines
{
    private sealed class Q9Auction
    {
        public Auction? Auction;
        public Bid? Best;
        public List<Bid>? Pending;
    }

    private static long LoopQ9(NexmarkGenerator generator, long end)
    {
        long rows = 0;
        object? last = null;
        var auctions = new Dictionary<long, Q9Auction>();
        // An auction takes no bid after it expires: its state is dropped then, and its id kept so that its late bids
        // are ignored rather than left waiting for it.
        var expiries = new PriorityQueue<long, long>();
        var closed = new HashSet<long>();
        void Consider(Q9Auction s, Bid b)
        {
            var a = s.Auction!;
            if (b.DateTime < a.DateTime || b.DateTime > a.Expires) return;
            if (s.Best is { } best && !Q9WinningBids.Beats(b, best)) return;
            s.Best = b;
            last = Q9Row.Of(a, b);
            rows++;
        }
        Q9Auction StateOf(long id)
        {
            if (!auctions.TryGetValue(id, out var s)) auctions.Add(id, s = new Q9Auction());
            return s;
        }
        void Expire(long time)
        {
            while (expiries.TryPeek(out var id, out var expires) && expires < time)
            {
                expiries.Dequeue();
                auctions.Remove(id);
                closed.Add(id);
            }
        }
        for (long n = 0; n < end; n++)
        {
            var e = generator.Generate(n);
            if (e.Type == EventType.Auction && e.NewAuction is { } a)
            {
                Expire(a.DateTime);
                var s = StateOf(a.Id);
                s.Auction = a;
                expiries.Enqueue(a.Id, a.Expires);
                if (s.Pending is { } pending) { s.Pending = null; foreach (var b in pending) Consider(s, b); }
            }
            else if (e.Type == EventType.Bid && e.Bid is { } b)
            {
                Expire(b.DateTime);
                if (closed.Contains(b.Auction)) continue;
                var s = StateOf(b.Auction);
                if (s.Auction is not null) Consider(s, b);
                else (s.Pending ??= []).Add(b);
            }
        }
        GC.KeepAlive(last);
        return rows;
    }

    private static readonly long SessionGapMs = (long)Q11UserSessions.Gap.TotalMilliseconds;

    private sealed class Q11Session
    {
        public long Start, Last, Count;
    }

    private static long LoopQ11(NexmarkGenerator generator, long end)
    {
        long rows = 0;
        object? last = null;
        var sessions = new Dictionary<long, Q11Session>();
        var ended = new List<long>();
        long nextSweep = long.MinValue;
        void Emit(long bidder, Q11Session s) { last = new BidderCountRow(bidder, s.Count, s.Start, s.Last + SessionGapMs); rows++; }
        for (long n = 0; n < end; n++)
        {
            if (generator.Generate(n) is not { Type: EventType.Bid, Bid: { } b }) continue;
            var t = b.DateTime;
            // Once a gap has passed, emit and drop the sessions that can take no more bids.
            if (t >= nextSweep)
            {
                foreach (var (bidder, s) in sessions) if (t > s.Last + SessionGapMs) { Emit(bidder, s); ended.Add(bidder); }
                foreach (var bidder in ended) sessions.Remove(bidder);
                ended.Clear();
                nextSweep = t + SessionGapMs;
            }
            if (sessions.TryGetValue(b.Bidder, out var session))
            {
                // A bid exactly a gap after the last one still joins the session.
                if (t <= session.Last + SessionGapMs) { session.Last = t; session.Count++; continue; }
                Emit(b.Bidder, session);
                session.Start = session.Last = t;
                session.Count = 1;
            }
            else sessions.Add(b.Bidder, new Q11Session { Start = t, Last = t, Count = 1 });
        }
        foreach (var (bidder, s) in sessions) Emit(bidder, s);
        GC.KeepAlive(last);
        return rows;
    }

    private static long LoopQ12(NexmarkGenerator generator, long end)
    {
        long rows = 0;
        object? last = null;
        var windows = new OpenWindows<Dictionary<long, long>>(() => []);
        void Emit(long start, Dictionary<long, long> counts)
        {
            foreach (var (bidder, count) in counts) { last = new BidderCountRow(bidder, count, start, start + WindowMs); rows++; }
        }
        for (long n = 0; n < end; n++)
        {
            if (generator.Generate(n) is not { Type: EventType.Bid, Bid: { } b }) continue;
            var t = b.DateTime;
            windows.Close(s => t >= s + WindowMs, Emit);
            var counts = windows.Get(WindowStart(t, WindowMs));
            counts[b.Bidder] = counts.GetValueOrDefault(b.Bidder) + 1;
        }
        windows.Close(_ => true, Emit);
        GC.KeepAlive(last);
        return rows;
    }

    /// <summary>Bid counts and distinct bidders and auctions, in all and per price tier (q15, q16): a tier bit mask per bidder and auction.</summary>
    private sealed class TierStats
    {
        private readonly long[] _bids = new long[4];
        private readonly Dictionary<long, int> _bidders = [];
        private readonly Dictionary<long, int> _auctions = [];

        public TierStats Add(Bid b)
        {
            var tier = BidStatistics.Tier(b.Price);
            var mask = 1 | (1 << tier);
            _bids[0]++;
            _bids[tier]++;
            _bidders[b.Bidder] = _bidders.GetValueOrDefault(b.Bidder) | mask;
            _auctions[b.Auction] = _auctions.GetValueOrDefault(b.Auction) | mask;
            return this;
        }

        public TierCounts Counts()
        {
            var bidders = Distinct(_bidders);
            var auctions = Distinct(_auctions);
            return new TierCounts(_bids[0], _bids[1], _bids[2], _bids[3], bidders[0], bidders[1], bidders[2], bidders[3],
                auctions[0], auctions[1], auctions[2], auctions[3]);
        }

        private static long[] Distinct(Dictionary<long, int> masks)
        {
            var counts = new long[4];
            foreach (var mask in masks.Values)
                for (var i = 0; i < 4; i++) if ((mask & (1 << i)) != 0) counts[i]++;
            return counts;
        }
    }

    private static long LoopQ15(NexmarkGenerator generator, long end)
    {
        long rows = 0;
        object? last = null;
        var days = new OpenWindows<TierStats>(() => new TierStats());
        void Emit(long day, TierStats stats) { last = new Q15Row(BidStatistics.Day(day), stats.Counts()); rows++; }
        for (long n = 0; n < end; n++)
        {
            if (generator.Generate(n) is not { Type: EventType.Bid, Bid: { } b }) continue;
            days.Close(s => b.DateTime >= s + BidStatistics.DayMs, Emit);
            days.Get(BidStatistics.DayStart(b.DateTime)).Add(b);
        }
        days.Close(_ => true, Emit);
        GC.KeepAlive(last);
        return rows;
    }

    private sealed class Q16Channel
    {
        public readonly TierStats Stats = new();
        public long Latest = long.MinValue;
    }

    private static long LoopQ16(NexmarkGenerator generator, long end)
    {
        long rows = 0;
        object? last = null;
        var days = new OpenWindows<Dictionary<string, Q16Channel>>(() => []);
        void Emit(long day, Dictionary<string, Q16Channel> channels)
        {
            foreach (var (channel, c) in channels)
            { last = new Q16Row(channel, BidStatistics.Day(day), BidStatistics.Minute(c.Latest), c.Stats.Counts()); rows++; }
        }
        for (long n = 0; n < end; n++)
        {
            if (generator.Generate(n) is not { Type: EventType.Bid, Bid: { } b }) continue;
            days.Close(s => b.DateTime >= s + BidStatistics.DayMs, Emit);
            var channels = days.Get(BidStatistics.DayStart(b.DateTime));
            if (!channels.TryGetValue(b.Channel, out var c)) channels.Add(b.Channel, c = new Q16Channel());
            c.Stats.Add(b);
            c.Latest = Math.Max(c.Latest, b.DateTime);
        }
        days.Close(_ => true, Emit);
        GC.KeepAlive(last);
        return rows;
    }

    private sealed class Q17Auction
    {
        public long Total, Rank1, Rank2, Rank3, Min = long.MaxValue, Max = long.MinValue, Sum;

        public Q17Auction Add(Bid b)
        {
            var tier = BidStatistics.Tier(b.Price);
            Total++;
            if (tier == 1) Rank1++;
            else if (tier == 2) Rank2++;
            else Rank3++;
            Min = Math.Min(Min, b.Price);
            Max = Math.Max(Max, b.Price);
            Sum += b.Price;
            return this;
        }

        public Q17Row Row(long auction, long day) =>
            new(auction, BidStatistics.Day(day), Total, Rank1, Rank2, Rank3, Min, Max, Sum / Total, Sum);
    }

    private static long LoopQ17(NexmarkGenerator generator, long end)
    {
        long rows = 0;
        object? last = null;
        var days = new OpenWindows<Dictionary<long, Q17Auction>>(() => []);
        void Emit(long day, Dictionary<long, Q17Auction> auctions)
        {
            foreach (var (auction, a) in auctions) { last = a.Row(auction, day); rows++; }
        }
        for (long n = 0; n < end; n++)
        {
            if (generator.Generate(n) is not { Type: EventType.Bid, Bid: { } b }) continue;
            days.Close(s => b.DateTime >= s + BidStatistics.DayMs, Emit);
            var auctions = days.Get(BidStatistics.DayStart(b.DateTime));
            if (!auctions.TryGetValue(b.Auction, out var a)) auctions.Add(b.Auction, a = new Q17Auction());
            a.Add(b);
        }
        days.Close(_ => true, Emit);
        GC.KeepAlive(last);
        return rows;
    }

    private static long LoopQ18(NexmarkGenerator generator, long end)
    {
        long rows = 0;
        object? last = null;
        var lastBids = new Dictionary<(long Bidder, long Auction), Bid>();
        for (long n = 0; n < end; n++)
        {
            if (generator.Generate(n) is not { Type: EventType.Bid, Bid: { } b }) continue;
            var key = (b.Bidder, b.Auction);
            if (!lastBids.TryGetValue(key, out var kept) || Q18FindLastBid.IsLater(b, kept)) lastBids[key] = b;
        }
        foreach (var b in lastBids.Values) { last = Q18Row.Of(b); rows++; }
        GC.KeepAlive(last);
        return rows;
    }

    /// <summary>Adds <paramref name="b"/> to an auction's top bids (sorted by <see cref="Q19AuctionTopPrices.Compare"/>), keeping at most TopN.</summary>
    private static List<Bid> AddToTop(List<Bid> top, Bid b)
    {
        if (top.Count >= Q19AuctionTopPrices.TopN && Q19AuctionTopPrices.Compare(b, top[^1]) >= 0) return top;
        var at = top.BinarySearch(b, Comparer<Bid>.Create(Q19AuctionTopPrices.Compare));
        top.Insert(at < 0 ? ~at : at, b);
        if (top.Count > Q19AuctionTopPrices.TopN) top.RemoveAt(top.Count - 1);
        return top;
    }

    private static IEnumerable<Q19Row> Ranked(List<Bid> top) =>
        top.Select((b, i) => new Q19Row(b.Auction, b.Bidder, b.Price, b.Channel, b.Url, b.DateTime, b.Extra, i + 1));

    private static long LoopQ19(NexmarkGenerator generator, long end)
    {
        long rows = 0;
        object? last = null;
        var tops = new Dictionary<long, List<Bid>>();
        for (long n = 0; n < end; n++)
        {
            if (generator.Generate(n) is not { Type: EventType.Bid, Bid: { } b }) continue;
            if (!tops.TryGetValue(b.Auction, out var top)) tops.Add(b.Auction, top = new List<Bid>(Q19AuctionTopPrices.TopN));
            AddToTop(top, b);
        }
        foreach (var top in tops.Values)
            foreach (var row in Ranked(top)) { last = row; rows++; }
        GC.KeepAlive(last);
        return rows;
    }

    private static long LoopQ20(NexmarkGenerator generator, long end)
    {
        long rows = 0;
        object? last = null;
        // Every auction seen: its row if of the category, else null (its bids are dropped); bids wait for an unseen auction.
        var auctions = new Dictionary<long, Auction?>();
        var pending = new Dictionary<long, List<Bid>>();
        for (long n = 0; n < end; n++)
        {
            var e = generator.Generate(n);
            if (e.Type == EventType.Auction && e.NewAuction is { } a)
            {
                var selected = a.Category == Q20ExpandBidWithAuction.Category;
                auctions[a.Id] = selected ? a : null;
                if (pending.Remove(a.Id, out var bids) && selected)
                    foreach (var b in bids) { last = Q20Row.Of(b, a); rows++; }
            }
            else if (e.Type == EventType.Bid && e.Bid is { } b)
            {
                if (auctions.TryGetValue(b.Auction, out var auction)) { if (auction is not null) { last = Q20Row.Of(b, auction); rows++; } }
                else if (pending.TryGetValue(b.Auction, out var list)) list.Add(b);
                else pending.Add(b.Auction, [b]);
            }
        }
        GC.KeepAlive(last);
        return rows;
    }
}
