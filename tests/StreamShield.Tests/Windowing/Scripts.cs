namespace StreamShield.Tests.Windowing;

/// <summary>Builds <see cref="ScriptedSource{T}"/> scripts.</summary>
internal static class Scripts
{
    /// <summary>
    /// Plays <paramref name="events"/> in an order where each event is at most <paramref name="bound"/> ms out of order
    /// (sorted by timestamp plus a random delay of up to the bound), with a watermark of (largest timestamp so far -
    /// bound - 1) after a random quarter of the events. No event is ever behind a watermark.
    /// </summary>
    public static List<ScriptStep<T>> BoundedDisorder<T>(IEnumerable<(T Value, long Timestamp)> events, Random random, int bound)
    {
        var steps = new List<ScriptStep<T>>();
        var maxSeen = long.MinValue;
        foreach (var (value, ts) in events.OrderBy(e => e.Timestamp + random.Next(0, bound + 1)).ToList())
        {
            steps.Add(new ScriptStep<T>.Record(value, ts));
            maxSeen = Math.Max(maxSeen, ts);
            if (random.Next(4) == 0) steps.Add(new ScriptStep<T>.Watermark(maxSeen - bound - 1));
        }
        return steps;
    }
}
