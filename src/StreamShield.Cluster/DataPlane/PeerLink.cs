using System.Buffers;
using System.Security.Authentication;
using StreamShield.Runtime.Network;
using StreamShield.Cluster.Transport;

namespace StreamShield.Cluster.DataPlane;

/// <summary>
/// Everything this worker has with one peer worker: the single <see cref="FrameConnection"/> (when up), the send
/// queue every channel to that peer shares, and the writer thread that drains it. Producers and consumers only
/// append to the queue (never touching the socket); the writer packs whatever accumulated into large batch frames,
/// so under load many buffers, events and credits go out per write.
/// <para>
/// Who dials is fixed: the worker whose id is smaller (ordinal) dials, when it has a reason to (an output or input
/// involving the peer, or something queued) and knows the peer's address; it retries for
/// <see cref="DataPlane.ConnectTimeout"/>. The other side never dials; whatever it queues waits for the inbound
/// connection. When the connection is lost, whatever was queued for it is dropped (consumers detect the gap; the
/// coordinator restarts the job) and the link stays down until something needs it again.
/// </para>
/// </summary>
internal sealed class PeerLink : IDisposable
{
    /// <summary>A batch frame is sent once it reaches this size (a single larger buffer gets a frame of its own size).</summary>
    private const int BatchTarget = 256 * 1024;

    private readonly DataPlane _plane;
    private readonly object _lock = new();
    private readonly Thread _writer;
    private List<(ChannelKey Key, NetworkBuffer Buffer)> _queue = new();
    private Dictionary<ChannelKey, int> _credits = new();
    private (string Host, int Port)? _address;
    private FrameConnection? _connection;
    private bool _wanted;
    private bool _writerWaiting;
    private bool _disposed;
    private int _generation;
    private long _bytesSent;
    private long _bytesReceived;

