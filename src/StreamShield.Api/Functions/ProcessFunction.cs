namespace StreamShield.Functions;

/// <summary>A low-level function over a non-keyed stream: one call per record, may emit any number of records and side outputs.</summary>
public abstract class ProcessFunction<TIn, TOut> : RichFunction
{
    /// <summary>Processes one record.</summary>
    public abstract void ProcessElement(TIn value, Context context, ICollector<TOut> output);

    /// <summary>Per-record context.</summary>
    public abstract class Context
    {
        /// <summary>The record's event timestamp, or null if it has none.</summary>
        public abstract long? Timestamp { get; }
        /// <summary>Current watermark.</summary>
        public abstract long CurrentWatermark { get; }
        /// <summary>Emits to a side output.</summary>
        public abstract void Output<T>(OutputTag<T> tag, T value);
    }
}
