using StreamShield.Runtime.State;
using StreamShield.Serialization;

namespace StreamShield.Runtime.Checkpointing;

/// <summary>
/// The stable binary format of checkpoint and savepoint metadata: magic "SSCK", a format version, the body, and
/// a checksum of the body. Readers reject unknown versions and damaged bytes with a clear error.
/// Version 2 gives keyed state a file list and a chain of segments per key group (incremental checkpoints);
/// version 1 (one file, one segment per key group) is still read.
/// </summary>
internal static class MetadataSerializer
{
    private const int Magic = 0x4B435353; // "SSCK"
    public const int FormatVersion = 2;

    public static byte[] Write(CheckpointMetadata m)
    {
        using var o = new DataOutput(4096);
        o.WriteInt32(Magic);
        o.WriteInt32(FormatVersion);
        var bodyStart = o.Length;
        o.WriteInt64(m.CheckpointId);
        o.WriteInt64(m.TimestampMs);
        o.WriteBoolean(m.IsSavepoint);
        o.WriteString(m.JobName);
        o.WriteInt32(m.Files.Count);
        foreach (var f in m.Files)
        {
            o.WriteString(f.FileName);
            o.WriteInt64(f.Length);
            o.WriteInt64((long)f.Checksum);
        }
        o.WriteInt32(m.States.Count);
        foreach (var s in m.States)
        {
            o.WriteString(s.OperatorUid);
            o.WriteInt32(s.Subtask);
            o.WriteInt32(s.Parallelism);
            o.WriteInt32(s.MaxParallelism);
            o.WriteInt32(s.OperatorState.Count);
            foreach (var os in s.OperatorState)
            {
                o.WriteString(os.Name);
                o.WriteByte((byte)os.Mode);
                o.WriteInt32(os.Entries.Count);
                foreach (var e in os.Entries) o.WriteByteArray(e);
            }
            o.WriteBoolean(s.Keyed is not null);
            if (s.Keyed is { } k)
            {
                o.WriteInt32(k.Files.Count);
                foreach (var f in k.Files) o.WriteString(f);
                o.WriteInt32(k.Range.Start);
                o.WriteInt32(k.Range.End);
                o.WriteInt32(k.KeyGroups.Count);
                foreach (var (kg, segments) in k.KeyGroups.OrderBy(x => x.Key))
                {
                    o.WriteInt32(kg);
                    o.WriteInt32(segments.Count);
                    foreach (var seg in segments)
                    {
                        o.WriteInt32(seg.File);
                        o.WriteInt64(seg.Offset);
                        o.WriteInt32(seg.Length);
                    }
                }
            }
        }
        o.WriteInt64((long)Checksum.Of(o.WrittenSpan[bodyStart..]));
        return o.ToArray();
    }

    public static CheckpointMetadata Read(byte[] bytes)
    {
        if (bytes.Length < 16) throw new CorruptDataException($"Checkpoint metadata is truncated ({bytes.Length} bytes).");
        var i = new DataInput(bytes, 0, bytes.Length - 8); // the body ends where the checksum starts
        if (i.ReadInt32() != Magic) throw new CorruptDataException("Not a StreamShield checkpoint metadata file (bad magic number).");
        var version = i.ReadInt32();
        if (version is not (1 or FormatVersion)) throw new CorruptDataException($"Checkpoint metadata format version {version} is not supported by this version (supports 1 to {FormatVersion}).");
        var expected = (ulong)BitConverter.ToInt64(bytes, bytes.Length - 8);
        if (Checksum.Of(bytes.AsSpan(8, bytes.Length - 16)) != expected) throw new CorruptDataException("Checkpoint metadata checksum mismatch: the file is damaged.");
        var id = i.ReadInt64();
        var ts = i.ReadInt64();
        var savepoint = i.ReadBoolean();
        var job = i.ReadString() ?? "";
        var files = new List<StateFileInfo>();
        for (int n = Count(i), f = 0; f < n; f++)
            files.Add(new StateFileInfo(i.ReadString()!, i.ReadInt64(), (ulong)i.ReadInt64()));
        var states = new List<OperatorSubtaskState>();
        for (int n = Count(i), s = 0; s < n; s++)
        {
            var uid = i.ReadString()!;
            var subtask = i.ReadInt32();
            var parallelism = i.ReadInt32();
            var maxPar = i.ReadInt32();
            var ops = new List<OperatorStateSnapshot>();
            for (int m = Count(i), k = 0; k < m; k++)
            {
                var name = i.ReadString()!;
                var mode = (OperatorStateMode)i.ReadByte();
                if (!Enum.IsDefined(mode)) throw new CorruptDataException($"Checkpoint metadata names unknown operator state mode {(byte)mode} for state '{name}'.");
                var entries = new List<byte[]>();
                for (int e = Count(i), x = 0; x < e; x++) entries.Add(i.ReadByteArray()!);
                ops.Add(new OperatorStateSnapshot(name, mode, entries));
            }
            KeyedStateHandle? keyed = null;
            if (i.ReadBoolean()) keyed = version == 1 ? ReadKeyedV1(i) : ReadKeyed(i);
            states.Add(new OperatorSubtaskState(uid, subtask, parallelism, maxPar, ops, keyed));
        }
        if (!i.IsAtEnd) throw new CorruptDataException($"Checkpoint metadata has {i.Remaining} unexpected bytes after its body.");
        return new CheckpointMetadata(id, ts, savepoint, job, states, files);
    }

    private static KeyedStateHandle ReadKeyedV1(DataInput i)
    {
        var file = i.ReadString()!;
        var range = new KeyGroupRange(i.ReadInt32(), i.ReadInt32());
        var groups = new Dictionary<int, (long, int)>();
        for (int g = Count(i), x = 0; x < g; x++) groups[i.ReadInt32()] = (i.ReadInt64(), i.ReadInt32());
        return KeyedStateHandle.SingleFile(file, range, groups);
    }

    private static KeyedStateHandle ReadKeyed(DataInput i)
    {
        var files = new List<string>();
        for (int n = Count(i), f = 0; f < n; f++) files.Add(i.ReadString() ?? throw new CorruptDataException("Checkpoint metadata names a keyed state file without a name."));
        var range = new KeyGroupRange(i.ReadInt32(), i.ReadInt32());
        var groups = new Dictionary<int, IReadOnlyList<KeyGroupSegment>>();
        for (int g = Count(i), x = 0; x < g; x++)
        {
            var kg = i.ReadInt32();
            var segments = new List<KeyGroupSegment>();
            for (int n = Count(i), y = 0; y < n; y++)
            {
                var seg = new KeyGroupSegment(i.ReadInt32(), i.ReadInt64(), i.ReadInt32());
                if (seg.File < 0 || seg.File >= files.Count) throw new CorruptDataException($"Checkpoint metadata: key group {kg} points at file #{seg.File} of {files.Count}.");
                segments.Add(seg);
            }
            groups[kg] = segments;
        }
        return new KeyedStateHandle(range, files, groups);
    }

    private static int Count(DataInput i)
    {
        var n = i.ReadInt32();
        if (n < 0 || n > i.Remaining) throw new CorruptDataException($"Checkpoint metadata holds an impossible element count {n} ({i.Remaining} bytes remain).");
        return n;
    }
}
