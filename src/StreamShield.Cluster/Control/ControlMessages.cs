using StreamShield.Serialization;

namespace StreamShield.Cluster.Control;

/// <summary>Frame types of the control plane (one persistent connection per worker to the coordinator).</summary>
internal enum ControlType : byte
{
    // worker → coordinator
    Register = 1,
    Heartbeat = 2,
    TaskState = 3,
    CheckpointAck = 4,
    CheckpointDecline = 5,
    AttemptReleased = 6,

    // coordinator → worker
    Registered = 101,
    Refused = 102,
    CoordinatorHeartbeat = 103,
    Deploy = 104,
    CancelAttempt = 105,
    CheckpointLocation = 106,
    TriggerCheckpoint = 107,
    CheckpointComplete = 108,
    CheckpointAborted = 109,
    TerminateAttempt = 110,
    PeerLost = 111,
    JobEnded = 112,
}

/// <summary>
/// The control-plane messages and their binary encoding (little-endian, strings length-prefixed, via the Api's
/// DataOutput/DataInput). Any decoding error means a malformed frame: the connection is closed.
/// </summary>
internal static class ControlMessages
{
    /// <summary>"SSCP": the first bytes of a Register frame, so a stray client is recognized at once.</summary>
    public const int Magic = 0x50435353;
    public const int ProtocolVersion = 1;

    public static byte[] Encode(Action<DataOutput> write)
    {
        using var o = new DataOutput(256);
        write(o);
        return o.ToArray();
    }

    public static void WriteStrings(DataOutput o, IReadOnlyList<string> values)
    {
        o.WriteInt32(values.Count);
        foreach (var v in values) o.WriteString(v);
    }

    public static List<string> ReadStrings(DataInput i)
    {
        var n = Count(i);
        var list = new List<string>(n);
        for (var k = 0; k < n; k++) list.Add(i.ReadString() ?? "");
        return list;
    }

    public static int Count(DataInput i)
    {
        var n = i.ReadInt32();
        if (n < 0 || n > i.Remaining) throw new InvalidDataException($"Malformed control frame: impossible element count {n}.");
        return n;
    }

    public static void EnsureEnd(DataInput i, ControlType type)
    {
        if (!i.IsAtEnd) throw new InvalidDataException($"Malformed control frame {type}: {i.Remaining} unexpected trailing bytes.");
    }
}

/// <summary>A worker introduces itself: engine version, token, where its data port is, how many slots it offers.</summary>
internal sealed record RegisterMessage(string WorkerId, string EngineVersion, string? Token, int Pid, string Host, int DataPort, int Slots)
{
    public byte[] Encode() => ControlMessages.Encode(o =>
    {
        o.WriteInt32(ControlMessages.Magic);
        o.WriteInt32(ControlMessages.ProtocolVersion);
        o.WriteString(WorkerId);
        o.WriteString(EngineVersion);
        o.WriteString(Token);
        o.WriteInt32(Pid);
        o.WriteString(Host);
        o.WriteInt32(DataPort);
        o.WriteInt32(Slots);
    });

    public static RegisterMessage Decode(DataInput i)
    {
        if (i.Remaining < 8 || i.ReadInt32() != ControlMessages.Magic) throw new InvalidDataException("Not a StreamShield worker: the first frame lacks the control-plane magic number.");
        var protocol = i.ReadInt32();
        if (protocol != ControlMessages.ProtocolVersion) throw new InvalidDataException($"Control protocol version {protocol} is not supported (this coordinator speaks {ControlMessages.ProtocolVersion}).");
        var m = new RegisterMessage(i.ReadString() ?? "", i.ReadString() ?? "", i.ReadString(), i.ReadInt32(), i.ReadString() ?? "", i.ReadInt32(), i.ReadInt32());
        ControlMessages.EnsureEnd(i, ControlType.Register);
        return m;
    }
}

/// <summary>Where a subtask of an attempt runs.</summary>
internal readonly record struct SubtaskAssignment(int VertexId, int Subtask, string WorkerId);

/// <summary>A worker's data-plane address.</summary>
/// <summary>A worker of an attempt: its id, data-plane address, and data key (hex) that its dialers prove they know.</summary>
internal readonly record struct PeerAddress(string WorkerId, string Host, int Port, string DataKey);

