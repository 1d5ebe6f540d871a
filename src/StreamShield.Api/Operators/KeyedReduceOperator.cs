using StreamShield.Functions;
using StreamShield.State.Internal;

namespace StreamShield.Operators;

/// <summary>A rolling reduce per key: emits the updated value for every record (Flink's KeyedStream.reduce).</summary>
internal sealed class KeyedReduceOperator<TKey, T>(Func<T, T, T> reduce, Func<T, TKey> keySelector) : OneInputStreamOperator<T, T>
{
    private IKeyedStateBackend<TKey> _backend = null!;
    private IStateTable<TKey, VoidNamespace, T> _state = null!;

    public override void InitializeState(bool isRestored)
    {
        _backend = Context.Keyed<TKey>();
        _state = _backend.GetOrCreateTable("reduce", VoidNamespaceSerializer.Instance, Serialization.TypeSerializers.For<T>());
    }

    public override void ProcessElement(T value, long timestamp)
    {
        try
        {
            _backend.SetCurrentKey(keySelector(value));
            ref var current = ref _state.GetForUpdate(VoidNamespace.Instance, out var exists);
            current = exists ? reduce(current, value) : value;
            Output.Collect(current, timestamp);
        }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); }
    }

    public override void ProcessWatermark(long watermark)
    {
        _backend.AdvanceWatermark(watermark);
        Output.EmitWatermark(watermark);
    }
}

/// <summary>A rolling aggregate per key: emits the updated result for every record.</summary>
internal sealed class KeyedAggregateOperator<TKey, TIn, TAcc, TOut>(IAggregateFunction<TIn, TAcc, TOut> aggregate, Func<TIn, TKey> keySelector)
    : OneInputStreamOperator<TIn, TOut>
{
    private IKeyedStateBackend<TKey> _backend = null!;
    private IStateTable<TKey, VoidNamespace, TAcc> _state = null!;

    public override void InitializeState(bool isRestored)
    {
        _backend = Context.Keyed<TKey>();
        _state = _backend.GetOrCreateTable("aggregate", VoidNamespaceSerializer.Instance, Serialization.TypeSerializers.For<TAcc>());
    }

    public override void ProcessElement(TIn value, long timestamp)
    {
        try
        {
            _backend.SetCurrentKey(keySelector(value));
            ref var acc = ref _state.GetForUpdate(VoidNamespace.Instance, out var exists);
            acc = aggregate.Add(value, exists ? acc : aggregate.CreateAccumulator());
            Output.Collect(aggregate.GetResult(acc), timestamp);
        }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); }
    }

    public override void ProcessWatermark(long watermark)
    {
        _backend.AdvanceWatermark(watermark);
        Output.EmitWatermark(watermark);
    }
}
