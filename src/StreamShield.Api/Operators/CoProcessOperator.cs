using StreamShield.Functions;
using StreamShield.State.Internal;

namespace StreamShield.Operators;

/// <summary>
/// Runs a <see cref="CoProcessFunction{TIn1,TIn2,TOut}"/>. With key selectors it is keyed (state and timers per
/// key, shared by both inputs); without, it is a plain two-input function.
/// </summary>
internal sealed class CoProcessOperator<TKey, TIn1, TIn2, TOut>(
    CoProcessFunction<TIn1, TIn2, TOut> function, Func<TIn1, TKey>? key1, Func<TIn2, TKey>? key2)
    : TwoInputStreamOperator<TIn1, TIn2, TOut>, ITimerTarget<TKey, VoidNamespace>
{
    private IKeyedStateBackend<TKey>? _backend;
    private IInternalTimerService<VoidNamespace>? _timers;
    private TimestampedCollector<TOut> _collector = null!;
    private Ctx _ctx = null!;

    public override void InitializeState(bool isRestored)
    {
        if (key1 is not null)
        {
            _backend = Context.Keyed<TKey>();
            _timers = _backend.GetTimerService("user-timers", VoidNamespaceSerializer.Instance, this);
            FunctionLifecycle.Initialize(function, this, new KeyedRuntimeContext<TKey>(Context), isRestored);
        }
        else
        {
            FunctionLifecycle.Initialize(function, this, new StreamingRuntimeContext(Context), isRestored);
        }
    }

    public override void Open()
    {
        _collector = new TimestampedCollector<TOut>(Output);
        _ctx = new Ctx(this);
        FunctionLifecycle.Open(function, this);
    }

    public override void Close() => FunctionLifecycle.Close(function, this);
    public override void SnapshotState(long checkpointId) => FunctionLifecycle.Snapshot(function, this, checkpointId);

    public override void ProcessElement1(TIn1 value, long timestamp)
    {
        try
        {
            if (_backend is not null) _backend.SetCurrentKey(key1!(value));
            _collector.Timestamp = _ctx.Ts = timestamp;
            function.ProcessElement1(value, _ctx, _collector);
        }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); }
    }

    public override void ProcessElement2(TIn2 value, long timestamp)
    {
        try
        {
            if (_backend is not null) _backend.SetCurrentKey(key2!(value));
            _collector.Timestamp = _ctx.Ts = timestamp;
            function.ProcessElement2(value, _ctx, _collector);
        }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); }
    }

    protected override void OnWatermark(long watermark)
    {
        _backend?.AdvanceWatermark(watermark);
        Output.EmitWatermark(watermark);
    }

    void ITimerTarget<TKey, VoidNamespace>.OnEventTime(TKey key, VoidNamespace ns, long timestamp) => Fire(timestamp, timestamp);
    void ITimerTarget<TKey, VoidNamespace>.OnProcessingTime(TKey key, VoidNamespace ns, long timestamp) => Fire(timestamp, StreamRecord.NoTimestamp);

    private void Fire(long timer, long outputTimestamp)
    {
        _collector.Timestamp = _ctx.Ts = outputTimestamp;
        try { function.OnTimer(timer, _ctx, _collector); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); }
    }

    private sealed class Ctx(CoProcessOperator<TKey, TIn1, TIn2, TOut> op) : CoProcessFunction<TIn1, TIn2, TOut>.Context
    {
        public long Ts;
        private readonly Timers _timers = new(op);
        public override long? Timestamp => Ts == StreamRecord.NoTimestamp ? null : Ts;
        public override TimerService TimerService => _timers;
        public override void Output<T>(OutputTag<T> tag, T value) => op.Output.CollectSide(tag, value, Ts);
    }

    private sealed class Timers(CoProcessOperator<TKey, TIn1, TIn2, TOut> op) : TimerService
    {
        private IInternalTimerService<VoidNamespace> T => op._timers
            ?? throw new InvalidOperationException($"Timers need keyed inputs: use Connect(...).KeyBy(...) before Process in operator '{op.Context.OperatorName}'.");
        public override long CurrentProcessingTime => op.Context.CurrentProcessingTime;
        public override long CurrentWatermark => op.CombinedWatermark;
        public override void RegisterEventTimeTimer(long timestamp) => T.RegisterEventTimeTimer(VoidNamespace.Instance, timestamp);
        public override void RegisterProcessingTimeTimer(long timestamp) => T.RegisterProcessingTimeTimer(VoidNamespace.Instance, timestamp);
        public override void DeleteEventTimeTimer(long timestamp) => T.DeleteEventTimeTimer(VoidNamespace.Instance, timestamp);
        public override void DeleteProcessingTimeTimer(long timestamp) => T.DeleteProcessingTimeTimer(VoidNamespace.Instance, timestamp);
    }
}