/// <summary>
/// Deploy the subtasks of one attempt that this worker runs. Every worker of the attempt gets the full assignment
/// (it must know where each channel's other end lives) and builds the same job graph from the job's code.
/// </summary>
internal sealed record DeployMessage(
    string JobId, string AttemptId, int Attempt, string ArtifactId, string EntryClass, IReadOnlyList<string> Args, int? Parallelism,
    long? CheckpointIntervalMs, IReadOnlyDictionary<string, string> Configuration, string CheckpointRoot, string? RestoreLocation, string GraphFingerprint,
    IReadOnlyList<SubtaskAssignment> Assignments, IReadOnlyList<PeerAddress> Peers)
{
    public byte[] Encode() => ControlMessages.Encode(o =>
    {
        o.WriteString(JobId);
        o.WriteString(AttemptId);
        o.WriteInt32(Attempt);
        o.WriteString(ArtifactId);
        o.WriteString(EntryClass);
        ControlMessages.WriteStrings(o, Args);
        o.WriteInt32(Parallelism ?? -1);
        o.WriteInt64(CheckpointIntervalMs ?? -1);
        o.WriteInt32(Configuration.Count);
        foreach (var (k, v) in Configuration.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            o.WriteString(k);
            o.WriteString(v);
        }
        o.WriteString(CheckpointRoot);
        o.WriteString(RestoreLocation);
        o.WriteString(GraphFingerprint);
        o.WriteInt32(Assignments.Count);
        foreach (var a in Assignments)
        {
            o.WriteInt32(a.VertexId);
            o.WriteInt32(a.Subtask);
            o.WriteString(a.WorkerId);
        }
        o.WriteInt32(Peers.Count);
        foreach (var p in Peers)
        {
            o.WriteString(p.WorkerId);
            o.WriteString(p.Host);
            o.WriteInt32(p.Port);
            o.WriteString(p.DataKey);
        }
    });

    public static DeployMessage Decode(DataInput i)
    {
        var jobId = i.ReadString() ?? "";
        var attemptId = i.ReadString() ?? "";
        var attempt = i.ReadInt32();
        var artifact = i.ReadString() ?? "";
        var entry = i.ReadString() ?? "";
        var args = ControlMessages.ReadStrings(i);
        var p = i.ReadInt32();
        var interval = i.ReadInt64();
        var configuration = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int n = ControlMessages.Count(i), k = 0; k < n; k++) configuration[i.ReadString() ?? ""] = i.ReadString() ?? "";
        var root = i.ReadString() ?? "";
        var restore = i.ReadString();
        var fingerprint = i.ReadString() ?? "";
        var assignments = new List<SubtaskAssignment>();
        for (int n = ControlMessages.Count(i), k = 0; k < n; k++) assignments.Add(new SubtaskAssignment(i.ReadInt32(), i.ReadInt32(), i.ReadString() ?? ""));
        var peers = new List<PeerAddress>();
        for (int n = ControlMessages.Count(i), k = 0; k < n; k++) peers.Add(new PeerAddress(i.ReadString() ?? "", i.ReadString() ?? "", i.ReadInt32(), i.ReadString() ?? ""));
        ControlMessages.EnsureEnd(i, ControlType.Deploy);
        return new DeployMessage(jobId, attemptId, attempt, artifact, entry, args, p < 0 ? null : p, interval < 0 ? null : interval, configuration, root, restore, fingerprint, assignments, peers);
    }
}

/// <summary>What a worker reports about one subtask with each heartbeat (for the REST view and metrics).</summary>
internal readonly record struct SubtaskMetrics(string AttemptId, int VertexId, int Subtask, byte State, long RecordsIn, long RecordsOut, int Backlog, long BusyMs, long BackpressuredMs, long IdleMs,
    long SinkRecords);

/// <summary>A worker's heartbeat: alive, its memory, and its subtasks' counters.</summary>
internal sealed record HeartbeatMessage(long MemoryBytes, int JobCodeContexts, IReadOnlyList<SubtaskMetrics> Subtasks)
{
    public byte[] Encode() => ControlMessages.Encode(o =>
    {
        o.WriteInt64(MemoryBytes);
        o.WriteInt32(JobCodeContexts);
        o.WriteInt32(Subtasks.Count);
        foreach (var s in Subtasks)
        {
            o.WriteString(s.AttemptId);
            o.WriteInt32(s.VertexId);
            o.WriteInt32(s.Subtask);
            o.WriteByte(s.State);
            o.WriteInt64(s.RecordsIn);
            o.WriteInt64(s.RecordsOut);
            o.WriteInt32(s.Backlog);
            o.WriteInt64(s.BusyMs);
            o.WriteInt64(s.BackpressuredMs);
            o.WriteInt64(s.IdleMs);
            o.WriteInt64(s.SinkRecords);
        }
    });

    public static HeartbeatMessage Decode(DataInput i)
    {
        var memory = i.ReadInt64();
        var contexts = i.ReadInt32();
        var list = new List<SubtaskMetrics>();
        for (int n = ControlMessages.Count(i), k = 0; k < n; k++)
            list.Add(new SubtaskMetrics(i.ReadString() ?? "", i.ReadInt32(), i.ReadInt32(), i.ReadByte(), i.ReadInt64(), i.ReadInt64(), i.ReadInt32(), i.ReadInt64(), i.ReadInt64(), i.ReadInt64(), i.ReadInt64()));
        ControlMessages.EnsureEnd(i, ControlType.Heartbeat);
        return new HeartbeatMessage(memory, contexts, list);
    }
}

