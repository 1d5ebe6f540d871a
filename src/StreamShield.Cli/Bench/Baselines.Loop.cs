using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;

namespace StreamShield.Cli.Bench;

// The hand loops of the stateful queries. They rely on the generator's default (in-order) timestamps: an event-time
// window is complete once an event later than its end has been seen, and every window still open is complete at the end.
internal static partial class Baselines
{
    private const long WindowMs = 10_000, SlideMs = 2_000;

    private static long WindowStart(long time, long size) => time - (time % size + size) % size;

    /// <summary>Open event-time windows keyed by start (plain Dictionary), closed in the order they were opened.</summary>
    private sealed class OpenWindows<TState>(Func<TState> create) where TState : class
    {
        private readonly Dictionary<long, TState> _byStart = [];
        private readonly Queue<long> _starts = new();

        public TState Get(long start)
        {
            if (!_byStart.TryGetValue(start, out var state))
            {
                _byStart.Add(start, state = create());
                _starts.Enqueue(start);
            }
            return state;
        }

        public bool TryGet(long start, out TState state) => _byStart.TryGetValue(start, out state!);

        /// <summary>Closes (oldest first) the windows whose start satisfies <paramref name="isComplete"/>.</summary>
        public void Close(Func<long, bool> isComplete, Action<long, TState> emit)
        {
            while (_starts.TryPeek(out var start) && isComplete(start))
            {
                _starts.Dequeue();
                emit(start, _byStart[start]);
                _byStart.Remove(start);
            }
        }
    }

    private sealed class Q7Window
    {
        public long Max = long.MinValue;
        public readonly List<Bid> Highest = [];
        public readonly List<Bid> AtEnd = [];
    }

    private static long LoopQ7(NexmarkGenerator generator, long end)
    {
        long rows = 0;
        object? last = null;
        var windows = new OpenWindows<Q7Window>(() => new Q7Window());
        void Emit(long _, Q7Window w)
        {
            foreach (var b in w.Highest) { last = BidRow.Of(b); rows++; }
            foreach (var b in w.AtEnd) if (b.Price == w.Max) { last = BidRow.Of(b); rows++; }
        }
        for (long n = 0; n < end; n++)
        {
            if (generator.Generate(n) is not { Type: EventType.Bid, Bid: { } b }) continue;
            var t = b.DateTime;
            // The window [s, s + 10 s] includes its end: close it once a bid after its end arrives.
            windows.Close(s => t > s + WindowMs, Emit);
            var start = WindowStart(t, WindowMs);
            var w = windows.Get(start);
            if (b.Price > w.Max) { w.Max = b.Price; w.Highest.Clear(); w.Highest.Add(b); }
            else if (b.Price == w.Max) w.Highest.Add(b);
            if (start == t && windows.TryGet(start - WindowMs, out var previous)) previous.AtEnd.Add(b);
        }
        windows.Close(_ => true, Emit);
        GC.KeepAlive(last);
        return rows;
    }

    private static long LoopQ5(NexmarkGenerator generator, long end)
    {
        long rows = 0;
        object? last = null;
        var windows = new OpenWindows<Dictionary<long, long>>(() => []);
        void Emit(long _, Dictionary<long, long> counts)
        {
            var max = counts.Values.Max();
            foreach (var (auction, num) in counts) if (num == max) { last = new Q5Row(auction, num); rows++; }
        }
        for (long n = 0; n < end; n++)
        {
            if (generator.Generate(n) is not { Type: EventType.Bid, Bid: { } b }) continue;
            var t = b.DateTime;
            windows.Close(s => t >= s + WindowMs, Emit);
            var latest = WindowStart(t, SlideMs);
            // Oldest first, so the windows open in the order they end.
            for (var s = latest - WindowMs + SlideMs; s <= latest; s += SlideMs)
            {
                var counts = windows.Get(s);
                counts[b.Auction] = counts.GetValueOrDefault(b.Auction) + 1;
            }
        }
        windows.Close(_ => true, Emit);
        GC.KeepAlive(last);
        return rows;
    }

    private sealed class Q8Window
    {
        public readonly HashSet<long> Sellers = [];
        public readonly List<Person> Persons = [];
    }

