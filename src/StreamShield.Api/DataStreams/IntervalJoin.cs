namespace StreamShield;

/// <summary>An interval join of two keyed streams being defined (<see cref="KeyedStream{T,TKey}.IntervalJoin{T2}"/>): Flink's KeyedStream.IntervalJoin.</summary>
public sealed class IntervalJoin<T1, T2, TKey>
{
    private readonly KeyedStream<T1, TKey> _left;
    private readonly KeyedStream<T2, TKey> _right;

    internal IntervalJoin(KeyedStream<T1, TKey> left, KeyedStream<T2, TKey> right)
    {
        _left = left;
        _right = right;
    }

    /// <summary>
    /// Joins a left record with timestamp t with the right records of its key whose timestamps lie in
    /// [t + <paramref name="lowerBound"/>, t + <paramref name="upperBound"/>] (inclusive; bounds may be negative).
    /// </summary>
    public IntervalJoined<T1, T2, TKey> Between(TimeSpan lowerBound, TimeSpan upperBound)
    {
        var lower = lowerBound.Ticks / TimeSpan.TicksPerMillisecond;
        var upper = upperBound.Ticks / TimeSpan.TicksPerMillisecond;
        if (lower > upper) throw new ArgumentException("IntervalJoin: lowerBound <= upperBound must be fulfilled.", nameof(lowerBound));
        return new IntervalJoined<T1, T2, TKey>(_left, _right, lower, upper);
    }
}
