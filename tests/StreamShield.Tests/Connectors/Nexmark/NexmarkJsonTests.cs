using System.Text;
using System.Text.Json;
using StreamShield.Connectors.Nexmark;

namespace StreamShield.Tests.Connectors.Nexmark;

/// <summary>JSON lines carry a type and the reference field names, times as epoch milliseconds, and read back to the same events.</summary>
public sealed class NexmarkJsonTests
{
    [Fact]
    public void EachKindHasTheReferenceFieldNamesInOrder()
    {
        var events = new NexmarkGenerator(NexmarkOptions.Default).Generate(0, 5).ToList(); // a person, three auctions, a bid
        Assert.Equal(["type", "id", "name", "emailAddress", "creditCard", "city", "state", "dateTime", "extra"], FieldNames(events[0]));
        Assert.Equal(["type", "id", "itemName", "description", "initialBid", "reserve", "dateTime", "expires", "seller", "category", "extra"], FieldNames(events[1]));
        Assert.Equal(["type", "auction", "bidder", "price", "channel", "url", "dateTime", "extra"], FieldNames(events[4]));

        using var bid = JsonDocument.Parse(NexmarkJsonWriter.ToJson(events[4]));
        Assert.Equal("bid", bid.RootElement.GetProperty("type").GetString());
        Assert.Equal(events[4].Bid!.DateTime, bid.RootElement.GetProperty("dateTime").GetInt64());
        Assert.Equal(JsonValueKind.Number, bid.RootElement.GetProperty("dateTime").ValueKind);
        Assert.Equal(NexmarkOptions.DefaultBaseTime, NexmarkJsonReader.Parse(NexmarkJsonWriter.ToJson(events[0])).Timestamp);
    }

    [Fact]
    public void AFileOfEventsReadsBackAsTheSameEvents()
    {
        using var dir = new TempDirectory("nexmark-json");
        var path = dir.Sub("events.jsonl");
        var events = new NexmarkGenerator(NexmarkOptions.Default).Generate(0, 20_000).ToList();
        Assert.Equal(20_000, NexmarkJsonWriter.WriteFile(path, events));

        var lines = File.ReadAllLines(path, Encoding.UTF8);
        Assert.Equal(20_000, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("{\"type\":\"", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("&channel_id=", StringComparison.Ordinal)); // URLs are not escaped
        Assert.Equal(events, NexmarkJsonReader.ReadFile(path));
    }

    [Fact]
    public void TheReaderAcceptsFieldsInAnyOrderUnknownFieldsAndIsoTimes()
    {
        var e = NexmarkJsonReader.Parse("""{"extra":"","dateTime":"2015-07-15T00:00:01Z","price":5,"bidder":1001,"auction":1000,"type":"bid","somethingElse":{"a":[1,2]}}""");
        Assert.Equal(Event.Of(new Bid(1000, 1001, 5, "", "", NexmarkOptions.DefaultBaseTime + 1000, "")), e);
    }

    [Theory]
    [InlineData("""{"id":1}""", "no \"type\" field")]
    [InlineData("""{"type":"lot","id":1}""", "Unknown event type \"lot\"")]
    [InlineData("""{"type":"person","id":1}""", "The person has no \"name\" field")]
    [InlineData("""{"type":"bid","auction":"x"}""", "wrong JSON type")]
    [InlineData("""[1,2]""", "Expected a JSON object")]
    [InlineData("{\"type\":", "Not a JSON object")]
    public void ABadLineIsRejectedWithTheReason(string json, string reason)
    {
        var error = Assert.Throws<FormatException>(() => NexmarkJsonReader.Parse(json));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadErrorsNameTheLine()
    {
        var text = NexmarkJsonWriter.ToJson(new NexmarkGenerator(NexmarkOptions.Default).Generate(0)) + "\n\n{\"type\":\"bid\"}\n";
        var error = Assert.Throws<FormatException>(() => NexmarkJsonReader.Read(new StringReader(text)).ToList());
        Assert.StartsWith("Line 3:", error.Message, StringComparison.Ordinal);
    }

    private static List<string> FieldNames(Event e)
    {
        using var document = JsonDocument.Parse(NexmarkJsonWriter.ToJson(e));
        return document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
    }
}
