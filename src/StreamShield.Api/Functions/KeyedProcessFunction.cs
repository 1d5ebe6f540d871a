namespace StreamShield.Functions;

/// <summary>
/// A low-level function over a keyed stream with keyed state and timers: Flink's KeyedProcessFunction.
/// State handles obtained from <see cref="RichFunction.RuntimeContext"/> are scoped to the current key.
/// </summary>
public abstract class KeyedProcessFunction<TKey, TIn, TOut> : RichFunction
{
    /// <summary>Processes one record; the current key is the record's key.</summary>
    public abstract void ProcessElement(TIn value, Context context, ICollector<TOut> output);

    /// <summary>Called when a timer registered for the context's current key fires.</summary>
    public virtual void OnTimer(long timestamp, OnTimerContext context, ICollector<TOut> output) { }

    /// <summary>Per-record context.</summary>
    public abstract class Context
    {
        /// <summary>The record's event timestamp, or null if it has none.</summary>
        public abstract long? Timestamp { get; }
        /// <summary>The key of the record being processed.</summary>
        public abstract TKey CurrentKey { get; }
        /// <summary>Timers of the current key.</summary>
        public abstract TimerService TimerService { get; }
        /// <summary>Emits to a side output.</summary>
        public abstract void Output<T>(OutputTag<T> tag, T value);
    }

    /// <summary>Context of a firing timer.</summary>
    public abstract class OnTimerContext : Context
    {
        /// <summary>Which clock fired the timer.</summary>
        public abstract TimeDomain TimeDomain { get; }
    }
}
