using StreamShield.Functions;
using StreamShield.State.Internal;

namespace StreamShield.Operators;

/// <summary>Runs a <see cref="KeyedProcessFunction{TKey,TIn,TOut}"/>: keyed state and timers per key.</summary>
internal sealed class KeyedProcessOperator<TKey, TIn, TOut>(KeyedProcessFunction<TKey, TIn, TOut> function, Func<TIn, TKey> keySelector)
    : OneInputStreamOperator<TIn, TOut>, ITimerTarget<TKey, VoidNamespace>
{
    private IKeyedStateBackend<TKey> _backend = null!;
    private IInternalTimerService<VoidNamespace> _timers = null!;
    private TimestampedCollector<TOut> _collector = null!;
    private Ctx _ctx = null!;

    public override void InitializeState(bool isRestored)
    {
        _backend = Context.Keyed<TKey>();
        _timers = _backend.GetTimerService("user-timers", VoidNamespaceSerializer.Instance, this);
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

    public override void ProcessElement(TIn value, long timestamp)
    {
        TKey key;
        try { key = keySelector(value); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); throw; }
        _backend.SetCurrentKey(key);
        _collector.Timestamp = timestamp;
        _ctx.Ts = timestamp;
        try { function.ProcessElement(value, _ctx, _collector); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); }
    }

    public override void ProcessWatermark(long watermark)
    {
        _backend.AdvanceWatermark(watermark);
        Output.EmitWatermark(watermark);
    }

    void ITimerTarget<TKey, VoidNamespace>.OnEventTime(TKey key, VoidNamespace ns, long timestamp) => Fire(timestamp, TimeDomain.EventTime);

    void ITimerTarget<TKey, VoidNamespace>.OnProcessingTime(TKey key, VoidNamespace ns, long timestamp) => Fire(timestamp, TimeDomain.ProcessingTime);

    private void Fire(long timestamp, TimeDomain domain)
    {
        _collector.Timestamp = domain == TimeDomain.EventTime ? timestamp : StreamRecord.NoTimestamp;
        _ctx.Ts = _collector.Timestamp;
        _ctx.Domain = domain;
        try { function.OnTimer(timestamp, _ctx, _collector); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); }
    }

    private sealed class Ctx(KeyedProcessOperator<TKey, TIn, TOut> op) : KeyedProcessFunction<TKey, TIn, TOut>.OnTimerContext
    {
        public long Ts;
        public TimeDomain Domain;
        private readonly Timers _timers = new(op);

        public override long? Timestamp => Ts == StreamRecord.NoTimestamp ? null : Ts;
        public override TKey CurrentKey => op._backend.CurrentKey;
        public override TimerService TimerService => _timers;
        public override TimeDomain TimeDomain => Domain;
        public override void Output<T>(OutputTag<T> tag, T value) => op.Output.CollectSide(tag, value, Ts);
    }

    private sealed class Timers(KeyedProcessOperator<TKey, TIn, TOut> op) : TimerService
    {
        public override long CurrentProcessingTime => op._timers.CurrentProcessingTime;
        public override long CurrentWatermark => op._timers.CurrentWatermark;
        public override void RegisterEventTimeTimer(long timestamp) => op._timers.RegisterEventTimeTimer(VoidNamespace.Instance, timestamp);
        public override void RegisterProcessingTimeTimer(long timestamp) => op._timers.RegisterProcessingTimeTimer(VoidNamespace.Instance, timestamp);
        public override void DeleteEventTimeTimer(long timestamp) => op._timers.DeleteEventTimeTimer(VoidNamespace.Instance, timestamp);
        public override void DeleteProcessingTimeTimer(long timestamp) => op._timers.DeleteProcessingTimeTimer(VoidNamespace.Instance, timestamp);
    }
}
