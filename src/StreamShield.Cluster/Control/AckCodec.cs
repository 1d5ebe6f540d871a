using StreamShield.Runtime.Checkpointing;
using StreamShield.Runtime.Tasks;
using StreamShield.Serialization;

namespace StreamShield.Cluster.Control;

/// <summary>
/// Encodes a subtask's checkpoint acknowledgement for the control plane. The state handles travel in the
/// checkpoint metadata format (versioned and checksummed), so the coordinator reads exactly what it will write.
/// </summary>
internal static class AckCodec
{
    public static byte[] Encode(long checkpointId, TaskCheckpointAck ack)
    {
        var metadata = MetadataSerializer.Write(new CheckpointMetadata(checkpointId, 0, false, "", ack.States, ack.Files));
        using var o = new DataOutput(metadata.Length + 32);
        o.WriteInt64(ack.Bytes);
        o.WriteInt64(ack.SyncDuration.Ticks);
        o.WriteInt64(ack.AsyncDuration.Ticks);
        o.WriteByteArray(metadata);
        return o.ToArray();
    }

    public static TaskCheckpointAck Decode(byte[] payload)
    {
        var i = new DataInput(payload);
        var bytes = i.ReadInt64();
        var sync = TimeSpan.FromTicks(i.ReadInt64());
        var async = TimeSpan.FromTicks(i.ReadInt64());
        var metadata = MetadataSerializer.Read(i.ReadByteArray() ?? throw new InvalidDataException("Checkpoint acknowledgement without state handles."));
        return new TaskCheckpointAck(metadata.States, metadata.Files, bytes, sync, async);
    }
}
