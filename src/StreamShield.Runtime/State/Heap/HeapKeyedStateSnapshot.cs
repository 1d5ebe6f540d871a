using StreamShield.Serialization;

namespace StreamShield.Runtime.State.Heap;

/// <summary>What a keyed backend contributes to a checkpoint: written per key group by the asynchronous phase.</summary>
internal interface IKeyedStateSnapshot : IDisposable
{
    KeyGroupRange Range { get; }

    /// <summary>Writes all key groups to <paramref name="stream"/>, returning each key group's (offset, length).</summary>
    Dictionary<int, (long Offset, int Length)> WriteTo(Stream stream);
}

/// <summary>
/// A heap backend snapshot. Per key group the format is: state count, then per state its name, byte length and
/// entries (format owned by the state). Key groups without entries are omitted.
/// </summary>
internal sealed class HeapKeyedStateSnapshot(KeyGroupRange range, List<IStateSnapshotPart> parts, Dictionary<string, List<RestoredSegment>> pending)
    : IKeyedStateSnapshot
{
    public KeyGroupRange Range => range;

    public Dictionary<int, (long Offset, int Length)> WriteTo(Stream stream)
    {
        var offsets = new Dictionary<int, (long, int)>();
        using var output = new DataOutput(64 * 1024);
        using var state = new DataOutput(64 * 1024);
        for (var kgi = 0; kgi < range.Count; kgi++)
        {
            output.Reset();
            output.WriteInt32(0);
            var count = 0;
            foreach (var part in parts)
            {
                state.Reset();
                part.WriteKeyGroup(kgi, state);
                if (state.Length == 0) continue;
                output.WriteString(part.Name);
                output.WriteInt32(state.Length);
                output.WriteBytes(state.WrittenSpan);
                count++;
            }
            foreach (var (name, segments) in pending)
            {
                foreach (var s in segments.Where(s => s.KeyGroupIndex == kgi))
                {
                    output.WriteString(name);
                    output.WriteInt32(s.Length);
                    output.WriteBytes(s.Data.AsSpan(s.Offset, s.Length));
                    count++;
                }
            }
            if (count == 0) continue;
            output.PatchInt32(0, count);
            offsets[range.Start + kgi] = (stream.Position, output.Length);
            stream.Write(output.WrittenSpan);
        }
        return offsets;
    }

    public void Dispose()
    {
        foreach (var p in parts) p.Dispose();
    }
}
