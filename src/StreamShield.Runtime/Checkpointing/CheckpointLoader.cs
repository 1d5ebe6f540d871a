using StreamShield.Serialization;

namespace StreamShield.Runtime.Checkpointing;

/// <summary>
/// Finds and validates the checkpoint to restore from: a savepoint or checkpoint directory, or a checkpoint root
/// whose newest valid checkpoint is used. A checkpoint whose metadata or state files are damaged is skipped with a
/// warning and the previous one is tried.
/// </summary>
internal static class CheckpointLoader
{
    public sealed record Loaded(string Location, CheckpointMetadata Metadata);

    /// <summary>Loads the newest valid checkpoint at <paramref name="path"/>, reporting skipped ones through <paramref name="warn"/>.</summary>
    public static Loaded? LoadLatest(string path, Action<string> warn)
    {
        if (File.Exists(Path.Combine(path, FileSystemCheckpointStorage.MetadataFileName)))
        {
            var single = TryLoad(path, out var error);
            if (single is null) throw new CorruptDataException($"Cannot restore from '{path}': {error}");
            return single;
        }
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"Cannot restore: '{path}' does not exist. Pass a savepoint/checkpoint directory (containing _metadata) or a checkpoint root directory.");
        foreach (var dir in FileSystemCheckpointStorage.ListCheckpoints(path, includeIncomplete: true))
        {
            if (!File.Exists(Path.Combine(dir, FileSystemCheckpointStorage.MetadataFileName)))
            {
                warn($"Skipping checkpoint '{dir}': it has no {FileSystemCheckpointStorage.MetadataFileName} (incomplete: the job stopped while writing it); trying the previous one.");
                continue;
            }
            var loaded = TryLoad(dir, out var error);
            if (loaded is not null) return loaded;
            warn($"Skipping checkpoint '{dir}': {error}; trying the previous one.");
        }
        return null;
    }

    /// <summary>
    /// The checkpoint a failed job recovers from: the newest valid one, provided it is not older than the one whose
    /// output the sinks last committed (<see cref="ICheckpointStorage.ReadCommitted"/>); that one itself when it lies
    /// elsewhere (a savepoint). Null if nothing was ever checkpointed and committed (start from the job's initial state).
    /// </summary>
    /// <exception cref="UnrecoverableCheckpointException">
    /// The committed checkpoint cannot be restored (deleted or damaged): any older state would write committed output again.
    /// </exception>
    public static Loaded? LoadForFailover(ICheckpointStorage storage, Action<string> warn)
    {
        var committed = storage.ReadCommitted();
        var latest = LoadLatest(storage.Root, warn);
        if (committed is null || latest?.Metadata.CheckpointId >= committed.Id) return latest;
        var exact = TryLoad(committed.Location, out var error);
        if (exact is not null) return exact;
        var older = latest is null ? "the job's initial state" : $"the older checkpoint {latest.Metadata.CheckpointId}";
        throw new UnrecoverableCheckpointException(
            $"Cannot recover: checkpoint {committed.Id} at '{committed.Location}' completed and the sinks committed its output, but it cannot be restored " +
            $"({error ?? "it is gone"}). Restoring {older} would write that committed output again, so the job fails instead. Put the checkpoint's files back " +
            "and resubmit with --from-savepoint pointing at it, or resubmit from an older savepoint knowing that output after it is repeated.");
    }

    public static Loaded? TryLoad(string dir, out string? error)
    {
        try
        {
            var metadata = MetadataSerializer.Read(File.ReadAllBytes(Path.Combine(dir, FileSystemCheckpointStorage.MetadataFileName)));
            foreach (var f in metadata.Files)
            {
                var file = Path.Combine(dir, f.FileName);
                if (!File.Exists(file)) { error = $"state file '{f.FileName}' is missing"; return null; }
                var sum = Checksum.OfFile(file, out var length);
                if (length != f.Length) { error = $"state file '{f.FileName}' has {length} bytes, expected {f.Length}"; return null; }
                if (sum != f.Checksum) { error = $"state file '{f.FileName}' is damaged (checksum mismatch)"; return null; }
            }
            error = null;
            return new Loaded(dir, metadata);
        }
        catch (Exception e) when (e is IOException or CorruptDataException or UnauthorizedAccessException)
        {
            error = e.Message;
            return null;
        }
    }
}

/// <summary>Recovery would have to restore state older than output the sinks already committed; the job fails with the reason.</summary>
public sealed class UnrecoverableCheckpointException(string message) : Exception(message);
