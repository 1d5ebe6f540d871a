using StreamShield.Functions;
using StreamShield.Graph;
using StreamShield.Operators;
using StreamShield.Operators.Join;

namespace StreamShield;

/// <summary>
/// An interval join with its bounds set; <see cref="Process{TOut}"/> adds it to the job. Flink's IntervalJoined.
/// </summary>
/// <remarks>
/// Each side's records are buffered in keyed state by timestamp until no record of the other side can still join them
/// (the watermark passed their timestamp plus the relevant bound); records behind the watermark on arrival are late and
/// dropped (or sent to a side output). State is proportional to the records within the bounds of the watermark.
/// </remarks>
public sealed class IntervalJoined<T1, T2, TKey>
{
    private readonly KeyedStream<T1, TKey> _left;
    private readonly KeyedStream<T2, TKey> _right;
    private readonly long _lowerBound;
    private readonly long _upperBound;
    private bool _lowerBoundInclusive = true;
    private bool _upperBoundInclusive = true;
    private OutputTag<T1>? _leftLateDataTag;
    private OutputTag<T2>? _rightLateDataTag;

    internal IntervalJoined(KeyedStream<T1, TKey> left, KeyedStream<T2, TKey> right, long lowerBound, long upperBound)
    {
        _left = left;
        _right = right;
        _lowerBound = lowerBound;
        _upperBound = upperBound;
    }

    /// <summary>Excludes the lower bound: right timestamps must be greater than t + lowerBound.</summary>
    public IntervalJoined<T1, T2, TKey> LowerBoundExclusive()
    {
        _lowerBoundInclusive = false;
        return this;
    }

    /// <summary>Excludes the upper bound: right timestamps must be less than t + upperBound.</summary>
    public IntervalJoined<T1, T2, TKey> UpperBoundExclusive()
    {
        _upperBoundInclusive = false;
        return this;
    }

    /// <summary>Sends left records that arrive behind the watermark to <paramref name="tag"/> instead of dropping them.</summary>
    public IntervalJoined<T1, T2, TKey> SideOutputLeftLateData(OutputTag<T1> tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        _leftLateDataTag = tag;
        return this;
    }

    /// <summary>Sends right records that arrive behind the watermark to <paramref name="tag"/> instead of dropping them.</summary>
    public IntervalJoined<T1, T2, TKey> SideOutputRightLateData(OutputTag<T2> tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        _rightLateDataTag = tag;
        return this;
    }

    /// <summary>Calls <paramref name="function"/> for every joined pair.</summary>
    public DataStream<TOut> Process<TOut>(ProcessJoinFunction<T1, T2, TOut> function, string name = "IntervalJoin")
    {
        ArgumentNullException.ThrowIfNull(function);
        var env = _left.Environment;
        var key1 = _left.Key.Selector;
        var key2 = _right.Key.Selector;
        var lower = _lowerBoundInclusive ? _lowerBound : _lowerBound + 1;
        var upper = _upperBoundInclusive ? _upperBound : _upperBound - 1;
        var leftTag = _leftLateDataTag;
        var rightTag = _rightLateDataTag;
        return new DataStream<TOut>(env, new OperatorTransformation(env, name, StreamType<TOut>.Instance,
            [_left.Transformation, _right.Transformation],
            () => new IntervalJoinOperator<TKey, T1, T2, TOut>(FunctionCopy.Of(function), key1, key2, lower, upper, leftTag, rightTag),
            _left.Key));
    }
}
