using StreamShield.Functions;
using StreamShield.State;
using StreamShield.State.Internal;
using StreamShield.Windowing;

namespace StreamShield.Operators.Windowing;

/// <summary>Window contents kept as an aggregate accumulator per window; firing reads the aggregate's result.</summary>
internal sealed class AggregatingWindowContents<TIn, TAcc, TOut>(IAggregateFunction<TIn, TAcc, TOut> aggregate) : WindowContents<TIn, TOut>
{
    private AggregatingStateHandle<TimeWindow, TIn, TAcc, TOut> _state = null!;

    public override void Initialize<TKey>(KeyedStateFactory<TKey, TimeWindow> factory) =>
        _state = factory.Aggregating(new AggregatingStateDescriptor<TIn, TAcc, TOut>(StateName, aggregate));

    public override TimeWindow Window { set => _state.Namespace = value; }

    public override void Add(TIn value) => _state.Add(value);

    public override bool TryGet(out TOut contents)
    {
        if (_state.TryGetAccumulator(out var accumulator))
        {
            contents = aggregate.GetResult(accumulator);
            return true;
        }
        contents = default!;
        return false;
    }

    public override void Clear() => _state.Clear();

    public override void Merge(TimeWindow target, IReadOnlyList<TimeWindow> sources)
    {
        var merged = default(TAcc)!;
        var any = false;
        foreach (var source in sources)
        {
            _state.Namespace = source;
            if (!_state.TryGetAccumulator(out var accumulator)) continue;
            _state.Clear();
            merged = any ? aggregate.Merge(merged, accumulator) : accumulator;
            any = true;
        }
        _state.Namespace = target;
        if (!any) return;
        if (_state.TryGetAccumulator(out var existing)) merged = aggregate.Merge(existing, merged);
        _state.SetAccumulator(merged);
    }
}
