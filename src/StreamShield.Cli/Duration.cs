using System.Globalization;

namespace StreamShield.Cli;

/// <summary>Parses durations as the CLI accepts them: 500ms, 10s, 2m, 1h (a bare number means seconds).</summary>
internal static class Duration
{
    public static TimeSpan Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        (string Suffix, double Ms)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (suffix, ms) in units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(t[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0)
                return TimeSpan.FromMilliseconds(v * ms);
        }
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0) return TimeSpan.FromSeconds(seconds);
        throw new ArgumentException($"'{text}' is not a duration. Use a number with a unit, for example 500ms, 10s, 2m or 1h.");
    }
}
