namespace StreamShield.Runtime.Network;

/// <summary>
/// The producer's end of a channel: what a <see cref="RecordWriter{T}"/> writes buffers into. In one process it is
/// the <see cref="LocalChannel"/> itself; to a subtask in another process it is a remote channel of the data plane.
/// Every buffer gets the channel's next sequence number, so the consumer can drop replays and detect gaps.
/// </summary>
internal abstract class OutputChannel(string name)
{
    private long _nextSequence;

    public string Name { get; } = name;

    /// <summary>True while the producer may send data without overdrawing its credit.</summary>
    public abstract bool HasCredit { get; }

    /// <summary>Data buffers sent and not yet consumed (backpressure indicator).</summary>
    public abstract int Backlog { get; }

    /// <summary>Assigns the next sequence number (producer side only).</summary>
    public long NextSequence() => _nextSequence++;

    /// <summary>Sends a buffer; the channel takes over the producer's reference to it.</summary>
    public abstract void Enqueue(NetworkBuffer buffer);

    /// <summary>Set by the producer's record writer so returned credit wakes it.</summary>
    public abstract void SetProducerSignal(TaskSignal signal);
}
