namespace StreamShield.Tests.Cluster.Integration;

/// <summary>Compares a job's committed lines with its fault-free output: every expected line exactly once, nothing else.</summary>
internal static class ExactOutput
{
    /// <summary>Null if <paramref name="committed"/> is exactly <paramref name="expected"/> (as a multiset); otherwise what differs.</summary>
    public static string? Diff(IReadOnlyList<string> expected, IReadOnlyList<string> committed)
    {
        var missing = expected.Except(committed).Count();
        var duplicated = committed.Count - committed.Distinct().Count();
        var unexpected = committed.Distinct().Except(expected).Count();
        return missing == 0 && duplicated == 0 && unexpected == 0 && committed.Count == expected.Count
            ? null
            : $"committed {committed.Count} of {expected.Count}: {missing} missing, {duplicated} duplicated, {unexpected} unexpected";
    }
}
