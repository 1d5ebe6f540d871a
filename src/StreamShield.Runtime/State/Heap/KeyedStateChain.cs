namespace StreamShield.Runtime.State.Heap;

/// <summary>Whether a state's bytes for a key group replace what came before (full) or apply on top of it (delta).</summary>
internal enum StatePartKind : byte
{
    None = 0,
    Full = 1,
    Delta = 2,
}

/// <summary>A key group's bytes in a state file: its (absolute) path, offset and length.</summary>
internal readonly record struct StateSegmentRef(string File, long Offset, int Length);

/// <summary>
/// What restores one keyed backend as of a checkpoint: per key group the segments to apply in order (the first
/// written by a full snapshot, the rest by incremental ones), and the files they live in with their length and
/// checksum. An incremental snapshot extends the chain of the checkpoint it is based on.
/// </summary>
internal sealed record KeyedStateChain(
    IReadOnlyDictionary<string, (long Length, ulong Checksum)> Files,
    IReadOnlyDictionary<int, IReadOnlyList<StateSegmentRef>> KeyGroups,
    int Length,
    long FullBytes,
    long DeltaBytes)
{
    /// <summary>
    /// Longest chain (one full snapshot plus deltas) before the next snapshot is full again: restore reads every
    /// link, so this bounds restore work at the price of one full snapshot every so often.
    /// </summary>
    public const int MaxLength = 10;

    /// <summary>
    /// True if the next snapshot should be full: the chain is long, or its deltas together are as large as the full
    /// snapshot they extend (restoring would read more than twice the state).
    /// </summary>
    public bool ShouldRebase => Length >= MaxLength || DeltaBytes > FullBytes;

    /// <summary>This chain extended by one snapshot's file (or, with no base, a new chain starting at it).</summary>
    public static KeyedStateChain Extend(KeyedStateChain? baseChain, string file, long length, ulong checksum, IReadOnlyDictionary<int, (long Offset, int Length)> written)
    {
        var files = baseChain is null ? new Dictionary<string, (long, ulong)>() : new Dictionary<string, (long, ulong)>(baseChain.Files);
        var groups = baseChain is null
            ? new Dictionary<int, IReadOnlyList<StateSegmentRef>>()
            : new Dictionary<int, IReadOnlyList<StateSegmentRef>>(baseChain.KeyGroups);
        foreach (var (kg, (offset, len)) in written)
        {
            var list = groups.TryGetValue(kg, out var existing) ? new List<StateSegmentRef>(existing) : new List<StateSegmentRef>(1);
            list.Add(new StateSegmentRef(file, offset, len));
            groups[kg] = list;
        }
        if (written.Count > 0) files[file] = (length, checksum);
        return baseChain is null
            ? new KeyedStateChain(files, groups, 1, length, 0)
            : new KeyedStateChain(files, groups, baseChain.Length + 1, baseChain.FullBytes, baseChain.DeltaBytes + length);
    }
}

/// <summary>Per-checkpoint values a state remembers about its own snapshots, so that a later snapshot can be a delta from one of them.</summary>
internal sealed class SnapshotVersions<T>
{
    private readonly Dictionary<long, T> _byCheckpoint = new();

    public void Record(long checkpointId, T value) => _byCheckpoint[checkpointId] = value;

    /// <summary>The value recorded at <paramref name="checkpointId"/>; forgets older ones (bases never go back).</summary>
    public bool TryGetBase(long checkpointId, out T value)
    {
        ForgetBefore(checkpointId);
        return _byCheckpoint.TryGetValue(checkpointId, out value!);
    }

    public void ForgetBefore(long checkpointId)
    {
        foreach (var id in _byCheckpoint.Keys.Where(k => k < checkpointId).ToList()) _byCheckpoint.Remove(id);
    }
}
