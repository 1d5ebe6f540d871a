using StreamShield.Serialization;

namespace StreamShield.Runtime.Network;

/// <summary>What a buffer in a channel carries.</summary>
internal enum BufferKind : byte
{
    /// <summary>Serialized stream elements (records, watermarks, watermark status).</summary>
    Data,
    /// <summary>A checkpoint barrier; <see cref="NetworkBuffer.EventValue"/> is the checkpoint id.</summary>
    Barrier,
    /// <summary>The producer has no more data; barriers may still follow (for the final checkpoint).</summary>
    EndOfData,
}

/// <summary>
/// A unit of transfer in a channel: a pooled byte array holding many serialized elements, or an event.
/// Every buffer of a channel has a sequence number. A data buffer can have two owners at once (the consumer
/// reading it and the producer's retained output); the array returns to the pool when both have released it.
/// </summary>
internal sealed class NetworkBuffer
{
    public const int DefaultSize = 32 * 1024;

    private int _references;

    public NetworkBuffer(BufferKind kind, long sequence, byte[]? data, int length, long eventValue, int references)
    {
        Kind = kind;
        Sequence = sequence;
        Data = data;
        Length = length;
        EventValue = eventValue;
        _references = references;
    }

    public BufferKind Kind { get; }
    public long Sequence { get; }
    public byte[]? Data { get; private set; }
    public int Length { get; }
    public long EventValue { get; }

    /// <summary>Drops one owner's reference; the last one returns the array to the pool.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0 && Data is { } data)
        {
            Data = null;
            BufferPool.Return(data);
        }
    }

    public override string ToString() => $"{Kind}#{Sequence}({(Kind == BufferKind.Data ? Length + " bytes" : EventValue)})";
}
