namespace StreamShield.Windowing;

/// <summary>
/// Session windows in event time: each record opens the window [t, t + gap), and windows of a key that intersect merge,
/// so a session ends after a gap of inactivity. Flink's EventTimeSessionWindows.
/// </summary>
/// <example><c>keyed.Window(EventTimeSessionWindows.WithGap(TimeSpan.FromMinutes(30)))</c></example>
public sealed class EventTimeSessionWindows : SessionWindows
{
    private EventTimeSessionWindows(TimeSpan gap) : base(true, gap, nameof(EventTimeSessionWindows)) { }

    /// <summary>Sessions that end after <paramref name="gap"/> without records for the key.</summary>
    public static EventTimeSessionWindows WithGap(TimeSpan gap) => new(gap);
}