    public PeerLink(DataPlane plane, string peerId, bool isDialer)
    {
        _plane = plane;
        PeerId = peerId;
        IsDialer = isDialer;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = $"data-plane {plane.WorkerId}->{peerId} writer" };
        _writer.Start();
    }

    public string PeerId { get; }

    /// <summary>True when this side opens the connection (its worker id is the smaller one).</summary>
    public bool IsDialer { get; }

    public bool IsConnected
    {
        get { lock (_lock) return _connection is { IsClosed: false }; }
    }

    public void AddBytesReceived(int count) => Interlocked.Add(ref _bytesReceived, count);

    public void SetAddress(string host, int port)
    {
        lock (_lock)
        {
            _address = (host, port);
            WakeWriter();
        }
    }

    /// <summary>Something on this worker involves the peer: the dialer connects now rather than on the first send.</summary>
    public void Want()
    {
        lock (_lock)
        {
            _wanted = true;
            WakeWriter();
        }
    }

    /// <summary>Queues a buffer for the peer; the writer releases the reference once it is written (or dropped).</summary>
    public void Send(ChannelKey key, NetworkBuffer buffer)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _queue.Add((key, buffer));
                WakeWriter();
                return;
            }
        }
        buffer.Release();
    }

    /// <summary>The consumer took a data buffer of <paramref name="key"/>; credits are summed until the writer sends them.</summary>
    public void AddCredit(ChannelKey key)
    {
        lock (_lock)
        {
            if (_disposed) return;
            _credits[key] = _credits.GetValueOrDefault(key) + 1;
            WakeWriter();
        }
    }

    /// <summary>Drops queued buffers and credits of a released attempt.</summary>
    public void Purge(string attemptId)
    {
        List<NetworkBuffer> dropped = new();
        lock (_lock)
        {
            _queue.RemoveAll(item =>
            {
                if (item.Key.AttemptId != attemptId) return false;
                dropped.Add(item.Buffer);
                return true;
            });
            foreach (var key in _credits.Keys.Where(k => k.AttemptId == attemptId).ToList()) _credits.Remove(key);
        }
        foreach (var b in dropped) b.Release();
    }

    /// <summary>
    /// Installs a connection whose handshake completed and starts reading it. A previous connection still open is
    /// replaced: the peer redialed, so it already considers that one dead and frames on it are lost.
    /// </summary>
    public void Attach(FrameConnection connection, int generation)
    {
        FrameConnection? replaced = null;
        var attached = false;
        connection.Closed += OnClosed;
        lock (_lock)
        {
            if (!_disposed && generation == _generation)
            {
                replaced = _connection;
                _connection = connection;
                _wanted = true;
                attached = true;
                WakeWriter();
            }
        }
        if (!attached)
        {
            // Disconnected or disposed while the handshake ran.
            connection.Closed -= OnClosed;
            connection.Close();
            return;
        }
        connection.Start((type, payload) => _plane.OnFrame(this, type, payload));
        if (replaced is not null)
        {
            replaced.Close();
            _plane.RaisePeerLost(PeerId, new IOException($"The connection to worker {PeerId} was replaced by a new one; frames in flight were lost."));
        }
    }

    /// <summary>Snapshot of the current generation, for an inbound connection to attach to.</summary>
    public int Generation
    {
        get { lock (_lock) return _generation; }
    }

    private void OnClosed(FrameConnection connection, Exception? reason)
    {
        List<NetworkBuffer> dropped;
        lock (_lock)
        {
            // A connection closed on purpose (DisconnectPeer, Dispose, replaced) is no longer the current one.
            if (_connection != connection) return;
            _connection = null;
            _wanted = false;
            dropped = TakeQueueLocked();
        }
        foreach (var b in dropped) b.Release();
        _plane.Log($"Data plane: lost the connection to worker {PeerId} ({connection.RemoteEndPoint}): {reason?.Message ?? "closed"}");
        _plane.RaisePeerLost(PeerId, reason);
    }

    /// <summary>Closes the connection without raising PeerLost and drops what was queued for it.</summary>
    public void Disconnect()
    {
        FrameConnection? connection;
        List<NetworkBuffer> dropped;
        lock (_lock)
        {
            connection = _connection;
            _connection = null;
            _wanted = false;
            _generation++;
            dropped = TakeQueueLocked();
            WakeWriter();
        }
        connection?.Close();
        foreach (var b in dropped) b.Release();
    }

    public int QueuedFrames
    {
        get { lock (_lock) return _queue.Count + _credits.Count; }
    }

    public DataPlanePeerMetrics Metrics() =>
        new(PeerId, IsConnected, IsDialer, Interlocked.Read(ref _bytesSent), Interlocked.Read(ref _bytesReceived), QueuedFrames);

    public void Dispose()
    {
        FrameConnection? connection;
        List<NetworkBuffer> dropped;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            connection = _connection;
            _connection = null;
            _generation++;
            dropped = TakeQueueLocked();
            Monitor.PulseAll(_lock);
        }
        connection?.Close();
        foreach (var b in dropped) b.Release();
        if (Thread.CurrentThread != _writer) _writer.Join(TimeSpan.FromSeconds(5));
    }

    private List<NetworkBuffer> TakeQueueLocked()
    {
        var dropped = _queue.Select(i => i.Buffer).ToList();
        _queue.Clear();
        _credits.Clear();
        return dropped;
    }

    // Pulse only when the writer sleeps: producers enqueue far more often than the writer waits.
    private void WakeWriter()
    {
        if (_writerWaiting) Monitor.Pulse(_lock);
    }

    private void WriteLoop()
    {
        var batch = ArrayPool<byte>.Shared.Rent(BatchTarget + 64 * 1024);
        var items = new List<(ChannelKey Key, NetworkBuffer Buffer)>();
        var credits = new Dictionary<ChannelKey, int>();
        try
        {
            while (true)
            {
                FrameConnection? connection = null;
                (string Host, int Port) address = ("", 0);
                var generation = 0;
                var dial = false;
                lock (_lock)
                {
                    while (true)
                    {
                        if (_disposed) return;
                        connection = _connection;
                        var pending = _queue.Count > 0 || _credits.Count > 0;
                        if (connection is not null && pending)
                        {
                            // Swap rather than copy: the producers get the emptied lists back.
                            (items, _queue) = (_queue, items);
                            (credits, _credits) = (_credits, credits);
                            break;
                        }
                        if (connection is null && IsDialer && (_wanted || pending) && _address is { } a)
                        {
                            dial = true;
                            address = a;
                            generation = _generation;
                            break;
                        }
                        _writerWaiting = true;
                        Monitor.Wait(_lock, 1000);
                        _writerWaiting = false;
                    }
                }
                try
                {
                    if (dial) Dial(address.Host, address.Port, generation);
                    else WriteBatches(connection!, items, credits, ref batch);
                }
                catch (Exception e)
                {
                    // A bug here must not stall every channel to this peer silently: fail the connection instead.
                    // The remaining items are not released (some may have been already); the pool just loses them.
                    _plane.Log($"Data plane: the writer to worker {PeerId} failed: {e}");
                    items.Clear();
                    credits.Clear();
                    connection?.Close(e);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
    }

    private void WriteBatches(FrameConnection connection, List<(ChannelKey Key, NetworkBuffer Buffer)> items, Dictionary<ChannelKey, int> credits, ref byte[] batch)
    {
        var pos = 0;
        var ok = true;
        foreach (var (key, buffer) in items)
        {
            var needed = DataPlaneProtocol.MaxHeaderSize(key.AttemptId) + (buffer.Kind == BufferKind.Data ? buffer.Length : 0);
            if (pos > 0 && pos + needed > batch.Length) ok &= Flush(connection, batch, ref pos);
            if (needed > batch.Length)
            {
                ArrayPool<byte>.Shared.Return(batch);
                batch = ArrayPool<byte>.Shared.Rent(needed);
            }
            if (ok && (buffer.Kind != BufferKind.Data || buffer.Data is not null))
                pos = DataPlaneProtocol.WriteBuffer(batch, pos, key, buffer);
            // Written into the batch (or the connection is gone): the producer's reference is no longer needed.
            buffer.Release();
            if (pos >= BatchTarget) ok &= Flush(connection, batch, ref pos);
        }
        items.Clear();
        foreach (var (key, count) in credits)
        {
            if (pos + DataPlaneProtocol.MaxHeaderSize(key.AttemptId) > batch.Length) ok &= Flush(connection, batch, ref pos);
            if (ok) pos = DataPlaneProtocol.WriteCredit(batch, pos, key, count);
        }
        credits.Clear();
        if (ok && pos > 0) Flush(connection, batch, ref pos);
    }

    private bool Flush(FrameConnection connection, byte[] batch, ref int pos)
    {
        var ok = connection.Send(DataPlaneProtocol.Batch, batch.AsSpan(0, pos));
        if (ok) Interlocked.Add(ref _bytesSent, pos + 5);
        pos = 0;
        return ok;
    }

    private void Dial(string host, int port, int generation)
    {
        var deadline = DateTime.UtcNow + _plane.ConnectTimeout;
        var delay = TimeSpan.FromMilliseconds(50);
        Exception? last = null;
        while (true)
        {
            lock (_lock)
            {
                if (_disposed || generation != _generation) return;
            }
            try
            {
                var remaining = deadline - DateTime.UtcNow;
                var connection = _plane.DialAndHandshake(PeerId, host, port, remaining < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : remaining);
                Attach(connection, generation);
                return;
            }
            catch (AuthenticationException e)
            {
                // Refused by the peer (token, direction): retrying cannot help.
                last = e;
                break;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or TimeoutException or System.Net.Sockets.SocketException)
            {
                last = e;
            }
            if (DateTime.UtcNow + delay >= deadline) break;
            Thread.Sleep(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
        List<NetworkBuffer> dropped;
        lock (_lock)
        {
            if (_disposed || generation != _generation) return;
            _wanted = false;
            dropped = TakeQueueLocked();
        }
        foreach (var b in dropped) b.Release();
        _plane.Log($"Data plane: cannot connect to worker {PeerId} at {host}:{port}: {last?.Message}");
        _plane.RaisePeerLost(PeerId, last);
    }
}
