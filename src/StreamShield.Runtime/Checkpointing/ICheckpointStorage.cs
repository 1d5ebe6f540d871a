namespace StreamShield.Runtime.Checkpointing;

/// <summary>
/// Where checkpoints and savepoints are written and found. A checkpoint lives in its own directory: state files
/// first, metadata last (written to a temporary name and renamed), so a directory without metadata is an
/// incomplete checkpoint and is ignored. Fault injection wraps this interface.
/// </summary>
internal interface ICheckpointStorage
{
    /// <summary>The root directory of the job's checkpoints.</summary>
    string Root { get; }

    /// <summary>Creates the directory of a new checkpoint, or of a savepoint under <paramref name="savepointTarget"/>.</summary>
    string CreateLocation(long checkpointId, string? savepointTarget);

    /// <summary>Creates a state file in a checkpoint directory.</summary>
    Stream CreateStateFile(string location, string fileName);

    /// <summary>Writes the metadata atomically: after this returns, the checkpoint is complete.</summary>
    void WriteMetadata(string location, byte[] metadata);

    /// <summary>
    /// Records, durably and atomically, that the sinks are about to commit the output of checkpoint (or savepoint)
    /// <paramref name="checkpointId"/> at <paramref name="location"/>. Written after its metadata and before any
    /// completion notice goes out, so after a failure it tells how far committed output goes: recovery must restore
    /// that checkpoint or a newer one, never an older one (that would write committed output again).
    /// </summary>
    void RecordCommitted(long checkpointId, string location);

    /// <summary>The newest record of <see cref="RecordCommitted"/>, or null if the sinks never committed anything here.</summary>
    CommittedCheckpoint? ReadCommitted();

    /// <summary>Completed checkpoint directories under <see cref="Root"/>, newest first.</summary>
    IReadOnlyList<string> ListCheckpoints();

    /// <summary>
    /// Deletes a checkpoint directory. With <paramref name="keep"/> (absolute paths of files other checkpoints
    /// still refer to), the checkpoint stops being restorable at once but those files stay; returns true once the
    /// directory is gone.
    /// </summary>
    bool Discard(string location, IReadOnlySet<string>? keep = null);
}

/// <summary>The checkpoint or savepoint whose output the sinks last committed.</summary>
internal sealed record CommittedCheckpoint(long Id, string Location);
