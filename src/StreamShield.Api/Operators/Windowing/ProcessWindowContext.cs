using StreamShield.Functions;
using StreamShield.Windowing;

namespace StreamShield.Operators.Windowing;

/// <summary>The <see cref="ProcessWindowFunction{TIn,TOut,TKey}.Context"/> handed to user functions; reused across firings.</summary>
internal sealed class ProcessWindowContext<TIn, TOut, TKey> : ProcessWindowFunction<TIn, TOut, TKey>.Context
{
    public TimeWindow Current;
    public InternalWindowContext Inner = null!;

    public override TimeWindow Window => Current;
    public override long CurrentWatermark => Inner.CurrentWatermark;
    public override long CurrentProcessingTime => Inner.CurrentProcessingTime;
    public override void Output<T>(OutputTag<T> tag, T value) => Inner.Output(tag, value);
}
