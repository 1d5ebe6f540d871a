using StreamShield.State;
using StreamShield.State.Internal;

namespace StreamShield.Operators;

/// <summary>
/// What the runtime gives an operator: identity, clocks, operator state, and (for keyed operators) the keyed
/// state backend. Implemented by the runtime.
/// </summary>
internal abstract class OperatorContext
{
    public abstract string OperatorName { get; }
    public abstract string OperatorUid { get; }
    public abstract int SubtaskIndex { get; }
    public abstract int Parallelism { get; }
    public abstract int MaxParallelism { get; }
    public abstract int AttemptNumber { get; }

    /// <summary>Unique to this attempt of this run of the job (attempt numbers restart at 0 when a job is restored from a savepoint).</summary>
    public virtual string AttemptId => $"a{AttemptNumber}";

    /// <summary>Operator (non-keyed) state of this subtask.</summary>
    public abstract IOperatorStateStore OperatorState { get; }

    /// <summary>The keyed state backend, or null for non-keyed operators. Its key type is the operator's key type.</summary>
    public abstract object? KeyedBackend { get; }

    /// <summary>The job's clock (processing time goes through it, so tests can inject a fake one).</summary>
    public abstract TimeProvider Clock { get; }

    /// <summary>Current processing time (epoch ms) from the runtime's clock.</summary>
    public abstract long CurrentProcessingTime { get; }

    /// <summary>Runs <paramref name="callback"/> on the subtask thread at (or soon after) processing time <paramref name="timestamp"/>.</summary>
    public abstract void RegisterProcessingTimer(long timestamp, Action<long> callback);

    /// <summary>Records processed successfully so far on this subtask's input (for error messages naming the record's position).</summary>
    public abstract long RecordsIn { get; }

    /// <summary>Operator list state with an explicit serializer (split or union redistribution on restore).</summary>
    public abstract IOperatorListState<T> GetListState<T>(string name, Serialization.TypeSerializer<T> serializer, bool union);

    public IKeyedStateBackend<TKey> Keyed<TKey>() =>
        KeyedBackend as IKeyedStateBackend<TKey>
        ?? throw new InvalidOperationException($"Operator '{OperatorName}' uses keyed state or timers but its input is not keyed by {typeof(TKey).Name}. Call KeyBy(...) before it.");
}
