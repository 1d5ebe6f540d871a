using StreamShield.Functions;

namespace StreamShield.Operators;

/// <summary>Runs a <see cref="ProcessFunction{TIn,TOut}"/> on a non-keyed stream.</summary>
internal sealed class ProcessOperator<TIn, TOut>(ProcessFunction<TIn, TOut> function) : OneInputStreamOperator<TIn, TOut>
{
    private TimestampedCollector<TOut> _collector = null!;
    private Ctx _ctx = null!;
    private long _watermark = long.MinValue;

    public override void InitializeState(bool isRestored) => FunctionLifecycle.Initialize(function, this, new StreamingRuntimeContext(Context), isRestored);

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
        _collector.Timestamp = timestamp;
        _ctx.Ts = timestamp;
        try { function.ProcessElement(value, _ctx, _collector); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); }
    }

    public override void ProcessWatermark(long watermark)
    {
        _watermark = watermark;
        base.ProcessWatermark(watermark);
    }

    private sealed class Ctx(ProcessOperator<TIn, TOut> op) : ProcessFunction<TIn, TOut>.Context
    {
        public long Ts;
        public override long? Timestamp => Ts == StreamRecord.NoTimestamp ? null : Ts;
        public override long CurrentWatermark => op._watermark;
        public override void Output<T>(OutputTag<T> tag, T value) => op.Output.CollectSide(tag, value, Ts);
    }
}
