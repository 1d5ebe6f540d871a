namespace StreamShield.Runtime.Network;

/// <summary>
/// The data a producer sent on one channel since the last completed checkpoint (DESIGN foundation 1): kept so it
/// can be replayed into a restarted or standby consumer, which drops duplicates by sequence number. Memory is
/// bounded: past <see cref="MemoryLimitBytes"/> the oldest buffers are spilled to a file and their arrays released.
/// When a checkpoint completes, everything sent before its barrier is dropped. Disk is bounded too: past
/// <see cref="SpillLimitBytes"/> the channel gives up retaining until the next completed checkpoint
/// (<see cref="Overflowed"/>), so a long gap between checkpoints cannot fill the disk; replay from this channel is then
/// impossible and recovery falls back to restoring the whole job from the checkpoint.
/// </summary>
internal sealed class RetainedOutput(string spillDirectory, string channelName, long memoryLimitBytes, long spillLimitBytes = 1L << 30) : IDisposable
{
    private readonly LinkedList<NetworkBuffer> _inMemory = new();
    private long _memoryBytes;
    private FileStream? _spill;
    private readonly List<(long Sequence, long Offset, int Length)> _spilled = new();
    private readonly Dictionary<long, long> _barrierSequence = new();

    public long MemoryLimitBytes { get; } = memoryLimitBytes;
    public long SpillLimitBytes { get; } = spillLimitBytes;

    /// <summary>True when retention was abandoned (spill limit reached) since the last completed checkpoint.</summary>
    public bool Overflowed { get; private set; }
    public long MemoryBytes => _memoryBytes;
    public long SpilledBuffers => _spilled.Count;
    public int RetainedBuffers => _inMemory.Count + _spilled.Count;

    /// <summary>Takes a reference to a data buffer just sent (the caller counted this owner in the buffer's references).</summary>
    public void Retain(NetworkBuffer buffer)
    {
        if (Overflowed && _resumeCheckpoint is null)
        {
            buffer.Release();
            return;
        }
        _inMemory.AddLast(buffer);
        _memoryBytes += buffer.Length;
        while (_memoryBytes > MemoryLimitBytes && _inMemory.First is { } oldest) SpillOldest(oldest);
    }

    private void SpillOldest(LinkedListNode<NetworkBuffer> node)
    {
        var buffer = node.Value;
        var offset = _spill?.Length ?? 0;
        if (offset + buffer.Length > SpillLimitBytes)
        {
            Abandon();
            return;
        }
        _spill ??= new FileStream(Path.Combine(spillDirectory, $"retained-{Sanitize(channelName)}-{Guid.NewGuid():N}.spill"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        _spill.Seek(offset, SeekOrigin.Begin);
        _spill.Write(buffer.Data!, 0, buffer.Length);
        _spilled.Add((buffer.Sequence, offset, buffer.Length));
        _inMemory.RemoveFirst();
        _memoryBytes -= buffer.Length;
        buffer.Release();
    }

    private long? _resumeCheckpoint;

    private void Abandon()
    {
        Overflowed = true;
        _resumeCheckpoint = null;
        foreach (var b in _inMemory) b.Release();
        _inMemory.Clear();
        _memoryBytes = 0;
        _spilled.Clear();
        _spill?.SetLength(0);
    }

    /// <summary>Notes the sequence number of the barrier of <paramref name="checkpointId"/> on this channel.</summary>
    public void MarkBarrier(long checkpointId, long sequence)
    {
        _barrierSequence[checkpointId] = sequence;
        // After an overflow, retention resumes at the next barrier; the channel is replayable again once that checkpoint completes.
        if (Overflowed && _resumeCheckpoint is null) _resumeCheckpoint = checkpointId;
    }

    /// <summary>Checkpoint <paramref name="checkpointId"/> completed: drop what was sent before its barrier.</summary>
    public void Truncate(long checkpointId)
    {
        if (!_barrierSequence.TryGetValue(checkpointId, out var upTo)) return;
        if (Overflowed && _resumeCheckpoint is { } resume && resume <= checkpointId)
        {
            Overflowed = false;
            _resumeCheckpoint = null;
        }
        foreach (var id in _barrierSequence.Keys.Where(k => k <= checkpointId).ToList()) _barrierSequence.Remove(id);
        _spilled.RemoveAll(s => s.Sequence < upTo);
        if (_spilled.Count == 0 && _spill is not null) _spill.SetLength(0);
        while (_inMemory.First is { } first && first.Value.Sequence < upTo)
        {
            _inMemory.RemoveFirst();
            _memoryBytes -= first.Value.Length;
            first.Value.Release();
        }
    }

    /// <summary>The retained buffers with sequence number ≥ <paramref name="fromSequence"/>, in order (for replay).</summary>
    public IEnumerable<(long Sequence, byte[] Data)> Replay(long fromSequence)
    {
        if (Overflowed) throw new InvalidOperationException($"Channel {channelName} exceeded its spill limit since the last checkpoint; its output cannot be replayed.");
        foreach (var s in _spilled.Where(s => s.Sequence >= fromSequence))
        {
            var data = new byte[s.Length];
            _spill!.Seek(s.Offset, SeekOrigin.Begin);
            _spill.ReadExactly(data);
            yield return (s.Sequence, data);
        }
        foreach (var b in _inMemory.Where(b => b.Sequence >= fromSequence))
            yield return (b.Sequence, b.Data!.AsSpan(0, b.Length).ToArray());
    }

    private static string Sanitize(string s) => string.Concat(s.Select(c => char.IsLetterOrDigit(c) ? c : '_'));

    public void Dispose()
    {
        foreach (var b in _inMemory) b.Release();
        _inMemory.Clear();
        _spill?.Dispose();
        _spill = null;
    }
}
