using StreamShield.Functions;

namespace StreamShield.Operators.Windowing;

/// <summary>What the window operator offers a firing window function (implemented by the operator).</summary>
internal abstract class InternalWindowContext
{
    public abstract long CurrentWatermark { get; }

    public abstract long CurrentProcessingTime { get; }

    /// <summary>Emits to a side output with the firing window's max timestamp.</summary>
    public abstract void Output<T>(OutputTag<T> tag, T value);
}
