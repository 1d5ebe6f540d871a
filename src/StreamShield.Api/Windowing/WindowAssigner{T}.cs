namespace StreamShield.Windowing;

/// <summary>
/// Assigns each record of a keyed stream to zero or more <see cref="TimeWindow"/>s: Flink's WindowAssigner. Derive from
/// this for assigners that look at the record itself; assigners that need only the timestamp derive from
/// <see cref="WindowAssigner"/>, which converts implicitly to this type. Instances must be immutable: one instance serves
/// every parallel subtask.
/// </summary>
/// <typeparam name="T">Type of the records.</typeparam>
public abstract class WindowAssigner<T>
{
    /// <summary>
    /// The windows <paramref name="element"/> (with event timestamp <paramref name="timestamp"/>, or long.MinValue if it has
    /// none) belongs to, when the processing-time clock reads <paramref name="currentProcessingTime"/>. Called once per
    /// record on the subtask's thread; must be deterministic.
    /// </summary>
    public abstract IReadOnlyList<TimeWindow> AssignWindows(T element, long timestamp, long currentProcessingTime);

    /// <summary>True if windows are in event time (fire on watermarks), false for processing time (fire on the clock).</summary>
    public abstract bool IsEventTime { get; }

    /// <summary>
    /// True if windows merge (session windows): windows of one key that intersect are combined into their cover and their
    /// contents merged (reduce, <see cref="Functions.IAggregateFunction{TIn,TAcc,TOut}.Merge"/>, or list concatenation).
    /// </summary>
    public virtual bool IsMerging => false;

    /// <summary>Adds the record's windows to <paramref name="windows"/>; overridden to avoid allocating per record.</summary>
    internal virtual void AssignInto(T element, long timestamp, long currentProcessingTime, List<TimeWindow> windows) =>
        windows.AddRange(AssignWindows(element, timestamp, currentProcessingTime));

    /// <summary>Uses a record-independent assigner (all built-ins) for records of type <typeparamref name="T"/>.</summary>
    public static implicit operator WindowAssigner<T>(WindowAssigner assigner) =>
        new ElementAgnosticWindowAssigner<T>(assigner ?? throw new ArgumentNullException(nameof(assigner)));
}
