namespace StreamShield.Windowing;

/// <summary>Adapts a record-independent <see cref="WindowAssigner"/> to records of type <typeparamref name="T"/>.</summary>
internal sealed class ElementAgnosticWindowAssigner<T>(WindowAssigner inner) : WindowAssigner<T>
{
    public WindowAssigner Inner { get; } = inner;

    public override IReadOnlyList<TimeWindow> AssignWindows(T element, long timestamp, long currentProcessingTime) =>
        Inner.AssignWindows(timestamp, currentProcessingTime);

    internal override void AssignInto(T element, long timestamp, long currentProcessingTime, List<TimeWindow> windows) =>
        Inner.AssignInto(timestamp, currentProcessingTime, windows);

    public override bool IsEventTime => Inner.IsEventTime;

    public override bool IsMerging => Inner.IsMerging;

    public override string? ToString() => Inner.ToString();
}
