namespace StreamShield.Operators;

/// <summary>
/// An operator with two inputs (connect, joins). Its watermark is the minimum of both inputs' watermarks.
/// </summary>
internal abstract class TwoInputStreamOperator<TIn1, TIn2, TOut> : StreamOperator
{
    private IOutput<TOut>? _output;
    private long _watermark1 = long.MinValue;
    private long _watermark2 = long.MinValue;
    private long _combined = long.MinValue;

    protected IOutput<TOut> Output => _output!;

    internal void SetOutput(IOutput<TOut> output) => _output = output;

    internal override void SetOutputObject(object output) => _output = (IOutput<TOut>)output;

    internal override object GetInput(int index) => index switch
    {
        0 => new Input1(this),
        1 => new Input2(this),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    private sealed class Input1(TwoInputStreamOperator<TIn1, TIn2, TOut> op) : IOutput<TIn1>
    {
        public void Collect(TIn1 value, long timestamp) => op.ProcessElement1(value, timestamp);
        public void EmitWatermark(long watermark) => op.ProcessWatermark1(watermark);
        public void EmitWatermarkStatus(bool idle) => op.ProcessWatermarkStatus(0, idle);
        public void CollectSide<TSide>(Functions.OutputTag<TSide> tag, TSide value, long timestamp) { }
    }

    private sealed class Input2(TwoInputStreamOperator<TIn1, TIn2, TOut> op) : IOutput<TIn2>
    {
        public void Collect(TIn2 value, long timestamp) => op.ProcessElement2(value, timestamp);
        public void EmitWatermark(long watermark) => op.ProcessWatermark2(watermark);
        public void EmitWatermarkStatus(bool idle) => op.ProcessWatermarkStatus(1, idle);
        public void CollectSide<TSide>(Functions.OutputTag<TSide> tag, TSide value, long timestamp) { }
    }

    /// <summary>The operator's current combined watermark.</summary>
    protected long CombinedWatermark => _combined;

    public abstract void ProcessElement1(TIn1 value, long timestamp);

    public abstract void ProcessElement2(TIn2 value, long timestamp);

    private bool _idle1;
    private bool _idle2;

    public void ProcessWatermark1(long watermark) { _watermark1 = Math.Max(_watermark1, watermark); Advance(); }

    public void ProcessWatermark2(long watermark) { _watermark2 = Math.Max(_watermark2, watermark); Advance(); }

    /// <summary>An idle input does not hold back the combined watermark.</summary>
    public void ProcessWatermarkStatus(int input, bool idle)
    {
        if (input == 0) _idle1 = idle; else _idle2 = idle;
        Advance();
    }

    private void Advance()
    {
        if (_idle1 && _idle2) return;
        var min = _idle1 ? _watermark2 : _idle2 ? _watermark1 : Math.Min(_watermark1, _watermark2);
        if (min > _combined)
        {
            _combined = min;
            OnWatermark(min);
        }
    }

    /// <summary>The combined watermark advanced. Default: forward it.</summary>
    protected virtual void OnWatermark(long watermark) => Output.EmitWatermark(watermark);
}
