namespace StreamShield.Functions;

/// <summary>
/// A function over two connected streams. On keyed connected streams it has keyed state and timers
/// shared by both inputs (both inputs must key the same way).
/// </summary>
public abstract class CoProcessFunction<TIn1, TIn2, TOut> : RichFunction
{
    /// <summary>Processes a record of the first input.</summary>
    public abstract void ProcessElement1(TIn1 value, Context context, ICollector<TOut> output);
    /// <summary>Processes a record of the second input.</summary>
    public abstract void ProcessElement2(TIn2 value, Context context, ICollector<TOut> output);
    /// <summary>Called when a timer fires (keyed connected streams only).</summary>
    public virtual void OnTimer(long timestamp, Context context, ICollector<TOut> output) { }

    /// <summary>Per-record context.</summary>
    public abstract class Context
    {
        /// <summary>The record's event timestamp, or null.</summary>
        public abstract long? Timestamp { get; }
        /// <summary>Timers (keyed connected streams only).</summary>
        public abstract TimerService TimerService { get; }
        /// <summary>Emits to a side output.</summary>
        public abstract void Output<T>(OutputTag<T> tag, T value);
    }
}
