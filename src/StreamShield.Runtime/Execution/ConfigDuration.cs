using System.Globalization;

namespace StreamShield.Runtime.Execution;

/// <summary>
/// Durations in configuration values, as Flink writes them: a number and a unit, with or without a space
/// (<c>500ms</c>, <c>10 s</c>, <c>1min</c>, <c>2m</c>, <c>1h</c>); a bare number is milliseconds.
/// </summary>
internal static class ConfigDuration
{
    private static readonly (string Unit, double Ms)[] Units =
    [
        ("ms", 1), ("milli", 1), ("millis", 1), ("milliseconds", 1),
        ("s", 1000), ("sec", 1000), ("secs", 1000), ("second", 1000), ("seconds", 1000),
        ("m", 60_000), ("min", 60_000), ("mins", 60_000), ("minute", 60_000), ("minutes", 60_000),
        ("h", 3_600_000), ("hour", 3_600_000), ("hours", 3_600_000),
        ("d", 86_400_000), ("day", 86_400_000), ("days", 86_400_000),
    ];

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var t = text.Trim().ToLowerInvariant();
        var split = 0;
        while (split < t.Length && (char.IsDigit(t[split]) || t[split] == '.')) split++;
        if (!double.TryParse(t[..split], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0) return false;
        var unit = t[split..].Trim();
        var ms = unit.Length == 0 ? 1 : Array.Find(Units, u => u.Unit == unit).Ms;
        if (ms == 0) return false;
        value = TimeSpan.FromMilliseconds(number * ms);
        return true;
    }
}
