using StreamShield.Runtime.State;

namespace StreamShield.Runtime.Checkpointing;

/// <summary>Where one operator subtask's keyed state lives: a file and each key group's byte range in it.</summary>
internal sealed record KeyedStateHandle(string FileName, KeyGroupRange Range, IReadOnlyDictionary<int, (long Offset, int Length)> KeyGroups);

/// <summary>The state one operator subtask contributed to a checkpoint.</summary>
internal sealed record OperatorSubtaskState(
    string OperatorUid,
    int Subtask,
    int Parallelism,
    int MaxParallelism,
    IReadOnlyList<OperatorStateSnapshot> OperatorState,
    KeyedStateHandle? Keyed);

/// <summary>A state file of a checkpoint with its length and checksum, so a damaged file is detected before restoring.</summary>
internal sealed record StateFileInfo(string FileName, long Length, ulong Checksum);

/// <summary>
/// Everything needed to restore a checkpoint or savepoint: the state of every operator subtask and the files
/// holding keyed state. Written last (after all state files), atomically, so its presence means the checkpoint is complete.
/// </summary>
internal sealed record CheckpointMetadata(
    long CheckpointId,
    long TimestampMs,
    bool IsSavepoint,
    string JobName,
    IReadOnlyList<OperatorSubtaskState> States,
    IReadOnlyList<StateFileInfo> Files);
