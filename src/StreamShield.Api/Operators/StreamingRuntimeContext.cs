using StreamShield.Functions;
using StreamShield.State;
using StreamShield.State.Internal;

namespace StreamShield.Operators;

/// <summary>The <see cref="RuntimeContext"/> of functions in non-keyed operators: keyed state is refused with a clear message.</summary>
internal class StreamingRuntimeContext(OperatorContext context) : RuntimeContext
{
    protected OperatorContext Operator { get; } = context;

    public override string OperatorName => Operator.OperatorName;
    public override int SubtaskIndex => Operator.SubtaskIndex;
    public override int Parallelism => Operator.Parallelism;
    public override int AttemptNumber => Operator.AttemptNumber;

    private Exception NotKeyed(StateDescriptor d) => new InvalidOperationException(
        $"Operator '{OperatorName}' asked for keyed state '{d.Name}', but its input is not keyed. Call KeyBy(...) before this operator, or use operator state (ICheckpointedFunction).");

    public override IValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor) => throw NotKeyed(descriptor);
    public override IListState<T> GetListState<T>(ListStateDescriptor<T> descriptor) => throw NotKeyed(descriptor);
    public override IMapState<TK, TV> GetMapState<TK, TV>(MapStateDescriptor<TK, TV> descriptor) => throw NotKeyed(descriptor);
    public override IReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor) => throw NotKeyed(descriptor);
    public override IAggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> descriptor) => throw NotKeyed(descriptor);
}

/// <summary>The <see cref="RuntimeContext"/> of functions in keyed operators: state scoped to the current key.</summary>
internal sealed class KeyedRuntimeContext<TKey>(OperatorContext context) : StreamingRuntimeContext(context)
{
    private readonly KeyedStateFactory<TKey, VoidNamespace> _factory = new(
        context.Keyed<TKey>(), VoidNamespaceSerializer.Instance, () => context.CurrentProcessingTime);
    private readonly Dictionary<string, object> _handles = new(StringComparer.Ordinal);

    private THandle Get<THandle>(StateDescriptor d, Func<THandle> create) where THandle : class
    {
        if (_handles.TryGetValue(d.Name, out var existing))
            return existing as THandle ?? throw new InvalidOperationException($"State '{d.Name}' of operator '{OperatorName}' was already registered with another kind or type.");
        var handle = create();
        _handles[d.Name] = handle;
        return handle;
    }

    public override IValueState<T> GetState<T>(ValueStateDescriptor<T> d) => Get(d, () => _factory.Value(d));
    public override IListState<T> GetListState<T>(ListStateDescriptor<T> d) => Get(d, () => _factory.List(d));
    public override IMapState<TK, TV> GetMapState<TK, TV>(MapStateDescriptor<TK, TV> d) => Get(d, () => _factory.Map(d));
    public override IReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> d) => Get(d, () => _factory.Reducing(d));
    public override IAggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> d) => Get(d, () => _factory.Aggregating(d));
}
