using StreamShield.Functions;

namespace StreamShield.Windowing;

/// <summary>
/// Computes the result of one window of one key from all its elements (or, after an incremental Reduce or Aggregate,
/// from the single pre-aggregated value): Flink's ProcessWindowFunction. Called once per firing, on the subtask's
/// thread; records it emits carry the timestamp <see cref="TimeWindow.MaxTimestamp"/> of the window.
/// </summary>
/// <typeparam name="TIn">Type of the window's elements.</typeparam>
/// <typeparam name="TOut">Type of the results.</typeparam>
/// <typeparam name="TKey">Type of the key.</typeparam>
public abstract class ProcessWindowFunction<TIn, TOut, TKey> : RichFunction
{
    /// <summary>
    /// Evaluates the window. <paramref name="elements"/> is only valid during the call: copy what you keep. With
    /// Process(...) every element is buffered in state until the window is purged; prefer Reduce or Aggregate with this
    /// function when an incremental aggregate suffices.
    /// </summary>
    public abstract void Process(TKey key, Context context, IEnumerable<TIn> elements, ICollector<TOut> output);

    /// <summary>What a window function sees of the window being evaluated.</summary>
    public abstract class Context
    {
        /// <summary>The window being evaluated.</summary>
        public abstract TimeWindow Window { get; }

        /// <summary>The operator's current event-time watermark.</summary>
        public abstract long CurrentWatermark { get; }

        /// <summary>Current processing time (epoch ms) from the runtime's clock.</summary>
        public abstract long CurrentProcessingTime { get; }

        /// <summary>Emits to a side output, with the window's <see cref="TimeWindow.MaxTimestamp"/> as timestamp.</summary>
        public abstract void Output<T>(OutputTag<T> tag, T value);
    }
}
