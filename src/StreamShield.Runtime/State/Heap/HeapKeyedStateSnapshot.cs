using StreamShield.Serialization;

namespace StreamShield.Runtime.State.Heap;

/// <summary>What a keyed backend contributes to a checkpoint: written per key group by the asynchronous phase.</summary>
internal interface IKeyedStateSnapshot : IDisposable
{
    KeyGroupRange Range { get; }

    /// <summary>Writes the key groups that have something to write to <paramref name="stream"/>, returning each one's (offset, length).</summary>
    Dictionary<int, (long Offset, int Length)> WriteTo(Stream stream);

    /// <summary>
    /// After <see cref="WriteTo"/> wrote <paramref name="file"/> (absolute path): the chain that restores this
    /// snapshot (its base's chain plus this file), remembered by the backend as a base for later deltas.
    /// </summary>
    KeyedStateChain Complete(string file, long length, ulong checksum, IReadOnlyDictionary<int, (long Offset, int Length)> written);
}

/// <summary>
/// A heap backend snapshot. Per key group the format is: the marker <see cref="FormatMarker"/>, a part count, then
/// per part the state's name, how it applies (<see cref="StatePartKind"/>), a byte length and the part's bytes
/// (format owned by the state). Key groups with nothing to write are omitted. Segments written before parts had
/// kinds start with the count instead of the marker and hold full parts only.
/// </summary>
internal sealed class HeapKeyedStateSnapshot(KeyGroupRange range, List<IStateSnapshotPart> parts, Dictionary<string, List<RestoredSegment>> pending,
    KeyedStateChain? baseChain, Action<KeyedStateChain>? onCompleted)
    : IKeyedStateSnapshot
{
    private const int FormatMarker = -2;

    public KeyGroupRange Range => range;

    public Dictionary<int, (long Offset, int Length)> WriteTo(Stream stream)
    {
        var offsets = new Dictionary<int, (long, int)>();
        using var output = new DataOutput(64 * 1024);
        using var state = new DataOutput(64 * 1024);
        for (var kgi = 0; kgi < range.Count; kgi++)
        {
            output.Reset();
            output.WriteInt32(FormatMarker);
            output.WriteInt32(0);
            var count = 0;
            foreach (var part in parts)
            {
                state.Reset();
                var kind = part.WriteKeyGroup(kgi, state);
                if (kind == StatePartKind.None) continue;
                WritePart(output, part.Name, kind, state.WrittenSpan);
                count++;
            }
            foreach (var (name, segments) in pending)
            {
                foreach (var s in segments.Where(s => s.KeyGroupIndex == kgi))
                {
                    WritePart(output, name, s.Kind, s.Data.AsSpan(s.Offset, s.Length));
                    count++;
                }
            }
            if (count == 0) continue;
            output.PatchInt32(4, count);
            offsets[range.Start + kgi] = (stream.Position, output.Length);
            stream.Write(output.WrittenSpan);
        }
        return offsets;
    }

    private static void WritePart(DataOutput output, string name, StatePartKind kind, ReadOnlySpan<byte> bytes)
    {
        output.WriteString(name);
        output.WriteByte((byte)kind);
        output.WriteInt32(bytes.Length);
        output.WriteBytes(bytes);
    }

    public KeyedStateChain Complete(string file, long length, ulong checksum, IReadOnlyDictionary<int, (long Offset, int Length)> written)
    {
        var chain = KeyedStateChain.Extend(baseChain, file, length, checksum, written);
        onCompleted?.Invoke(chain);
        return chain;
    }

    /// <summary>Reads the parts of one key group's segment (either format), appending (state name, segment) in order.</summary>
    public static void ReadParts(byte[] data, int keyGroupIndex, List<(string Name, RestoredSegment Segment)> into)
    {
        var input = new DataInput(data);
        var first = input.ReadInt32();
        var withKinds = first == FormatMarker;
        var count = withKinds ? input.ReadInt32() : first;
        if (count < 0) throw new CorruptDataException($"Keyed state segment of key group index {keyGroupIndex} holds an impossible part count {count}.");
        for (var i = 0; i < count; i++)
        {
            var name = input.ReadString() ?? throw new CorruptDataException("State without a name.");
            var kind = withKinds ? (StatePartKind)input.ReadByte() : StatePartKind.Full;
            if (kind is not (StatePartKind.Full or StatePartKind.Delta)) throw new CorruptDataException($"State '{name}' has a part of unknown kind {(byte)kind}.");
            var length = input.ReadInt32();
            into.Add((name, new RestoredSegment(keyGroupIndex, data, input.Position, length, kind)));
            input.ReadBytes(length);
        }
    }

    public void Dispose()
    {
        foreach (var p in parts) p.Dispose();
    }
}
