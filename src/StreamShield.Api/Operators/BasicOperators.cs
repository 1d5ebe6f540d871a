using StreamShield.Functions;

namespace StreamShield.Operators;

/// <summary>Applies a function to each record.</summary>
internal sealed class MapOperator<TIn, TOut>(Func<TIn, TOut> map) : OneInputStreamOperator<TIn, TOut>
{
    public override void ProcessElement(TIn value, long timestamp)
    {
        TOut result;
        try { result = map(value); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); throw; }
        Output.Collect(result, timestamp);
    }
}

/// <summary>Keeps the records a predicate accepts.</summary>
internal sealed class FilterOperator<T>(Func<T, bool> predicate) : OneInputStreamOperator<T, T>
{
    public override void ProcessElement(T value, long timestamp)
    {
        bool keep;
        try { keep = predicate(value); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); throw; }
        if (keep) Output.Collect(value, timestamp);
    }
}

/// <summary>Emits zero or more records per input record.</summary>
internal sealed class FlatMapOperator<TIn, TOut>(Action<TIn, ICollector<TOut>> flatMap) : OneInputStreamOperator<TIn, TOut>
{
    private TimestampedCollector<TOut> _collector = null!;

    public override void Open() => _collector = new TimestampedCollector<TOut>(Output);

    public override void ProcessElement(TIn value, long timestamp)
    {
        _collector.Timestamp = timestamp;
        try { flatMap(value, _collector); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); throw; }
    }
}
