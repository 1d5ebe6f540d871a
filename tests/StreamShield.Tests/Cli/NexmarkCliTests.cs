using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;
using StreamShield.Tests.Cluster.Integration;
using StreamShield.Tests.Connectors.Nexmark.Queries;

using static StreamShield.Tests.Connectors.Nexmark.Queries.NexmarkQueryRuns;

namespace StreamShield.Tests.Cli;

/// <summary>
/// The built <c>streamshield</c> CLI, run as a real process: <c>nexmark generate</c> writes the generator's events as
/// JSON lines with the reference field names (the same events, in order, as the in-process generator; repeatably), and
/// <c>nexmark query</c> writes, for each query, exactly the rows a plain LINQ computation of the reference SQL yields
/// over those events (the final table for updating queries); bad input fails with a helpful message and no output file.
/// </summary>
public sealed class NexmarkCliTests : IClassFixture<NexmarkCliTests.QueryInput>, IDisposable
{
    // Generous: one CLI process takes well under a few seconds, but the machine has 2 cores and other tests run alongside.
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(90);

    private readonly QueryInput _input;
    private readonly TempDirectory _dir = new("nexmark-cli");

    public NexmarkCliTests(QueryInput input) => _input = input;

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// One generated input for all query tests, written by the CLI itself. 20,000 events at 500 per second span 40 s of
    /// event time, so the 10 s windows of q5, q7 and q8 close several times.
    /// </summary>
    public sealed class QueryInput : IDisposable
    {
        public static readonly NexmarkOptions Options = NexmarkOptions.Default with { MaxEvents = 20_000, FirstEventRate = 500, NextEventRate = 500 };

        private readonly TempDirectory _dir = new("nexmark-cli-input");

        public QueryInput()
        {
            Path = _dir.Sub("events.jsonl");
            var run = RunCli("nexmark", "generate", "--events", "20000", "--rate", "500", "--out", Path);
            Assert.True(run.ExitCode == 0, $"generate failed:\n{run}");
            // The reference computations use the in-process generator, not the file: a writer or reader bug that
            // changed the events would then show up as a query mismatch instead of being shared by both sides.
            Events = new NexmarkGenerator(Options).Generate(0, Options.MaxEvents).ToList();
        }

        public string Path { get; }
        public IReadOnlyList<Event> Events { get; }

        public void Dispose() => _dir.Dispose();
    }

    private static CliRun RunCli(params string[] args) => CliProcess.Run(args, null, ProcessTimeout);

    // ---- generate ----

    private static readonly string[] PersonFields = ["type", "id", "name", "emailAddress", "creditCard", "city", "state", "dateTime", "extra"];
    private static readonly string[] AuctionFields = ["type", "id", "itemName", "description", "initialBid", "reserve", "dateTime", "expires", "seller", "category", "extra"];
    private static readonly string[] BidFields = ["type", "auction", "bidder", "price", "channel", "url", "dateTime", "extra"];

    [Fact]
    public void GenerateWritesTheGeneratorsEventsAsJsonLinesWithTheReferenceFieldNames()
    {
        var path = _dir.Sub("events.jsonl");
        var run = RunCli("nexmark", "generate", "--events", "5000", "--out", path);
        Assert.True(run.ExitCode == 0, run.ToString());

        var lines = File.ReadAllLines(path);
        Assert.Equal(5000, lines.Length);
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        var actual = new List<string>();
        foreach (var line in lines)
        {
            // Parsed with plain System.Text.Json, not NexmarkJsonReader, so a shared writer/reader mistake cannot hide.
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var type = root.GetProperty("type").GetString()!;
            types[type] = types.GetValueOrDefault(type) + 1;
            var names = root.EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(type switch { "person" => PersonFields, "auction" => AuctionFields, "bid" => BidFields, _ => throw new Xunit.Sdk.XunitException($"Unknown type in {line}") }, names);
            // Times are integer epoch milliseconds, not ISO strings or fractional numbers.
            Assert.True(root.GetProperty("dateTime").ValueKind == JsonValueKind.Number && root.GetProperty("dateTime").TryGetInt64(out _), line);
            if (type == "auction") Assert.True(root.GetProperty("expires").TryGetInt64(out _), line);
            actual.Add(Canonical(root));
        }
        // 1 person, 3 auctions, 46 bids in every 50 events: 5000 events hold exactly 100 rounds.
        Assert.Equal(100, types["person"]);
        Assert.Equal(300, types["auction"]);
        Assert.Equal(4600, types["bid"]);

        // Every field of every event equals the in-process generator's, in order.
        var expected = new NexmarkGenerator(new NexmarkOptions { MaxEvents = 5000 }).Generate(0, 5000).Select(Canonical).ToList();
        for (var i = 0; i < expected.Count; i++) Assert.True(expected[i] == actual[i], $"Event {i}:\nexpected {expected[i]}\nactual   {actual[i]}");
    }

