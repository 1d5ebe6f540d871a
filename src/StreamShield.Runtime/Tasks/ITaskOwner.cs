using StreamShield.Runtime.Checkpointing;
using StreamShield.Runtime.Faults;

namespace StreamShield.Runtime.Tasks;

/// <summary>
/// What a subtask reports to and needs from the job attempt that deployed it. Calls may come from the subtask's
/// thread or from its asynchronous snapshot threads.
/// </summary>
internal interface ITaskOwner
{
    int Attempt { get; }

    /// <summary>Unique across attempts and across runs of the job (names of files and transactions derive from it).</summary>
    string AttemptId { get; }
    CheckpointingMode Mode { get; }
    TimeProvider Clock { get; }
    TimeSpan BufferTimeout { get; }
    ICheckpointStorage Storage { get; }
    FaultInjector? Faults { get; }

    /// <summary>Runs the asynchronous part of snapshots, off the subtask thread.</summary>
    void RunAsync(Action work);

    /// <summary>Where checkpoint <paramref name="checkpointId"/> writes and what it may build on (null if it is no longer pending).</summary>
    CheckpointTarget? TargetOf(long checkpointId);

    void OnTaskFailed(StreamTask task, Exception error);
    void OnCheckpointAcknowledged(StreamTask task, long checkpointId, TaskCheckpointAck ack);
    void OnCheckpointDeclined(StreamTask task, long checkpointId, Exception reason);
    void OnDataFinished(StreamTask task);
    void OnTerminated(StreamTask task);
}

/// <summary>What one subtask contributes to a checkpoint.</summary>
internal sealed record TaskCheckpointAck(IReadOnlyList<OperatorSubtaskState> States, IReadOnlyList<StateFileInfo> Files, long Bytes, TimeSpan SyncDuration, TimeSpan AsyncDuration);
