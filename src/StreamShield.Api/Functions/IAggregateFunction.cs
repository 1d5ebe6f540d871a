namespace StreamShield.Functions;

/// <summary>
/// An incremental aggregation: Flink's AggregateFunction. Accumulators are kept in state, so they must be
/// serializable; <see cref="Add"/> may return the same (mutated) accumulator or a new one.
/// </summary>
public interface IAggregateFunction<in TIn, TAcc, out TOut>
{
    /// <summary>A fresh accumulator.</summary>
    TAcc CreateAccumulator();
    /// <summary>Adds one value to an accumulator.</summary>
    TAcc Add(TIn value, TAcc accumulator);
    /// <summary>The result of an accumulator.</summary>
    TOut GetResult(TAcc accumulator);
    /// <summary>Merges two accumulators (session windows merge).</summary>
    TAcc Merge(TAcc a, TAcc b);
}
