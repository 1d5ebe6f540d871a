using StreamShield.Runtime.Network;

namespace StreamShield.Cluster.DataPlane;

/// <summary>
/// The producer's end of a channel whose consumer runs on another worker. <see cref="Enqueue"/> only queues the
/// buffer on the peer's connection (the connection's writer thread does the socket write and releases the
/// producer's reference), so it never blocks and never refuses — producers may overdraw credit. Credit is counted
/// here: <see cref="Backlog"/> is data buffers sent minus data buffers the consumer reported consumed.
/// </summary>
internal sealed class RemoteOutputChannel : OutputChannel
{
    private readonly PeerLink _link;
    private long _sent;
    private long _consumed;
    private long _bytesSent;
    private TaskSignal? _producerSignal;
    private volatile bool _released;

    public RemoteOutputChannel(ChannelKey key, string consumerWorkerId, int credits, PeerLink link) : base(key.Name)
    {
        if (credits < 1) throw new ArgumentOutOfRangeException(nameof(credits), credits, "A channel needs at least one credit.");
        Key = key;
        ConsumerWorkerId = consumerWorkerId;
        Credits = credits;
        _link = link;
    }

    public ChannelKey Key { get; }
    public string ConsumerWorkerId { get; }
    public int Credits { get; }
    public long BuffersSent => Volatile.Read(ref _sent);
    public long BytesSent => Volatile.Read(ref _bytesSent);

    public override bool HasCredit => Backlog < Credits;

    public override int Backlog => (int)Math.Max(0, Volatile.Read(ref _sent) - Volatile.Read(ref _consumed));

    public override void SetProducerSignal(TaskSignal signal) => _producerSignal = signal;

    public override void Enqueue(NetworkBuffer buffer)
    {
        if (_released)
        {
            // The attempt is gone (cancelled); its output goes nowhere.
            buffer.Release();
            return;
        }
        if (buffer.Kind == BufferKind.Data)
        {
            Interlocked.Increment(ref _sent);
            Interlocked.Add(ref _bytesSent, buffer.Length);
        }
        _link.Send(Key, buffer);
    }

    /// <summary>The consumer took <paramref name="count"/> more data buffers.</summary>
    public void OnCredit(int count)
    {
        Interlocked.Add(ref _consumed, count);
        _producerSignal?.Set();
    }

    public void MarkReleased()
    {
        _released = true;
        _producerSignal?.Set();
    }

    public DataPlaneOutputMetrics Metrics() =>
        new(Key.AttemptId, Key.ChannelIndex, Key.Name, ConsumerWorkerId, Credits, Backlog, BuffersSent, BytesSent);
}
