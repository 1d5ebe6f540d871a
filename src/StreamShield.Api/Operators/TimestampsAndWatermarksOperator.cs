using StreamShield.EventTime;

namespace StreamShield.Operators;

/// <summary>
/// Assigns timestamps and generates watermarks mid-pipeline. Watermarks from upstream are swallowed (except the
/// final one), as in Flink: this operator's generator is the stream's source of event-time progress from here on.
/// </summary>
internal sealed class TimestampsAndWatermarksOperator<T>(WatermarkStrategy<T> strategy, TimeSpan interval) : OneInputStreamOperator<T, T>
{
    private WatermarkGenerator<T>? _generator;
    private long _lastEmitted = long.MinValue;

    public override void Open()
    {
        _generator = strategy.GeneratorFactory?.Invoke();
        if (_generator is not null)
            Context.RegisterProcessingTimer(Context.CurrentProcessingTime + (long)interval.TotalMilliseconds, OnTimer);
    }

    public override void ProcessElement(T value, long timestamp)
    {
        if (strategy.TimestampAssigner is { } assign)
        {
            try { timestamp = assign(value); }
            catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); }
        }
        if (timestamp != StreamRecord.NoTimestamp) _generator?.OnEvent(value, timestamp);
        Output.Collect(value, timestamp);
    }

    private void OnTimer(long now)
    {
        Emit(_generator!.CurrentWatermark);
        Context.RegisterProcessingTimer(now + (long)interval.TotalMilliseconds, OnTimer);
    }

    private void Emit(long watermark)
    {
        if (watermark <= _lastEmitted) return;
        _lastEmitted = watermark;
        Output.EmitWatermark(watermark);
    }

    public override void ProcessWatermark(long watermark)
    {
        if (watermark == Watermark.Max) Emit(Watermark.Max);
    }

    public override void Finish()
    {
        if (_generator is not null) Emit(_generator.CurrentWatermark);
    }
}
