namespace StreamShield.Functions;

/// <summary>
/// Computes the results of an interval join for one matching pair: Flink's ProcessJoinFunction. Called on the subtask's
/// thread for every pair whose timestamps fit the join's bounds; emitted records carry <see cref="Context.Timestamp"/>.
/// </summary>
/// <typeparam name="T1">Type of the first (left) input.</typeparam>
/// <typeparam name="T2">Type of the second (right) input.</typeparam>
/// <typeparam name="TOut">Type of the results.</typeparam>
public abstract class ProcessJoinFunction<T1, T2, TOut> : RichFunction
{
    /// <summary>Processes one joined pair.</summary>
    public abstract void ProcessElement(T1 left, T2 right, Context context, ICollector<TOut> output);

    /// <summary>The timestamps of the pair being joined.</summary>
    public abstract class Context
    {
        /// <summary>Event timestamp of the left record.</summary>
        public abstract long LeftTimestamp { get; }

        /// <summary>Event timestamp of the right record.</summary>
        public abstract long RightTimestamp { get; }

        /// <summary>Timestamp of the results: the larger of the two.</summary>
        public abstract long Timestamp { get; }

        /// <summary>Emits to a side output, with <see cref="Timestamp"/>.</summary>
        public abstract void Output<T>(OutputTag<T> tag, T value);
    }
}
