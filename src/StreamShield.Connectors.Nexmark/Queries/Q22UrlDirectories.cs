using System.Text.Json.Nodes;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>A q22 row: <c>auction, bidder, price, channel, dir1, dir2, dir3</c> (a directory is null when the URL has none there).</summary>
public sealed record Q22Row(long Auction, long Bidder, long Price, string Channel, string? Dir1, string? Dir2, string? Dir3);

/// <summary>
/// Query 22, get URL directories: the fields 3, 4 and 5 (from 0, empty fields kept) of each bid's URL split by
/// <c>/</c>, as SQL's <c>SPLIT_INDEX(url, '/', n)</c>: for <c>https://www.nexmark.com/a/b/c/item.htm</c>, a, b and c.
/// </summary>
public sealed class Q22UrlDirectories : NexmarkQuery<Q22Row>
{
    /// <inheritdoc />
    public override string Name => "q22";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } = ["auction", "bidder", "price", "channel", "dir1", "dir2", "dir3"];

    /// <inheritdoc />
    public override DataStream<Q22Row> Build(DataStream<Event> events) => Bids(events).Map(Of, "q22");

    /// <inheritdoc />
    public override JsonObject ToJson(Q22Row row) => new()
    {
        ["auction"] = row.Auction,
        ["bidder"] = row.Bidder,
        ["price"] = row.Price,
        ["channel"] = row.Channel,
        ["dir1"] = row.Dir1,
        ["dir2"] = row.Dir2,
        ["dir3"] = row.Dir3,
    };

    /// <summary>The row of <paramref name="bid"/>.</summary>
    public static Q22Row Of(Bid bid)
    {
        var parts = bid.Url.Split('/');
        return new Q22Row(bid.Auction, bid.Bidder, bid.Price, bid.Channel, At(parts, 3), At(parts, 4), At(parts, 5));
    }

    private static string? At(string[] parts, int index) => index < parts.Length ? parts[index] : null;
}
