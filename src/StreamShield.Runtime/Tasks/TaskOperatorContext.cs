using StreamShield.Operators;
using StreamShield.Runtime.State;
using StreamShield.Serialization;
using StreamShield.State;

namespace StreamShield.Runtime.Tasks;

/// <summary>The runtime's <see cref="OperatorContext"/> for one operator of a subtask's chain.</summary>
internal sealed class TaskOperatorContext(
    StreamTask task, string name, string uid, OperatorStateStore operatorState, object? keyedBackend) : OperatorContext
{
    public override string OperatorName => name;
    public override string OperatorUid => uid;
    public override int SubtaskIndex => task.Deployment.Subtask;
    public override int Parallelism => task.Deployment.Vertex.Parallelism;
    public override int MaxParallelism => task.Deployment.Vertex.MaxParallelism;
    public override int AttemptNumber => task.Owner.Attempt;
    public override string AttemptId => task.Owner.AttemptId;
    public override IOperatorStateStore OperatorState => operatorState;
    public override object? KeyedBackend => keyedBackend;
    public override long CurrentProcessingTime => task.Timers.Now;
    public override TimeProvider Clock => task.Owner.Clock;
    public override long RecordsIn => task.RecordsIn; // a source chain's input is what its source emitted
    public override void RegisterProcessingTimer(long timestamp, Action<long> callback) => task.Timers.Register(timestamp, callback);
    public override IOperatorListState<T> GetListState<T>(string name, TypeSerializer<T> serializer, bool union) => operatorState.GetListState(name, serializer, union);
}
