namespace StreamShield.Windowing;

/// <summary>
/// Base of the built-in assigners, which come in an event-time and a processing-time flavour: windows are computed
/// from the record's timestamp or from the processing time at which it arrives, otherwise identically.
/// </summary>
public abstract class TimeDomainWindowAssigner : WindowAssigner
{
    private readonly bool _eventTime;

    private protected TimeDomainWindowAssigner(bool eventTime) => _eventTime = eventTime;

    /// <inheritdoc />
    public sealed override bool IsEventTime => _eventTime;

    /// <inheritdoc />
    public sealed override IReadOnlyList<TimeWindow> AssignWindows(long timestamp, long currentProcessingTime)
    {
        var windows = new List<TimeWindow>(2);
        AssignInto(timestamp, currentProcessingTime, windows);
        return windows;
    }

    internal sealed override void AssignInto(long timestamp, long currentProcessingTime, List<TimeWindow> windows)
    {
        if (_eventTime && timestamp == long.MinValue) throw NoTimestamp(GetType().Name);
        AssignAt(_eventTime ? timestamp : currentProcessingTime, windows);
    }

    /// <summary>Adds the windows containing time <paramref name="time"/> (event or processing time).</summary>
    private protected abstract void AssignAt(long time, List<TimeWindow> windows);
}

/// <summary>Fixed-size, non-overlapping windows [start, start + size) with start ≡ offset (mod size).</summary>
public abstract class TumblingWindows : TimeDomainWindowAssigner
{
    private readonly long _size;
    private readonly long _offset;

    private protected TumblingWindows(bool eventTime, TimeSpan size, TimeSpan offset, string name) : base(eventTime)
    {
        _size = PositiveMillis(size, name, nameof(size));
        _offset = Millis(offset);
        if (Math.Abs(_offset) >= _size) throw new ArgumentException($"{name} parameters must satisfy abs(offset) < size.", nameof(offset));
    }

    /// <summary>The window length.</summary>
    public TimeSpan Size => TimeSpan.FromMilliseconds(_size);

    /// <summary>The alignment offset.</summary>
    public TimeSpan Offset => TimeSpan.FromMilliseconds(_offset);

    private protected override void AssignAt(long time, List<TimeWindow> windows)
    {
        var start = TimeWindow.GetWindowStartWithOffset(time, _offset, _size);
        windows.Add(new TimeWindow(start, start + _size));
    }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name}({_size})";
}

/// <summary>Fixed-size windows that start every <c>slide</c>: each time belongs to size/slide (rounded up) windows.</summary>
public abstract class SlidingWindows : TimeDomainWindowAssigner
{
    private readonly long _size;
    private readonly long _slide;
    private readonly long _offset;

    private protected SlidingWindows(bool eventTime, TimeSpan size, TimeSpan slide, TimeSpan offset, string name) : base(eventTime)
    {
        _size = PositiveMillis(size, name, nameof(size));
        _slide = PositiveMillis(slide, name, nameof(slide));
        _offset = Millis(offset);
        if (Math.Abs(_offset) >= _slide) throw new ArgumentException($"{name} parameters must satisfy abs(offset) < slide and size > 0.", nameof(offset));
    }

    /// <summary>The window length.</summary>
    public TimeSpan Size => TimeSpan.FromMilliseconds(_size);

    /// <summary>The distance between window starts.</summary>
    public TimeSpan Slide => TimeSpan.FromMilliseconds(_slide);

    /// <summary>The alignment offset.</summary>
    public TimeSpan Offset => TimeSpan.FromMilliseconds(_offset);

    private protected override void AssignAt(long time, List<TimeWindow> windows)
    {
        var lastStart = TimeWindow.GetWindowStartWithOffset(time, _offset, _slide);
        for (var start = lastStart; start > time - _size; start -= _slide)
            windows.Add(new TimeWindow(start, start + _size));
    }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name}({_size}, {_slide})";
}

/// <summary>Session windows: each time t opens [t, t + gap), and a key's intersecting windows merge.</summary>
public abstract class SessionWindows : TimeDomainWindowAssigner
{
    private readonly long _gap;

    private protected SessionWindows(bool eventTime, TimeSpan gap, string name) : base(eventTime) => _gap = PositiveMillis(gap, name, nameof(gap));

    /// <summary>The inactivity gap that ends a session.</summary>
    public TimeSpan Gap => TimeSpan.FromMilliseconds(_gap);

    /// <inheritdoc />
    public sealed override bool IsMerging => true;

    private protected override void AssignAt(long time, List<TimeWindow> windows) => windows.Add(new TimeWindow(time, time + _gap));

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name}({_gap})";
}
