namespace StreamShield.Windowing;

/// <summary>
/// Session windows in processing time: each record arriving at processing time t opens the window [t, t + gap), and
/// windows of a key that intersect merge, so a session ends after a gap of inactivity. Flink's ProcessingTimeSessionWindows.
/// </summary>
/// <example><c>keyed.Window(ProcessingTimeSessionWindows.WithGap(TimeSpan.FromMinutes(30)))</c></example>
public sealed class ProcessingTimeSessionWindows : WindowAssigner
{
    private readonly long _gap;

    private ProcessingTimeSessionWindows(long gap) => _gap = gap;

    /// <summary>Sessions that close after <paramref name="gap"/> without records of the key.</summary>
    public static ProcessingTimeSessionWindows WithGap(TimeSpan gap) =>
        new(PositiveMillis(gap, nameof(ProcessingTimeSessionWindows), nameof(gap)));

    /// <summary>The inactivity gap that ends a session.</summary>
    public TimeSpan Gap => TimeSpan.FromMilliseconds(_gap);

    /// <inheritdoc />
    public override bool IsEventTime => false;

    /// <inheritdoc />
    public override bool IsMerging => true;

    /// <inheritdoc />
    public override IReadOnlyList<TimeWindow> AssignWindows(long timestamp, long currentProcessingTime)
    {
        var windows = new List<TimeWindow>(1);
        AssignInto(timestamp, currentProcessingTime, windows);
        return windows;
    }

    internal override void AssignInto(long timestamp, long currentProcessingTime, List<TimeWindow> windows)
    {
        windows.Add(new TimeWindow(currentProcessingTime, currentProcessingTime + _gap));
    }

    /// <inheritdoc />
    public override string ToString() => $"ProcessingTimeSessionWindows({_gap})";
}
