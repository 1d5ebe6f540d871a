namespace StreamShield.Windowing;

/// <summary>
/// Fixed-size, non-overlapping windows in event time: a record with timestamp t belongs to the one window
/// [start, start + size) with start ≡ offset (mod size). Flink's TumblingEventTimeWindows.
/// </summary>
/// <example><c>keyed.Window(TumblingEventTimeWindows.Of(TimeSpan.FromMinutes(1)))</c></example>
public sealed class TumblingEventTimeWindows : WindowAssigner
{
    private readonly long _size;
    private readonly long _offset;

    private TumblingEventTimeWindows(long size, long offset)
    {
        _size = size;
        _offset = offset;
    }

    /// <summary>Windows of length <paramref name="size"/> aligned to the epoch.</summary>
    public static TumblingEventTimeWindows Of(TimeSpan size) => Of(size, TimeSpan.Zero);

    /// <summary>
    /// Windows of length <paramref name="size"/> shifted by <paramref name="offset"/> (|offset| &lt; size), e.g. hourly windows
    /// starting at quarter past with an offset of 15 minutes, or days in UTC-8 with an offset of -8 hours.
    /// </summary>
    public static TumblingEventTimeWindows Of(TimeSpan size, TimeSpan offset)
    {
        var s = PositiveMillis(size, nameof(TumblingEventTimeWindows), nameof(size));
        var o = Millis(offset);
        if (Math.Abs(o) >= s) throw new ArgumentException($"{nameof(TumblingEventTimeWindows)} parameters must satisfy abs(offset) < size.", nameof(offset));
        return new TumblingEventTimeWindows(s, o);
    }

    /// <summary>The window length.</summary>
    public TimeSpan Size => TimeSpan.FromMilliseconds(_size);

    /// <summary>The alignment offset.</summary>
    public TimeSpan Offset => TimeSpan.FromMilliseconds(_offset);

    /// <inheritdoc />
    public override bool IsEventTime => true;

    /// <inheritdoc />
    public override IReadOnlyList<TimeWindow> AssignWindows(long timestamp, long currentProcessingTime)
    {
        var windows = new List<TimeWindow>(1);
        AssignInto(timestamp, currentProcessingTime, windows);
        return windows;
    }

    internal override void AssignInto(long timestamp, long currentProcessingTime, List<TimeWindow> windows)
    {
        if (timestamp == long.MinValue) throw NoTimestamp(nameof(TumblingEventTimeWindows));
        var start = TimeWindow.GetWindowStartWithOffset(timestamp, _offset, _size);
        windows.Add(new TimeWindow(start, start + _size));
    }

    /// <inheritdoc />
    public override string ToString() => $"TumblingEventTimeWindows({_size})";
}
