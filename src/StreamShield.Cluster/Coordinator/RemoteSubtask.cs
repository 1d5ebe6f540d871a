using StreamShield.Cluster.Control;
using StreamShield.Runtime.Checkpointing;
using StreamShield.Runtime.Tasks;

namespace StreamShield.Cluster.Coordinator;

/// <summary>
/// A subtask running in a worker process, as the coordinator's <see cref="CheckpointCoordinator"/> sees it: calls
/// become control messages to its worker; its state and counters come from the worker's reports.
/// </summary>
internal sealed class RemoteSubtask(ClusterAttempt attempt, SubtaskId id, string name, bool isSource, bool isSink, WorkerSession worker) : ICheckpointParticipant
{
    private volatile TaskState _state = TaskState.Created;

    public SubtaskId Id { get; } = id;
    public string Name { get; } = name;
    public bool IsSource { get; } = isSource;
    public bool IsSink { get; } = isSink;
    public WorkerSession Worker { get; } = worker;
    public TaskState State { get => _state; set => _state = value; }
    public bool CanCheckpoint => _state is TaskState.Running or TaskState.DataFinished;
    public SubtaskMetrics? LastMetrics { get; set; }
    public long LastMetricsAt { get; set; }
    public SubtaskMetrics? PreviousMetrics { get; set; }
    public long PreviousMetricsAt { get; set; }

    public void TriggerCheckpoint(long checkpointId) => Send(ControlType.TriggerCheckpoint, checkpointId);
    public void NotifyCheckpointComplete(long checkpointId) => Send(ControlType.CheckpointComplete, checkpointId);
    public void NotifyCheckpointAborted(long checkpointId) => Send(ControlType.CheckpointAborted, checkpointId);

    private void Send(ControlType type, long checkpointId) =>
        Worker.Send(type, new SubtaskCheckpointMessage(attempt.AttemptId, Id.VertexId, Id.Subtask, checkpointId).Encode());
}
