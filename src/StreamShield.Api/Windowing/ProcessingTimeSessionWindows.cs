namespace StreamShield.Windowing;

/// <summary>
/// Session windows in processing time: each record arriving at processing time t opens the window [t, t + gap), and
/// windows of a key that intersect merge, so a session ends after a gap of inactivity. Flink's ProcessingTimeSessionWindows.
/// </summary>
/// <example><c>keyed.Window(ProcessingTimeSessionWindows.WithGap(TimeSpan.FromMinutes(30)))</c></example>
public sealed class ProcessingTimeSessionWindows : SessionWindows
{
    private ProcessingTimeSessionWindows(TimeSpan gap) : base(false, gap, nameof(ProcessingTimeSessionWindows)) { }

    /// <summary>Sessions that end after <paramref name="gap"/> without records for the key.</summary>
    public static ProcessingTimeSessionWindows WithGap(TimeSpan gap) => new(gap);
}
