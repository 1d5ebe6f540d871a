namespace StreamShield.Runtime.Network;

/// <summary>
/// An in-memory channel from one producer subtask to one consumer subtask. Credit-based: the consumer grants
/// <see cref="Credits"/> data buffers; the producer may overdraw (one input buffer can produce several output
/// buffers) but reports itself unavailable while it has no credit, and the producer's loop then stops taking
/// input until credit returns. Events (barriers, end of data) do not need credit.
/// </summary>
internal sealed class LocalChannel(string name, int credits, TaskSignal consumerSignal) : OutputChannel(name)
{
    private readonly Queue<NetworkBuffer> _queue = new();
    private int _queuedData;
    private TaskSignal? _producerSignal;
    private long _backlogHighWater;

    public int Credits { get; } = credits;

    /// <summary>
    /// Called after the consumer took a data buffer, when the producer is in another process: the data plane
    /// returns the credit over the wire (a local producer is woken through its signal instead).
    /// </summary>
    public Action? DataConsumed { get; set; }

    public override void SetProducerSignal(TaskSignal signal) => _producerSignal = signal;

    public override bool HasCredit => Volatile.Read(ref _queuedData) < Credits;

    /// <summary>Queued data buffers not yet read by the consumer (backpressure indicator).</summary>
    public override int Backlog => Volatile.Read(ref _queuedData);

    public long HighestBacklog => _backlogHighWater;

    public override void Enqueue(NetworkBuffer buffer)
    {
        lock (_queue)
        {
            _queue.Enqueue(buffer);
            if (buffer.Kind == BufferKind.Data && ++_queuedData > _backlogHighWater) _backlogHighWater = _queuedData;
        }
        consumerSignal.Set();
    }

    public bool TryDequeue(out NetworkBuffer buffer)
    {
        bool returnCredit;
        lock (_queue)
        {
            if (!_queue.TryDequeue(out buffer!)) return false;
            returnCredit = buffer.Kind == BufferKind.Data && _queuedData-- == Credits;
        }
        if (returnCredit) _producerSignal?.Set();
        if (buffer.Kind == BufferKind.Data) DataConsumed?.Invoke();
        return true;
    }

    public bool IsEmpty
    {
        get { lock (_queue) return _queue.Count == 0; }
    }

    /// <summary>Drops everything queued (on cancel), releasing the consumer's references.</summary>
    public void Clear()
    {
        lock (_queue)
        {
            while (_queue.TryDequeue(out var b)) if (b.Kind == BufferKind.Data) b.Release();
            _queuedData = 0;
        }
        _producerSignal?.Set();
    }
}
