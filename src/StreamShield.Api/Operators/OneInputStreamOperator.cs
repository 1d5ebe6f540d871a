using StreamShield.Functions;

namespace StreamShield.Operators;

/// <summary>
/// An operator with one input. It is itself an <see cref="IOutput{T}"/> of its input type, so chaining is a
/// direct virtual call from one operator to the next.
/// </summary>
internal abstract class OneInputStreamOperator<TIn, TOut> : StreamOperator, IOutput<TIn>
{
    private IOutput<TOut>? _output;

    /// <summary>Where this operator emits.</summary>
    protected IOutput<TOut> Output => _output!;

    internal void SetOutput(IOutput<TOut> output) => _output = output;

    internal override void SetOutputObject(object output) => _output = (IOutput<TOut>)output;

    internal override object GetInput(int index) => index == 0 ? this : throw new ArgumentOutOfRangeException(nameof(index));

    public abstract void ProcessElement(TIn value, long timestamp);

    /// <summary>The combined input watermark advanced. Default: forward it.</summary>
    public virtual void ProcessWatermark(long watermark) => Output.EmitWatermark(watermark);

    void IOutput<TIn>.Collect(TIn value, long timestamp) => ProcessElement(value, timestamp);

    void IOutput<TIn>.EmitWatermark(long watermark) => ProcessWatermark(watermark);

    /// <summary>The input's idleness changed. Default: forward it.</summary>
    public virtual void ProcessWatermarkStatus(bool idle) => Output.EmitWatermarkStatus(idle);

    void IOutput<TIn>.EmitWatermarkStatus(bool idle) => ProcessWatermarkStatus(idle);

    void IOutput<TIn>.CollectSide<TSide>(OutputTag<TSide> tag, TSide value, long timestamp) =>
        throw new InvalidOperationException("Side outputs are routed by the emitting operator's output, not into an operator.");
}
