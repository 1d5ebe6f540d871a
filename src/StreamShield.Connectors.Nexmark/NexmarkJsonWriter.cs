using System.Text.Encodings.Web;
using System.Text.Json;

namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// Writes events as JSON lines: one object per event, with a <c>type</c> field (<c>person</c>, <c>auction</c>,
/// <c>bid</c>) followed by the reference model's fields in its order and camelCase names, every time (<c>dateTime</c>,
/// <c>expires</c>) as epoch milliseconds. For example
/// <c>{"type":"bid","auction":1000,"bidder":1001,"price":5263,"channel":"Google","url":"https://...","dateTime":1436918400000,"extra":"..."}</c>.
/// Read back with <see cref="NexmarkJsonReader"/>. Not thread-safe; owns <paramref name="stream"/> unless
/// <paramref name="leaveOpen"/>.
/// </summary>
public sealed class NexmarkJsonWriter(Stream stream, bool leaveOpen = false) : IDisposable
{
    // Relaxed escaping keeps URLs readable ('&' stays '&'); the output is a data file, never embedded in HTML.
    private static readonly JsonWriterOptions Options = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Stream _stream = stream ?? throw new ArgumentNullException(nameof(stream));
    private readonly Utf8JsonWriter _json = new(stream, Options);
    private bool _disposed;

    /// <summary>Writes all of <paramref name="events"/> to a new file at <paramref name="path"/>; returns how many.</summary>
    public static long WriteFile(string path, IEnumerable<Event> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        using var writer = new NexmarkJsonWriter(file);
        long count = 0;
        foreach (var e in events) { writer.Write(e); count++; }
        return count;
    }

    /// <summary>The JSON object of one event, without a line break.</summary>
    public static string ToJson(in Event e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options)) WriteObject(json, e);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes one event and a line break.</summary>
    /// <exception cref="ArgumentException">The event has no payload for its type.</exception>
    public void Write(in Event e)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WriteObject(_json, e);
        _json.Flush();
        _json.Reset();
        _stream.WriteByte((byte)'\n');
    }

    /// <summary>Flushes the underlying stream.</summary>
    public void Flush() => _stream.Flush();

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _json.Dispose();
        _stream.Flush();
        if (!leaveOpen) _stream.Dispose();
    }

    private static void WriteObject(Utf8JsonWriter json, in Event e)
    {
        json.WriteStartObject();
        switch (e.Type)
        {
            case EventType.Person when e.NewPerson is { } p:
                json.WriteString(NexmarkJsonFields.Type, NexmarkJsonFields.PersonType);
                json.WriteNumber(NexmarkJsonFields.Id, p.Id);
                json.WriteString(NexmarkJsonFields.Name, p.Name);
                json.WriteString(NexmarkJsonFields.EmailAddress, p.EmailAddress);
                json.WriteString(NexmarkJsonFields.CreditCard, p.CreditCard);
                json.WriteString(NexmarkJsonFields.City, p.City);
                json.WriteString(NexmarkJsonFields.State, p.State);
                json.WriteNumber(NexmarkJsonFields.DateTime, p.DateTime);
                json.WriteString(NexmarkJsonFields.Extra, p.Extra);
                break;
            case EventType.Auction when e.NewAuction is { } a:
                json.WriteString(NexmarkJsonFields.Type, NexmarkJsonFields.AuctionType);
                json.WriteNumber(NexmarkJsonFields.Id, a.Id);
                json.WriteString(NexmarkJsonFields.ItemName, a.ItemName);
                json.WriteString(NexmarkJsonFields.Description, a.Description);
                json.WriteNumber(NexmarkJsonFields.InitialBid, a.InitialBid);
                json.WriteNumber(NexmarkJsonFields.Reserve, a.Reserve);
                json.WriteNumber(NexmarkJsonFields.DateTime, a.DateTime);
                json.WriteNumber(NexmarkJsonFields.Expires, a.Expires);
                json.WriteNumber(NexmarkJsonFields.Seller, a.Seller);
                json.WriteNumber(NexmarkJsonFields.Category, a.Category);
                json.WriteString(NexmarkJsonFields.Extra, a.Extra);
                break;
            case EventType.Bid when e.Bid is { } b:
                json.WriteString(NexmarkJsonFields.Type, NexmarkJsonFields.BidType);
                json.WriteNumber(NexmarkJsonFields.Auction, b.Auction);
                json.WriteNumber(NexmarkJsonFields.Bidder, b.Bidder);
                json.WriteNumber(NexmarkJsonFields.Price, b.Price);
                json.WriteString(NexmarkJsonFields.Channel, b.Channel);
                json.WriteString(NexmarkJsonFields.Url, b.Url);
                json.WriteNumber(NexmarkJsonFields.DateTime, b.DateTime);
                json.WriteString(NexmarkJsonFields.Extra, b.Extra);
                break;
            default:
                throw new ArgumentException($"The Nexmark event of type {e.Type} has no {e.Type} payload; create events with Event.Of.", nameof(e));
        }
        json.WriteEndObject();
    }
}
