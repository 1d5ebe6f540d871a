using System.Reactive.Disposables;
using System.Reactive.Linq;
using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;

namespace StreamShield.Cli.Bench;

/// <summary>
/// The same queries without the engine: a hand-written single-threaded loop, and System.Reactive (Rx.NET). Both
/// generate the same events with <see cref="NexmarkGenerator"/>, as the engine's source does, and count result rows.
/// </summary>
internal static partial class Baselines
{
    /// <summary>The queries that have a loop and an Rx.NET version.</summary>
    public static IReadOnlySet<string> Supported { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "q0", "q1", "q2", "q14", "q21", "q7", "q5", "q8", "q3", "q4", "q9", "q11", "q12", "q10", "q13", "q22",
        "q15", "q16", "q17", "q18", "q19", "q20",
    };

    /// <summary>Runs the hand loop of <paramref name="query"/> over <paramref name="options"/>' events; returns the rows produced.</summary>
    public static long RunLoop(string query, NexmarkOptions options)
    {
        var generator = new NexmarkGenerator(options);
        var end = generator.EndEventNumber;
        long rows = 0;
        object? last = null;
        switch (query.ToLowerInvariant())
        {
            case "q0":
                for (long n = 0; n < end; n++)
                    if (generator.Generate(n) is { Type: EventType.Bid, Bid: { } b }) { last = BidRow.Of(b); rows++; }
                break;
            case "q1":
                for (long n = 0; n < end; n++)
                    if (generator.Generate(n) is { Type: EventType.Bid, Bid: { } b })
                    { last = new Q1Row(b.Auction, b.Bidder, Q1CurrencyConversion.DollarToEuro * b.Price, b.DateTime, b.Extra); rows++; }
                break;
            case "q2":
                for (long n = 0; n < end; n++)
                    if (generator.Generate(n) is { Type: EventType.Bid, Bid: { } b } && b.Auction % 123 == 0) { last = new Q2Row(b.Auction, b.Price); rows++; }
                break;
            case "q14":
                for (long n = 0; n < end; n++)
                    if (generator.Generate(n) is { Type: EventType.Bid, Bid: { } b } && Q14(b) is { } r) { last = r; rows++; }
                break;
            case "q21":
                for (long n = 0; n < end; n++)
                    if (generator.Generate(n) is { Type: EventType.Bid, Bid: { } b } && Q21(b) is { } r) { last = r; rows++; }
                break;
            case "q10":
                for (long n = 0; n < end; n++)
                    if (generator.Generate(n) is { Type: EventType.Bid, Bid: { } b }) { last = Q10LogToFileSystem.Of(b); rows++; }
                break;
            case "q13":
                for (long n = 0; n < end; n++)
                    if (generator.Generate(n) is { Type: EventType.Bid, Bid: { } b } && Q13(b) is { } r) { last = r; rows++; }
                break;
            case "q22":
                for (long n = 0; n < end; n++)
                    if (generator.Generate(n) is { Type: EventType.Bid, Bid: { } b }) { last = Q22UrlDirectories.Of(b); rows++; }
                break;
            case "q7": return LoopQ7(generator, end);
            case "q5": return LoopQ5(generator, end);
            case "q8": return LoopQ8(generator, end);
            case "q3": return LoopQ3(generator, end);
            case "q4": return LoopQ4(generator, end);
            case "q9": return LoopQ9(generator, end);
            case "q11": return LoopQ11(generator, end);
            case "q12": return LoopQ12(generator, end);
            case "q15": return LoopQ15(generator, end);
            case "q16": return LoopQ16(generator, end);
            case "q17": return LoopQ17(generator, end);
            case "q18": return LoopQ18(generator, end);
            case "q19": return LoopQ19(generator, end);
            case "q20": return LoopQ20(generator, end);
            default:
                throw new ArgumentException($"No hand loop for {query}.");
        }
        GC.KeepAlive(last);
        return rows;
    }

    /// <summary>Runs the Rx.NET version of <paramref name="query"/>; returns the rows produced.</summary>
    public static long RunRx(string query, NexmarkOptions options)
    {
        var generator = new NexmarkGenerator(options);
        var end = generator.EndEventNumber;
        var events = Observable.Create<Event>(o =>
        {
            for (long n = 0; n < end; n++) o.OnNext(generator.Generate(n));
            o.OnCompleted();
            return Disposable.Empty;
        });
        var bids = events.Where(e => e.Type == EventType.Bid).Select(e => e.Bid!);
        IObservable<object> result = query.ToLowerInvariant() switch
        {
            "q0" => bids.Select(BidRow.Of),
            "q1" => bids.Select(b => new Q1Row(b.Auction, b.Bidder, Q1CurrencyConversion.DollarToEuro * b.Price, b.DateTime, b.Extra)),
            "q2" => bids.Where(b => b.Auction % 123 == 0).Select(b => new Q2Row(b.Auction, b.Price)),
            "q14" => bids.Select(Q14).Where(r => r is not null).Select(r => r!),
            "q21" => bids.Select(Q21).Where(r => r is not null).Select(r => r!),
            "q10" => bids.Select(Q10LogToFileSystem.Of),
            "q13" => bids.Select(Q13).Where(r => r is not null).Select(r => r!),
            "q22" => bids.Select(Q22UrlDirectories.Of),
            "q7" => RxQ7(bids),
            "q5" => RxQ5(bids),
            "q8" => RxQ8(events),
            "q3" => RxQ3(events),
            "q4" => RxQ4(events),
            "q9" => RxQ9(events),
            "q11" => RxQ11(bids),
            "q12" => RxQ12(bids),
            "q15" => RxQ15(bids),
            "q16" => RxQ16(bids),
            "q17" => RxQ17(bids),
            "q18" => RxQ18(bids),
            "q19" => RxQ19(bids),
            "q20" => RxQ20(events),
            _ => throw new ArgumentException($"No Rx.NET version for {query}."),
        };
        long rows = 0;
        using (result.Subscribe(_ => rows++)) { }
        return rows;
    }

    // The per-record logic is the queries' own (Q10LogToFileSystem.Of, Q14Calculation.Of, Q21AddChannelId.ChannelId,
    // Q22UrlDirectories.Of, ...): the comparison is of the plumbing.
    private static object? Q14(Bid b) =>
        Q14Calculation.InRange(Q1CurrencyConversion.DollarToEuro * b.Price) ? Q14Calculation.Of(b) : null;

    // The side input is the query's own table (Q13BoundedSideInputJoin.SideInput).
    private static object? Q13(Bid b) =>
        Q13BoundedSideInputJoin.SideInput.TryGetValue(b.Auction % Q13BoundedSideInputJoin.Keys, out var value)
            ? new Q13Row(b.Auction, b.Bidder, b.Price, b.DateTime, value) : null;

    private static object? Q21(Bid b) =>
        Q21AddChannelId.ChannelId(b.Channel, b.Url) is { } id ? new Q21Row(b.Auction, b.Bidder, b.Price, b.Channel, id) : null;
}