    private static long LoopQ8(NexmarkGenerator generator, long end)
    {
        long rows = 0;
        object? last = null;
        var windows = new OpenWindows<Q8Window>(() => new Q8Window());
        void Emit(long start, Q8Window w)
        {
            foreach (var p in w.Persons) if (w.Sellers.Contains(p.Id)) { last = new Q8Row(p.Id, p.Name, start); rows++; }
        }
        for (long n = 0; n < end; n++)
        {
            var e = generator.Generate(n);
            if (e.Type == EventType.Person && e.NewPerson is { } p)
            {
                windows.Close(s => p.DateTime >= s + WindowMs, Emit);
                windows.Get(WindowStart(p.DateTime, WindowMs)).Persons.Add(p);
            }
            else if (e.Type == EventType.Auction && e.NewAuction is { } a)
            {
                windows.Close(s => a.DateTime >= s + WindowMs, Emit);
                windows.Get(WindowStart(a.DateTime, WindowMs)).Sellers.Add(a.Seller);
            }
        }
        windows.Close(_ => true, Emit);
        GC.KeepAlive(last);
        return rows;
    }

    private static bool Q3State(string state) => state is "OR" or "ID" or "CA";

    private static long LoopQ3(NexmarkGenerator generator, long end)
    {
        long rows = 0;
        object? last = null;
        var persons = new Dictionary<long, Person>();
        var pending = new Dictionary<long, List<Auction>>();
        for (long n = 0; n < end; n++)
        {
            var e = generator.Generate(n);
            if (e.Type == EventType.Person && e.NewPerson is { } p && Q3State(p.State))
            {
                persons[p.Id] = p;
                if (pending.Remove(p.Id, out var auctions))
                    foreach (var a in auctions) { last = new Q3Row(p.Name, p.City, p.State, a.Id); rows++; }
            }
            else if (e.Type == EventType.Auction && e.NewAuction is { Category: Q3LocalItemSuggestion.Category } a)
            {
                if (persons.TryGetValue(a.Seller, out var seller)) { last = new Q3Row(seller.Name, seller.City, seller.State, a.Id); rows++; }
                else if (pending.TryGetValue(a.Seller, out var list)) list.Add(a);
                else pending.Add(a.Seller, [a]);
            }
        }
        GC.KeepAlive(last);
        return rows;
    }

    private sealed class Q4Auction
    {
        public Auction? Auction;
        public long Max = long.MinValue;
        public List<Bid>? Pending;
    }

    private sealed class Q4Category
    {
        public long Sum, Count;
    }

    private static long LoopQ4(NexmarkGenerator generator, long end)
    {
        long rows = 0;
        object? last = null;
        var auctions = new Dictionary<long, Q4Auction>();
        var categories = new Dictionary<long, Q4Category>();
        void Consider(Q4Auction s, Bid b)
        {
            var a = s.Auction!;
            if (b.DateTime < a.DateTime || b.DateTime > a.Expires || b.Price <= s.Max) return;
            if (!categories.TryGetValue(a.Category, out var c)) categories.Add(a.Category, c = new Q4Category());
            // A new winning price of the auction replaces its old one in the category's average.
            if (s.Max == long.MinValue) { c.Sum += b.Price; c.Count++; }
            else c.Sum += b.Price - s.Max;
            s.Max = b.Price;
            last = new Q4Row(a.Category, c.Sum / c.Count);
            rows++;
        }
        Q4Auction StateOf(long id)
        {
            if (!auctions.TryGetValue(id, out var s)) auctions.Add(id, s = new Q4Auction());
            return s;
        }
        for (long n = 0; n < end; n++)
        {
            var e = generator.Generate(n);
            if (e.Type == EventType.Auction && e.NewAuction is { } a)
            {
                var s = StateOf(a.Id);
                s.Auction = a;
                if (s.Pending is { } pending) { s.Pending = null; foreach (var b in pending) Consider(s, b); }
            }
            else if (e.Type == EventType.Bid && e.Bid is { } b)
            {
                var s = StateOf(b.Auction);
                if (s.Auction is not null) Consider(s, b);
                else (s.Pending ??= []).Add(b);
            }
        }
        GC.KeepAlive(last);
        return rows;
    }
}
