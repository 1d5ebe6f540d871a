namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// Random text of the reference's <c>StringsGenerator</c>: short strings of letters with an occasional separator,
/// exact-length letter strings, and the <c>extra</c> padding that brings an event to its configured average size.
/// Each string is built in place and allocated once.
/// </summary>
internal static class RandomStrings
{
    /// <summary>Smallest random string length before trimming (the reference's <c>MIN_STRING_LENGTH</c>).</summary>
    private const int MinStringLength = 3;

    /// <summary>Longest string <see cref="Write"/> produces.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// A random string of 3 to <paramref name="maxLength"/> - 1 characters: lower-case letters, each replaced by
    /// <paramref name="special"/> with probability 1/13; spaces at either end are trimmed (the reference's <c>nextString</c>).
    /// </summary>
    public static string Next(ref EventRandom random, int maxLength, char special = ' ')
    {
        Span<char> buffer = stackalloc char[MaxLength];
        var length = Write(ref random, buffer, maxLength, special);
        return new string(buffer[..length]);
    }

    /// <summary>Writes a <see cref="Next"/> string into <paramref name="destination"/>; returns its length.</summary>
    public static int Write(ref EventRandom random, Span<char> destination, int maxLength, char special = ' ')
    {
        var length = MinStringLength + random.NextInt(maxLength - MinStringLength);
        for (var i = 0; i < length; i++)
            destination[i] = random.NextInt(13) == 0 ? special : (char)('a' + random.NextInt(26));
        if (special != ' ') return length;
        var span = destination[..length];
        var trimmed = span.Trim(' ');
        if (trimmed.Length != length) trimmed.CopyTo(destination);
        return trimmed.Length;
    }

    /// <summary>A string of exactly <paramref name="length"/> random lower-case letters (the reference's <c>nextExactString</c>).</summary>
    public static string Exact(ref EventRandom random, int length)
    {
        if (length <= 0) return "";
        return string.Create(length, (long)random.NextUInt64(), static (chars, seed) =>
        {
            var letters = new EventRandom(seed, 0);
            var bits = 0UL;
            var left = 0; // letters left in bits: 13 per draw, since 26^13 < 2^64
            for (var i = 0; i < chars.Length; i++)
            {
                if (left == 0) { bits = letters.NextUInt64(); left = 13; }
                chars[i] = (char)('a' + (int)(bits % 26));
                bits /= 26;
                left--;
            }
        });
    }

    /// <summary>
    /// Padding such that <paramref name="currentSize"/> plus its length averages <paramref name="desiredAverageSize"/>:
    /// uniform within ±20% of the gap, empty when the event is already larger (the reference's <c>nextExtra</c>).
    /// </summary>
    public static string Extra(ref EventRandom random, int currentSize, int desiredAverageSize)
    {
        if (currentSize > desiredAverageSize) return "";
        var gap = desiredAverageSize - currentSize;
        var delta = (int)Math.Floor(gap * 0.2 + 0.5);
        var size = gap - delta + (delta == 0 ? 0 : random.NextInt(2 * delta));
        return Exact(ref random, size);
    }
}
