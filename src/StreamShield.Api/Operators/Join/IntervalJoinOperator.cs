using StreamShield.Functions;
using StreamShield.Serialization;
using StreamShield.State;
using StreamShield.State.Internal;

namespace StreamShield.Operators.Join;

/// <summary>
/// Flink's IntervalJoinOperator: joins a left record with timestamp t and the right records of its key with timestamps in
/// [t + lowerBound, t + upperBound] (bounds already adjusted for exclusiveness), in event time.
/// </summary>
/// <remarks>
/// Each side is buffered in keyed map state, timestamp → records (namespace <see cref="VoidNamespace"/>). A new record joins
/// against the other side's buffer, is added to its own, and registers an event-time cleanup timer for when the watermark
/// guarantees that no record of the other side can still join it: t + upperBound for the left side, t - lowerBound for the
/// right (or t itself if that bound is not positive). Records with a timestamp behind the current watermark are late:
/// dropped, or sent to the side's late-data side output. A buffered bucket is copied on each insert (never mutated in
/// place, as a snapshot may share it), so many records with one timestamp cost quadratic copying.
/// </remarks>
internal sealed class IntervalJoinOperator<TKey, T1, T2, TOut>(
    ProcessJoinFunction<T1, T2, TOut> function, Func<T1, TKey> key1, Func<T2, TKey> key2, long lowerBound, long upperBound,
    OutputTag<T1>? leftLateDataTag, OutputTag<T2>? rightLateDataTag)
    : TwoInputStreamOperator<T1, T2, TOut>, ITimerTarget<TKey, IntervalJoinSide>
{
    private IKeyedStateBackend<TKey> _backend = null!;
    private IInternalTimerService<IntervalJoinSide> _timers = null!;
    private MapStateHandle<VoidNamespace, long, List<T1>> _leftBuffer = null!;
    private MapStateHandle<VoidNamespace, long, List<T2>> _rightBuffer = null!;
    private TimestampedCollector<TOut> _collector = null!;
    private Ctx _ctx = null!;

    public override void InitializeState(bool isRestored)
    {
        _backend = Context.Keyed<TKey>();
        var context = Context;
        var factory = new KeyedStateFactory<TKey, VoidNamespace>(_backend, VoidNamespaceSerializer.Instance, () => context.CurrentProcessingTime);
        _leftBuffer = factory.Map(new MapStateDescriptor<long, List<T1>>("left-buffer"));
        _rightBuffer = factory.Map(new MapStateDescriptor<long, List<T2>>("right-buffer"));
        _timers = _backend.GetTimerService("interval-join-cleanup", TypeSerializers.For<IntervalJoinSide>(), this);
        FunctionLifecycle.Initialize(function, this, new KeyedRuntimeContext<TKey>(Context), isRestored);
    }

    public override void Open()
    {
        _collector = new TimestampedCollector<TOut>(Output);
        _ctx = new Ctx(this);
        FunctionLifecycle.Open(function, this);
    }

    public override void Close() => FunctionLifecycle.Close(function, this);

    public override void SnapshotState(long checkpointId) => FunctionLifecycle.Snapshot(function, this, checkpointId);

    public override void ProcessElement1(T1 value, long timestamp)
    {
        TKey key;
        try { key = key1(value); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); throw; }
        _backend.SetCurrentKey(key);
        if (timestamp == StreamRecord.NoTimestamp) ThrowNoTimestamp("first");
        if (timestamp < _timers.CurrentWatermark)
        {
            if (leftLateDataTag is not null) Output.CollectSide(leftLateDataTag, value, timestamp);
            return;
        }

        AddToBuffer(_leftBuffer, value, timestamp);
        if (!_rightBuffer.IsEmpty)
        {
            foreach (var (rightTimestamp, rights) in _rightBuffer.Entries())
            {
                if (rightTimestamp < timestamp + lowerBound || rightTimestamp > timestamp + upperBound) continue;
                foreach (var right in rights) Join(value, right, timestamp, rightTimestamp);
            }
        }
        _timers.RegisterEventTimeTimer(IntervalJoinSide.Left, upperBound > 0 ? timestamp + upperBound : timestamp);
    }

    public override void ProcessElement2(T2 value, long timestamp)
    {
        TKey key;
        try { key = key2(value); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); throw; }
        _backend.SetCurrentKey(key);
        if (timestamp == StreamRecord.NoTimestamp) ThrowNoTimestamp("second");
        if (timestamp < _timers.CurrentWatermark)
        {
            if (rightLateDataTag is not null) Output.CollectSide(rightLateDataTag, value, timestamp);
            return;
        }

        AddToBuffer(_rightBuffer, value, timestamp);
        if (!_leftBuffer.IsEmpty)
        {
            foreach (var (leftTimestamp, lefts) in _leftBuffer.Entries())
            {
                if (leftTimestamp < timestamp - upperBound || leftTimestamp > timestamp - lowerBound) continue;
                foreach (var left in lefts) Join(left, value, leftTimestamp, timestamp);
            }
        }
        _timers.RegisterEventTimeTimer(IntervalJoinSide.Right, lowerBound < 0 ? timestamp - lowerBound : timestamp);
    }

    private static void AddToBuffer<T>(MapStateHandle<VoidNamespace, long, List<T>> buffer, T value, long timestamp)
    {
        List<T> bucket;
        if (buffer.TryGetValue(timestamp, out var existing))
        {
            bucket = new List<T>(existing.Count + 1);
            bucket.AddRange(existing);
        }
        else
        {
            bucket = new List<T>(1);
        }
        bucket.Add(value);
        buffer.Put(timestamp, bucket);
    }

    private void Join(T1 left, T2 right, long leftTimestamp, long rightTimestamp)
    {
        var timestamp = Math.Max(leftTimestamp, rightTimestamp);
        _collector.Timestamp = timestamp;
        _ctx.Left = leftTimestamp;
        _ctx.Right = rightTimestamp;
        _ctx.Result = timestamp;
        try { function.ProcessElement(left, right, _ctx, _collector); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); }
    }

    void ITimerTarget<TKey, IntervalJoinSide>.OnEventTime(TKey key, IntervalJoinSide side, long timestamp)
    {
        if (side == IntervalJoinSide.Left) _leftBuffer.Remove(upperBound <= 0 ? timestamp : timestamp - upperBound);
        else _rightBuffer.Remove(lowerBound <= 0 ? timestamp + lowerBound : timestamp);
    }

    void ITimerTarget<TKey, IntervalJoinSide>.OnProcessingTime(TKey key, IntervalJoinSide side, long timestamp) { }

    protected override void OnWatermark(long watermark)
    {
        _backend.AdvanceWatermark(watermark);
        Output.EmitWatermark(watermark);
    }

    private void ThrowNoTimestamp(string input) => throw new InvalidOperationException(
        $"Interval join '{Context.OperatorName}' got a record without an event timestamp on its {input} input. Interval joins " +
        "work in event time: call AssignTimestampsAndWatermarks(...) on both inputs (or give their sources a watermark strategy " +
        "with a timestamp assigner).");

    private sealed class Ctx(IntervalJoinOperator<TKey, T1, T2, TOut> op) : ProcessJoinFunction<T1, T2, TOut>.Context
    {
        public long Left;
        public long Right;
        public long Result;

        public override long LeftTimestamp => Left;
        public override long RightTimestamp => Right;
        public override long Timestamp => Result;
        public override void Output<T>(OutputTag<T> tag, T value) => op.Output.CollectSide(tag, value, Result);
    }
}
