namespace StreamShield.Chaos.Runs;

/// <summary>
/// Compares committed results with the fault-free ones, each result identified by its key: lost (expected, never
/// committed), duplicated (committed more than once), wrong (committed with another value, or not expected at all).
/// </summary>
public sealed record OracleVerdict(long Expected, long Committed, long Lost, long Duplicated, long Wrong)
{
    public bool Exact => Lost == 0 && Duplicated == 0 && Wrong == 0;

    /// <summary>
    /// <paramref name="expected"/> and <paramref name="committed"/> as (key, value) pairs: a key committed with the
    /// expected value once is right; twice, one duplicate; with another value, wrong; a key never committed is lost.
    /// </summary>
    public static OracleVerdict Judge(IEnumerable<(string Key, string Value)> expected, IEnumerable<(string Key, string Value)> committed)
    {
        var want = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in expected) want[k] = v;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        long total = 0, duplicated = 0, wrong = 0;
        foreach (var (k, v) in committed)
        {
            total++;
            if (!want.TryGetValue(k, out var right) || right != v)
            {
                wrong++;
                continue;
            }
            var n = seen[k] = seen.GetValueOrDefault(k) + 1;
            if (n > 1) duplicated++;
        }
        return new OracleVerdict(want.Count, total, want.Count - seen.Count, duplicated, wrong);
    }
}
