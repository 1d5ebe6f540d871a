using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// Reads the JSON lines <see cref="NexmarkJsonWriter"/> writes, or any file with the same fields: one object per
/// non-blank line, <c>type</c> and the reference field names in any order, unknown fields ignored. Times are epoch
/// milliseconds (ISO-8601 strings are accepted too). <c>extra</c>, <c>channel</c> and <c>url</c> may be missing
/// (older reference versions lack the latter two) and read as empty; every other field is required.
/// </summary>
public static class NexmarkJsonReader
{
    /// <summary>
    /// The events of the file at <paramref name="path"/>, lazily, in file order. A gzip-compressed file (told by its
    /// first two bytes, whatever its name) is decompressed on the fly.
    /// </summary>
    /// <exception cref="FormatException">A line is not a valid event (the message gives the line number).</exception>
    public static IEnumerable<Event> ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ReadLines(path);

        static IEnumerable<Event> ReadLines(string path)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            Span<byte> magic = stackalloc byte[2];
            var gzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            file.Position = 0;
            using Stream stream = gzip ? new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress) : file;
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            foreach (var e in Read(reader)) yield return e;
        }
    }

    /// <summary>The events of <paramref name="reader"/>'s lines, lazily.</summary>
    /// <exception cref="FormatException">A line is not a valid event (the message gives the line number).</exception>
    public static IEnumerable<Event> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Iterate(reader);

        static IEnumerable<Event> Iterate(TextReader reader)
        {
            var lineNumber = 0;
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                Event e;
                try { e = Parse(line); }
                catch (FormatException error) { throw new FormatException($"Line {lineNumber}: {error.Message}", error); }
                yield return e;
            }
        }
    }

    /// <summary>Parses one JSON object.</summary>
    /// <exception cref="FormatException">Not valid JSON, an unknown or missing <c>type</c>, or a missing or mistyped field.</exception>
    public static Event Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, bytes);
            return Parse(bytes.AsSpan(0, length));
        }
        finally { ArrayPool<byte>.Shared.Return(bytes); }
    }

    /// <summary>Parses one JSON object from UTF-8 bytes.</summary>
    /// <exception cref="FormatException">Not valid JSON, an unknown or missing <c>type</c>, or a missing or mistyped field.</exception>
    public static Event Parse(ReadOnlySpan<byte> utf8Json)
    {
        try { return ParseObject(utf8Json); }
        catch (JsonException error) { throw new FormatException($"Not a JSON object: {error.Message}", error); }
        catch (InvalidOperationException error) { throw new FormatException($"A field has the wrong JSON type: {error.Message}", error); }
    }

    private static Event ParseObject(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new FormatException("Expected a JSON object.");
        var fields = new Fields();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            fields.Set(name, ref reader);
        }
        return fields.Type switch
        {
            "person" => Event.Of(new Person(fields.Long("id"), fields.String("name"), fields.String("emailAddress"),
                fields.String("creditCard"), fields.String("city"), fields.String("state"), fields.Long("dateTime"),
                fields.String("extra", optional: true))),
            "auction" => Event.Of(new Auction(fields.Long("id"), fields.String("itemName"), fields.String("description"),
                fields.Long("initialBid"), fields.Long("reserve"), fields.Long("dateTime"), fields.Long("expires"),
                fields.Long("seller"), fields.Long("category"), fields.String("extra", optional: true))),
            "bid" => Event.Of(new Bid(fields.Long("auction"), fields.Long("bidder"), fields.Long("price"),
                fields.String("channel", optional: true), fields.String("url", optional: true), fields.Long("dateTime"),
                fields.String("extra", optional: true))),
            null => throw new FormatException("The object has no \"type\" field (person, auction or bid)."),
            var other => throw new FormatException($"Unknown event type \"{other}\"; expected person, auction or bid."),
        };
    }

    /// <summary>The fields of one object, by name.</summary>
    private sealed class Fields
    {
        private readonly Dictionary<string, long> _longs = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

        public string? Type { get; private set; }

        public void Set(string name, ref Utf8JsonReader reader)
        {
            switch (name)
            {
                case "type":
                    Type = reader.GetString();
                    break;
                case "id" or "initialBid" or "reserve" or "seller" or "category" or "auction" or "bidder" or "price":
                    _longs[name] = reader.GetInt64();
                    break;
                case "dateTime" or "expires":
                    _longs[name] = reader.TokenType == JsonTokenType.String
                        ? DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds()
                        : reader.GetInt64();
                    break;
                case "name" or "emailAddress" or "creditCard" or "city" or "state" or "extra" or "itemName" or "description" or "channel" or "url":
                    _strings[name] = reader.GetString() ?? "";
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        public long Long(string name) =>
            _longs.TryGetValue(name, out var value) ? value : throw new FormatException($"The {Type} has no \"{name}\" field.");

        public string String(string name, bool optional = false) =>
            _strings.TryGetValue(name, out var value) ? value
            : optional ? "" : throw new FormatException($"The {Type} has no \"{name}\" field.");
    }
}
