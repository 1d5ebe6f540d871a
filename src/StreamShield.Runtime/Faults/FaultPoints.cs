namespace StreamShield.Runtime.Faults;

/// <summary>The named fault-injection points of the runtime (DESIGN foundation 4).</summary>
public static class FaultPoints
{
    /// <summary>A subtask about to process an input buffer or a source batch.</summary>
    public const string TaskProcess = "task.process";
    /// <summary>A subtask taking the synchronous part of its checkpoint snapshot.</summary>
    public const string TaskCheckpoint = "task.checkpoint";
    /// <summary>The asynchronous part of a snapshot, writing keyed state.</summary>
    public const string StateSnapshot = "state.snapshot";
    /// <summary>Checkpoint storage creating a state file.</summary>
    public const string StorageWrite = "storage.write";
    /// <summary>Checkpoint storage writing the metadata that completes a checkpoint.</summary>
    public const string StorageFinalize = "storage.finalize";
    /// <summary>A record writer sending a buffer into a channel.</summary>
    public const string ChannelSend = "channel.send";

    /// <summary>All points.</summary>
    public static readonly IReadOnlyList<string> All = [TaskProcess, TaskCheckpoint, StateSnapshot, StorageWrite, StorageFinalize, ChannelSend];
}
