namespace StreamShield;

public sealed partial class KeyedStream<T, TKey>
{
    /// <summary>
    /// Starts an interval join with <paramref name="other"/> (keyed the same way): each record of this stream joins the
    /// other's records with an equal key whose timestamps lie within bounds of its own, set with
    /// <see cref="IntervalJoin{T1,T2,TKey}.Between"/>. Event time only.
    /// </summary>
    public IntervalJoin<T, T2, TKey> IntervalJoin<T2>(KeyedStream<T2, TKey> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Environment != Environment)
            throw new JobBuildException("IntervalJoin: both streams must belong to the same StreamEnvironment.");
        return new IntervalJoin<T, T2, TKey>(this, other);
    }
}
