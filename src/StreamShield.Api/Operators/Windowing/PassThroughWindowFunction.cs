using StreamShield.Functions;
using StreamShield.Windowing;

namespace StreamShield.Operators.Windowing;

/// <summary>Emits the window's reduced or aggregated value as the result.</summary>
internal sealed class PassThroughWindowFunction<T, TKey> : InternalWindowFunction<T, T, TKey>
{
    public static readonly PassThroughWindowFunction<T, TKey> Instance = new();

    public override void Process(TKey key, TimeWindow window, InternalWindowContext context, T contents, ICollector<T> output) =>
        output.Collect(contents);
}
