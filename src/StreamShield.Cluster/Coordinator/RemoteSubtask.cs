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
    private int _state = (int)TaskState.Created;

    public SubtaskId Id { get; } = id;
    public string Name { get; } = name;
    public bool IsSource { get; } = isSource;
    public bool IsSink { get; } = isSink;
    public WorkerSession Worker { get; } = worker;
    public TaskState State => (TaskState)Volatile.Read(ref _state);

    /// <summary>
    /// Applies a reported state if it moves the subtask forward (Created, Running, DataFinished, Terminated, then
    /// Failed or Canceled); returns false for a stale report. A worker reports "running" from its heartbeat thread and
    /// "data finished" from the subtask's thread, so the two can arrive in either order: a late "running" must not
    /// undo "data finished", or the job would never see all subtasks finished and never take its final checkpoint.
    /// </summary>
    public bool Advance(TaskState reported)
    {
        while (true)
        {
            var current = Volatile.Read(ref _state);
            if ((int)reported <= current) return false;
            if (Interlocked.CompareExchange(ref _state, (int)reported, current) == current) return true;
        }
    }
    public bool CanCheckpoint => State is TaskState.Running or TaskState.DataFinished;
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
