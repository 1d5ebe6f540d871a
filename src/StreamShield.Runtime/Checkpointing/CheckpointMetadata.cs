using StreamShield.Runtime.State;

namespace StreamShield.Runtime.Checkpointing;

/// <summary>
/// Where one operator subtask's keyed state lives: the files (relative to the checkpoint's directory; an
/// incremental checkpoint also names files of the older checkpoints it builds on) and, per key group, the byte
/// ranges to apply in order: the first written by a full snapshot, the rest by incremental ones.
/// </summary>
internal sealed record KeyedStateHandle(KeyGroupRange Range, IReadOnlyList<string> Files, IReadOnlyDictionary<int, IReadOnlyList<KeyGroupSegment>> KeyGroups)
{
    /// <summary>A handle of one file holding each key group in one range (a full snapshot).</summary>
    public static KeyedStateHandle SingleFile(string fileName, KeyGroupRange range, IReadOnlyDictionary<int, (long Offset, int Length)> keyGroups) =>
        new(range, [fileName], keyGroups.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<KeyGroupSegment>)[new KeyGroupSegment(0, kv.Value.Offset, kv.Value.Length)]));
}

/// <summary>A key group's bytes: an index into <see cref="KeyedStateHandle.Files"/>, an offset and a length.</summary>
internal readonly record struct KeyGroupSegment(int File, long Offset, int Length);

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
