namespace StreamShield;

public partial class DataStream<T>
{
    /// <summary>
    /// Starts a window join with <paramref name="other"/>:
    /// <c>a.Join(b).Where(x =&gt; x.Id).EqualTo(y =&gt; y.Id).Window(TumblingEventTimeWindows.Of(...)).Apply((x, y) =&gt; ...)</c>
    /// emits one result for every pair of records with equal keys in the same window (an inner join).
    /// </summary>
    public JoinedStreams<T, T2> Join<T2>(DataStream<T2> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new JoinedStreams<T, T2>(this, other);
    }
}
