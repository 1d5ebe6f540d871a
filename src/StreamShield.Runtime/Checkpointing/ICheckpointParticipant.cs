using StreamShield.Runtime.Tasks;

namespace StreamShield.Runtime.Checkpointing;

/// <summary>
/// A subtask as the <see cref="CheckpointCoordinator"/> sees it: a <see cref="StreamTask"/> in this process, or a
/// handle to a subtask running in a worker process (the cluster relays the calls over the control plane).
/// </summary>
internal interface ICheckpointParticipant
{
    SubtaskId Id { get; }

    /// <summary>Sources receive the trigger; every other subtask gets the barrier through its inputs.</summary>
    bool IsSource { get; }

    /// <summary>True while the subtask can take part in a checkpoint (running, or finished its data and waiting for the final one).</summary>
    bool CanCheckpoint { get; }

    void TriggerCheckpoint(long checkpointId);
    void NotifyCheckpointComplete(long checkpointId);
    void NotifyCheckpointAborted(long checkpointId);
}
