using StreamShield.Functions;
using StreamShield.Windowing;

namespace StreamShield.Operators.Windowing;

/// <summary>
/// Turns a fired window's contents into results: passes a pre-aggregated value through, or calls the user's
/// <see cref="ProcessWindowFunction{TIn,TOut,TKey}"/>. Flink's InternalWindowFunction.
/// </summary>
internal abstract class InternalWindowFunction<TView, TOut, TKey>
{
    /// <summary>The user function whose lifecycle (runtime context, Open, Close) the operator drives, if any.</summary>
    public virtual RichFunction? UserFunction => null;

    public abstract void Process(TKey key, TimeWindow window, InternalWindowContext context, TView contents, ICollector<TOut> output);
}
