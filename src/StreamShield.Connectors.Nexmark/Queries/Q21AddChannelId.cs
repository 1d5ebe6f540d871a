using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>A q21 row: <c>auction, bidder, price, channel, channel_id</c>.</summary>
public sealed record Q21Row(long Auction, long Bidder, long Price, string Channel, string ChannelId);

/// <summary>
/// Query 21, add channel id: the well-known channels (apple, google, facebook, baidu, case-insensitive) get ids 0 to 3;
/// any other bid gets the <c>channel_id</c> parameter of its URL (SQL's
/// <c>REGEXP_EXTRACT(url, '(&amp;|^)channel_id=([^&amp;]*)', 2)</c>), and bids with neither are dropped.
/// </summary>
public sealed partial class Q21AddChannelId : NexmarkQuery<Q21Row>
{
    /// <inheritdoc />
    public override string Name => "q21";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } = ["auction", "bidder", "price", "channel", "channel_id"];

    /// <inheritdoc />
    public override DataStream<Q21Row> Build(DataStream<Event> events) =>
        Bids(events).FlatMap<Q21Row>((bid, output) =>
        {
            if (ChannelId(bid.Channel, bid.Url) is { } id) output.Collect(new Q21Row(bid.Auction, bid.Bidder, bid.Price, bid.Channel, id));
        }, "q21");

    /// <inheritdoc />
    public override JsonObject ToJson(Q21Row row) => new()
    {
        ["auction"] = row.Auction,
        ["bidder"] = row.Bidder,
        ["price"] = row.Price,
        ["channel"] = row.Channel,
        ["channel_id"] = row.ChannelId,
    };

    /// <summary>The channel id of a bid on <paramref name="channel"/> with <paramref name="url"/>, or null.</summary>
    public static string? ChannelId(string channel, string url) => channel.ToLowerInvariant() switch
    {
        "apple" => "0",
        "google" => "1",
        "facebook" => "2",
        "baidu" => "3",
        _ => ChannelIdParameter().Match(url) is { Success: true } m ? m.Groups[2].Value : null,
    };

    [GeneratedRegex("(&|^)channel_id=([^&]*)", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelIdParameter();
}
