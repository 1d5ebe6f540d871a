using StreamShield.Runtime.Checkpointing;

namespace StreamShield.Runtime.Faults;

/// <summary>Wraps checkpoint storage to fail or slow its writes at the storage fault points (a seam, not branches in the runtime).</summary>
internal sealed class FaultInjectingStorage(ICheckpointStorage inner, FaultInjector faults, Func<int> attempt) : ICheckpointStorage
{
    private readonly FaultRule? _write = faults.Rule(FaultPoints.StorageWrite);
    private readonly FaultRule? _finalize = faults.Rule(FaultPoints.StorageFinalize);

    public string Root => inner.Root;
    public string CreateLocation(long checkpointId, string? savepointTarget) => inner.CreateLocation(checkpointId, savepointTarget);

    public Stream CreateStateFile(string location, string fileName)
    {
        if (_write is not null) faults.Hit(_write, -1, attempt(), $"checkpoint storage writing {fileName}");
        return inner.CreateStateFile(location, fileName);
    }

    public void WriteMetadata(string location, byte[] metadata)
    {
        if (_finalize is not null) faults.Hit(_finalize, -1, attempt(), $"checkpoint storage finalizing {Path.GetFileName(location)}");
        inner.WriteMetadata(location, metadata);
    }

    public void RecordCommitted(long checkpointId, string location) => inner.RecordCommitted(checkpointId, location);
    public CommittedCheckpoint? ReadCommitted() => inner.ReadCommitted();
    public IReadOnlyList<string> ListCheckpoints() => inner.ListCheckpoints();
    public bool Discard(string location, IReadOnlySet<string>? keep = null) => inner.Discard(location, keep);
}
