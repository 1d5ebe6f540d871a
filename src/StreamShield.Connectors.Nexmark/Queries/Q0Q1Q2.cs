using System.Text.Json.Nodes;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>A bid row: <c>auction, bidder, price, dateTime, extra</c> (q0, q7).</summary>
public sealed record BidRow(long Auction, long Bidder, long Price, long DateTime, string Extra)
{
    /// <summary>The row of <paramref name="bid"/>.</summary>
    public static BidRow Of(Bid bid) => new(bid.Auction, bid.Bidder, bid.Price, bid.DateTime, bid.Extra);

    /// <summary>The reference columns.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["auction", "bidder", "price", "dateTime", "extra"];

    /// <summary>The JSON object with the reference columns.</summary>
    public JsonObject ToJson() => new()
    {
        ["auction"] = Auction,
        ["bidder"] = Bidder,
        ["price"] = Price,
        ["dateTime"] = DateTime,
        ["extra"] = Extra,
    };
}

/// <summary>Query 0, pass-through: every bid's <c>auction, bidder, price, dateTime, extra</c>.</summary>
public sealed class Q0PassThrough : NexmarkQuery<BidRow>
{
    /// <inheritdoc />
    public override string Name => "q0";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns => BidRow.Columns;

    /// <inheritdoc />
    public override DataStream<BidRow> Build(DataStream<Event> events) => Bids(events).Map(BidRow.Of, "q0");

    /// <inheritdoc />
    public override JsonObject ToJson(BidRow row) => row.ToJson();
}

/// <summary>A q1 row: the bid with its price in euros (<c>DECIMAL(23, 3)</c>).</summary>
public sealed record Q1Row(long Auction, long Bidder, decimal Price, long DateTime, string Extra);

/// <summary>Query 1, currency conversion: each bid with <c>price = 0.908 * price</c>.</summary>
public sealed class Q1CurrencyConversion : NexmarkQuery<Q1Row>
{
    /// <summary>Dollars to euros, as in the reference.</summary>
    public const decimal DollarToEuro = 0.908m;

    /// <inheritdoc />
    public override string Name => "q1";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns => BidRow.Columns;

    /// <inheritdoc />
    public override DataStream<Q1Row> Build(DataStream<Event> events) =>
        Bids(events).Map(b => new Q1Row(b.Auction, b.Bidder, DollarToEuro * b.Price, b.DateTime, b.Extra), "q1");

    /// <inheritdoc />
    public override JsonObject ToJson(Q1Row row) => new()
    {
        ["auction"] = row.Auction,
        ["bidder"] = row.Bidder,
        ["price"] = row.Price,
        ["dateTime"] = row.DateTime,
        ["extra"] = row.Extra,
    };
}

/// <summary>A q2 row: <c>auction, price</c>.</summary>
public sealed record Q2Row(long Auction, long Price);

/// <summary>Query 2, selection: the bids on every 123rd auction (<c>auction % 123 = 0</c>).</summary>
public sealed class Q2Selection : NexmarkQuery<Q2Row>
{
    /// <inheritdoc />
    public override string Name => "q2";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } = ["auction", "price"];

    /// <inheritdoc />
    public override DataStream<Q2Row> Build(DataStream<Event> events) =>
        Bids(events).Filter(b => b.Auction % 123 == 0, "q2 filter").Map(b => new Q2Row(b.Auction, b.Price), "q2");

    /// <inheritdoc />
    public override JsonObject ToJson(Q2Row row) => new() { ["auction"] = row.Auction, ["price"] = row.Price };
}
