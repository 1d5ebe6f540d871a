using StreamShield.Windowing;

namespace StreamShield;

public sealed partial class KeyedStream<T, TKey>
{
    /// <summary>
    /// Groups each key's records into windows (tumbling, sliding, session, in event or processing time); follow with Reduce,
    /// Aggregate or Process on the returned <see cref="WindowedStream{T,TKey}"/>. Built-in assigners such as
    /// <see cref="TumblingEventTimeWindows.Of(TimeSpan)"/> convert implicitly.
    /// </summary>
    public WindowedStream<T, TKey> Window(WindowAssigner<T> assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        return new WindowedStream<T, TKey>(this, assigner);
    }
}