    [Fact]
    public void GenerateIsRepeatableByteForByte()
    {
        var first = _dir.Sub("first.jsonl");
        var second = _dir.Sub("second.jsonl");
        Assert.Equal(0, RunCli("nexmark", "generate", "--events", "5000", "--out", first).ExitCode);
        Assert.Equal(0, RunCli("nexmark", "generate", "--events", "5000", "--out", second).ExitCode);
        var a = File.ReadAllBytes(first);
        Assert.True(a.Length > 5000 * 50, $"Only {a.Length} bytes for 5000 events.");
        Assert.Equal(a, File.ReadAllBytes(second));
    }

    /// <summary>
    /// An event's fields as <c>name=value</c> in order; strings re-encoded from their decoded value (the file may escape
    /// differently, such as a literal '&amp;' in URLs) and quoted, so "1" and 1 differ.
    /// </summary>
    private static string Canonical(JsonElement e) => string.Join(", ", e.EnumerateObject().Select(p =>
        $"{p.Name}={(p.Value.ValueKind == JsonValueKind.String ? JsonSerializer.Serialize(p.Value.GetString()) : p.Value.GetRawText())}"));

    private static string Canonical(Event e)
    {
        static string S(string s) => JsonSerializer.Serialize(s);
        static string L(long v) => v.ToString(CultureInfo.InvariantCulture);
        return e.Type switch
        {
            EventType.Person when e.NewPerson is { } p =>
                $"type=\"person\", id={L(p.Id)}, name={S(p.Name)}, emailAddress={S(p.EmailAddress)}, creditCard={S(p.CreditCard)}, city={S(p.City)}, state={S(p.State)}, dateTime={L(p.DateTime)}, extra={S(p.Extra)}",
            EventType.Auction when e.NewAuction is { } a =>
                $"type=\"auction\", id={L(a.Id)}, itemName={S(a.ItemName)}, description={S(a.Description)}, initialBid={L(a.InitialBid)}, reserve={L(a.Reserve)}, dateTime={L(a.DateTime)}, expires={L(a.Expires)}, seller={L(a.Seller)}, category={L(a.Category)}, extra={S(a.Extra)}",
            EventType.Bid when e.Bid is { } b =>
                $"type=\"bid\", auction={L(b.Auction)}, bidder={L(b.Bidder)}, price={L(b.Price)}, channel={S(b.Channel)}, url={S(b.Url)}, dateTime={L(b.DateTime)}, extra={S(b.Extra)}",
            _ => throw new InvalidOperationException($"Malformed event {e}"),
        };
    }

    // ---- query ----

    /// <summary>Runs <c>nexmark query</c> over the shared input; its rows as JSON objects, each checked to have exactly <paramref name="columns"/>.</summary>
    private List<JsonElement> Query(string name, params string[] columns)
    {
        var output = _dir.Sub($"{name}.jsonl");
        var run = RunCli("nexmark", "query", name, "--input", _input.Path, "--out", output);
        Assert.True(run.ExitCode == 0, $"query {name}: {run}");
        var rows = File.ReadAllLines(output).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.All(rows, r => Assert.Equal(columns, r.EnumerateObject().Select(p => p.Name)));
        return rows;
    }

    private static long L(JsonElement row, string name) => row.GetProperty(name).GetInt64();
    private static string S(JsonElement row, string name) => row.GetProperty(name).GetString()!;

    private static BidRow ToBidRow(JsonElement r) => new(L(r, "auction"), L(r, "bidder"), L(r, "price"), L(r, "dateTime"), S(r, "extra"));

    // Decimals equal in value can differ in scale (908 and 908.000), which would sort apart by ToString: compare values.
    private static decimal Normalize(decimal d) => d / 1.0000000000000000000000000000m;

    private IReadOnlyList<Event> Events => _input.Events;

    [Fact]
    public void Q0WritesEveryBid() =>
        AssertSameRows(NexmarkReference.Q0(Events), Query("q0", "auction", "bidder", "price", "dateTime", "extra").Select(ToBidRow));

    [Fact]
    public void Q1WritesEveryBidInEuros() =>
        AssertSameRows(
            NexmarkReference.Q1(Events).Select(r => r with { Price = Normalize(r.Price) }),
            Query("q1", "auction", "bidder", "price", "dateTime", "extra")
                .Select(r => new Q1Row(L(r, "auction"), L(r, "bidder"), Normalize(r.GetProperty("price").GetDecimal()), L(r, "dateTime"), S(r, "extra"))));

