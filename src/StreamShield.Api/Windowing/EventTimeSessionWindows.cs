namespace StreamShield.Windowing;

/// <summary>
/// Session windows in event time: each record opens the window [t, t + gap), and windows of a key that intersect merge,
/// so a session ends after a gap of inactivity. Flink's EventTimeSessionWindows.
/// </summary>
/// <example><c>keyed.Window(EventTimeSessionWindows.WithGap(TimeSpan.FromMinutes(30)))</c></example>
public sealed class EventTimeSessionWindows : WindowAssigner
{
    private readonly long _gap;

    private EventTimeSessionWindows(long gap) => _gap = gap;

    /// <summary>Sessions that close after <paramref name="gap"/> without records of the key.</summary>
    public static EventTimeSessionWindows WithGap(TimeSpan gap) =>
        new(PositiveMillis(gap, nameof(EventTimeSessionWindows), nameof(gap)));

    /// <summary>The inactivity gap that ends a session.</summary>
    public TimeSpan Gap => TimeSpan.FromMilliseconds(_gap);

    /// <inheritdoc />
    public override bool IsEventTime => true;

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
        if (timestamp == long.MinValue) throw NoTimestamp(nameof(EventTimeSessionWindows));
        windows.Add(new TimeWindow(timestamp, timestamp + _gap));
    }

    /// <inheritdoc />
    public override string ToString() => $"EventTimeSessionWindows({_gap})";
}