/// <summary>A subtask changed state (running, data finished, terminated, failed, cancelled); failures carry the error.</summary>
internal sealed record TaskStateMessage(string AttemptId, int VertexId, int Subtask, byte State, string? Error, string? ErrorType = null, string? ErrorDetail = null)
{
    public byte[] Encode() => ControlMessages.Encode(o =>
    {
        o.WriteString(AttemptId);
        o.WriteInt32(VertexId);
        o.WriteInt32(Subtask);
        o.WriteByte(State);
        o.WriteString(Error);
        o.WriteString(ErrorType);
        o.WriteString(ErrorDetail);
    });

    public static TaskStateMessage Decode(DataInput i)
    {
        var m = new TaskStateMessage(i.ReadString() ?? "", i.ReadInt32(), i.ReadInt32(), i.ReadByte(), i.ReadString(), i.ReadString(), i.ReadString());
        ControlMessages.EnsureEnd(i, ControlType.TaskState);
        return m;
    }
}

/// <summary>Addresses one subtask of an attempt together with a checkpoint id (trigger, complete, aborted, ack, decline).</summary>
internal sealed record SubtaskCheckpointMessage(string AttemptId, int VertexId, int Subtask, long CheckpointId, string? Text = null, byte[]? Payload = null)
{
    public byte[] Encode() => ControlMessages.Encode(o =>
    {
        o.WriteString(AttemptId);
        o.WriteInt32(VertexId);
        o.WriteInt32(Subtask);
        o.WriteInt64(CheckpointId);
        o.WriteString(Text);
        o.WriteByteArray(Payload);
    });

    public static SubtaskCheckpointMessage Decode(DataInput i, ControlType type)
    {
        var m = new SubtaskCheckpointMessage(i.ReadString() ?? "", i.ReadInt32(), i.ReadInt32(), i.ReadInt64(), i.ReadString(), i.ReadByteArray());
        ControlMessages.EnsureEnd(i, type);
        return m;
    }
}

/// <summary>Where checkpoint <c>CheckpointId</c> of an attempt writes, and the completed checkpoint its incremental snapshots may build on (-1: none).</summary>
internal sealed record CheckpointLocationMessage(string AttemptId, long CheckpointId, string Location, long BaseCheckpointId)
{
    public byte[] Encode() => ControlMessages.Encode(o =>
    {
        o.WriteString(AttemptId);
        o.WriteInt64(CheckpointId);
        o.WriteString(Location);
        o.WriteInt64(BaseCheckpointId);
    });

    public static CheckpointLocationMessage Decode(DataInput i, ControlType type)
    {
        var m = new CheckpointLocationMessage(i.ReadString() ?? "", i.ReadInt64(), i.ReadString() ?? "", i.ReadInt64());
        ControlMessages.EnsureEnd(i, type);
        return m;
    }
}

/// <summary>A message carrying an attempt or job id and an optional text (cancel, terminate, released, job ended, peer lost, locations, refusals).</summary>
internal sealed record SimpleMessage(string Id, string? Text = null, long Number = 0)
{
    public byte[] Encode() => ControlMessages.Encode(o =>
    {
        o.WriteString(Id);
        o.WriteString(Text);
        o.WriteInt64(Number);
    });

    public static SimpleMessage Decode(DataInput i, ControlType type)
    {
        var m = new SimpleMessage(i.ReadString() ?? "", i.ReadString(), i.ReadInt64());
        ControlMessages.EnsureEnd(i, type);
        return m;
    }
}

/// <summary>
/// The coordinator's answer to a worker's registration: its id, the REST URL (artifacts are fetched there), the
/// heartbeat timeout, and the worker's data key (hex, random per registration) that its data-plane peers must prove.
/// </summary>
internal sealed record RegisteredMessage(string Id, string? RestUrl, long HeartbeatTimeoutMs, string DataKey)
{
    public byte[] Encode() => ControlMessages.Encode(o =>
    {
        o.WriteString(Id);
        o.WriteString(RestUrl);
        o.WriteInt64(HeartbeatTimeoutMs);
        o.WriteString(DataKey);
    });

    public static RegisteredMessage Decode(DataInput i)
    {
        var m = new RegisteredMessage(i.ReadString() ?? "", i.ReadString(), i.ReadInt64(), i.ReadString() ?? "");
        ControlMessages.EnsureEnd(i, ControlType.Registered);
        return m;
    }
}