    [Fact]
    public void Q2WritesTheBidsOnEvery123rdAuction() =>
        AssertSameRows(NexmarkReference.Q2(Events), Query("q2", "auction", "price").Select(r => new Q2Row(L(r, "auction"), L(r, "price"))));

    [Fact]
    public void Q3WritesTheCategory10AuctionsOfSellersInOregonIdahoAndCalifornia() =>
        AssertSameRows(NexmarkReference.Q3(Events),
            Query("q3", "name", "city", "state", "id").Select(r => new Q3Row(S(r, "name"), S(r, "city"), S(r, "state"), L(r, "id"))));

    [Fact]
    public void Q4WritesTheFinalTableOfAveragePricePerCategory() =>
        // The final table, not the updates: exactly one row per category, each the reference's final value.
        AssertSameRows(NexmarkReference.Q4(Events), Query("q4", "id", "final").Select(r => new Q4Row(L(r, "id"), L(r, "final"))));

    [Fact]
    public void Q5WritesTheHotItemsPerSlidingWindow() =>
        AssertSameRows(NexmarkReference.Q5(Events), Query("q5", "auction", "num").Select(r => new Q5Row(L(r, "auction"), L(r, "num"))));

    [Fact]
    public void Q7WritesTheHighestBidsPerTumblingWindow() =>
        AssertSameRows(NexmarkReference.Q7(Events), Query("q7", "auction", "bidder", "price", "dateTime", "extra").Select(ToBidRow));

    [Fact]
    public void Q8WritesThePersonsWhoSoldInTheWindowTheyRegistered() =>
        AssertSameRows(NexmarkReference.Q8(Events), Query("q8", "id", "name", "stime").Select(r => new Q8Row(L(r, "id"), S(r, "name"), L(r, "stime"))));

    [Fact]
    public void Q9WritesTheFinalTableOfWinningBids()
    {
        var auctions = Events.Where(e => e.Type == EventType.Auction).Select(e => e.NewAuction!);
        var bids = Events.Where(e => e.Type == EventType.Bid).Select(e => e.Bid!);
        // The reference SQL's final table: per auction, its highest bid within [dateTime, expires]; ties as Q9WinningBids documents.
        var expected =
            from a in auctions
            join b in bids on a.Id equals b.Auction
            where b.DateTime >= a.DateTime && b.DateTime <= a.Expires
            group b by a into g
            let w = g.OrderByDescending(b => b.Price).ThenBy(b => b.DateTime).ThenBy(b => b.Bidder).ThenBy(b => b.Extra, StringComparer.Ordinal).First()
            select new Q9Row(g.Key.Id, g.Key.ItemName, g.Key.Description, g.Key.InitialBid, g.Key.Reserve, g.Key.DateTime, g.Key.Expires,
                g.Key.Seller, g.Key.Category, g.Key.Extra, w.Auction, w.Bidder, w.Price, w.DateTime, w.Extra);
        var actual = Query("q9", "id", "itemName", "description", "initialBid", "reserve", "dateTime", "expires", "seller", "category", "extra",
                "auction", "bidder", "price", "bid_dateTime", "bid_extra")
            .Select(r => new Q9Row(L(r, "id"), S(r, "itemName"), S(r, "description"), L(r, "initialBid"), L(r, "reserve"), L(r, "dateTime"),
                L(r, "expires"), L(r, "seller"), L(r, "category"), S(r, "extra"), L(r, "auction"), L(r, "bidder"), L(r, "price"),
                L(r, "bid_dateTime"), S(r, "bid_extra")));
        AssertSameRows(expected, actual);
    }

    // ---- bad input ----

    [Fact]
    public void UnknownQueryFailsNamingTheKnownQueries()
    {
        var output = _dir.Sub("out.jsonl");
        var run = RunCli("nexmark", "query", "q99", "--input", _input.Path, "--out", output);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("q99", run.Stderr, StringComparison.Ordinal);
        // The message lists every known query, so a user can pick one.
        Assert.Contains(string.Join(", ", NexmarkQueries.Names), run.Stderr, StringComparison.Ordinal);
        Assert.Contains("q22", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output), "An output file was written for a failed query.");
    }

    [Fact]
    public void MissingInputFailsSayingHowToCreateOne()
    {
        var input = _dir.Sub("missing.jsonl");
        var output = _dir.Sub("out.jsonl");
        var run = RunCli("nexmark", "query", "q0", "--input", input, "--out", output);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(input, run.Stderr, StringComparison.Ordinal);
        Assert.Contains("nexmark generate", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output), "An output file was written for a missing input.");
    }

    [Fact]
    public void GeneratingZeroEventsFailsWithAClearMessage()
    {
        var output = _dir.Sub("events.jsonl");
        var run = RunCli("nexmark", "generate", "--events", "0", "--out", output);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--events must be positive", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output), "An output file was written for zero events.");
    }
}
