using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using StreamShield.Runtime.Network;
using StreamShield.Serialization;
using StreamShield.Cluster.Transport;

namespace StreamShield.Cluster.DataPlane;

/// <summary>
/// The worker-to-worker data plane of one worker process: carries the buffers, events and credits of every
/// channel whose producer and consumer run on different workers.
/// <para>
/// There is exactly one TCP connection per pair of workers, multiplexing all channels of all attempts in both
/// directions. The worker with the ordinally smaller id dials (see <see cref="PeerLink"/>); the other one only
/// accepts, and refuses a connection from a worker that should not have dialed it, so two workers can never end
/// up with two connections. Each connection starts with a handshake (magic, protocol version, token, worker id) in
/// both directions; a wrong token, a malformed frame or a channel frame before the handshake closes that one
/// connection, and the listener keeps accepting.
/// </para>
/// <para>
/// Outputs (<see cref="OpenOutput"/>) queue buffers on the peer's link; the link's writer thread does the socket
/// writes. Inputs (<see cref="RegisterInput"/>) are fed by the connection's reader thread, which copies each data
/// buffer into a pooled array; every consumed data buffer returns one credit to the producer's worker.
/// </para>
/// </summary>
internal sealed class DataPlane : IDisposable
{
    private readonly Socket _listener;
    private readonly Thread _acceptThread;
    private readonly byte[] _token;
    private readonly Action<string>? _log;
    private readonly Dictionary<string, PeerLink> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<ChannelKey, RemoteOutputChannel> _outputs = new();
    private readonly InputRouter _inputs;
    private long _handshakes;
    private volatile bool _disposed;

    /// <summary>Starts listening on <paramref name="bindHost"/>:<paramref name="port"/> (0 picks a free port, see <see cref="Port"/>).</summary>
    public DataPlane(string workerId, string bindHost, int port, string? token, Action<string>? log)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        WorkerId = workerId;
        _token = Encoding.UTF8.GetBytes(token ?? "");
        if (_token.Length > 1024) throw new ArgumentException("The token is longer than 1024 bytes.", nameof(token));
        _log = log;
        _inputs = new InputRouter(Log);
        _handshakeGate = new HandshakeGate("Data plane", Log);
        var address = ResolveBindAddress(bindHost);
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.Bind(new IPEndPoint(address, port));
            _listener.Listen(128);
        }
        catch (Exception e)
        {
            _listener.Dispose();
            if (Transport.PortInUseException.IsAddressInUse(e)) throw new Transport.PortInUseException("data port", bindHost, port, e);
            throw;
        }
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = $"data-plane {workerId} accept" };
        _acceptThread.Start();
    }

    public string WorkerId { get; }

    /// <summary>The port the data plane listens on (the one bound when 0 was asked for).</summary>
    public int Port { get; }

    /// <summary>How long a dialer keeps retrying to reach a peer before giving up (and raising <see cref="PeerLost"/>).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a new connection may take to send its handshake.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest Hello frame accepted from a connection that has not authenticated yet.</summary>
    private const int HandshakeFrameLimit = 16 * 1024;

    private readonly HandshakeGate _handshakeGate;

    /// <summary>Inbound handshakes in progress (bounded by <see cref="HandshakeGate.DefaultMaxPending"/>).</summary>
    internal int PendingHandshakes => _handshakeGate.Pending;

    /// <summary>
    /// A peer connection closed unexpectedly, or the peer could not be reached at all (the exception says why).
    /// Not raised for <see cref="DisconnectPeer"/> or <see cref="Dispose"/> of this data plane. Raised on a
    /// data-plane thread: handlers must not block.
    /// </summary>
    public event Action<string, Exception?>? PeerLost;

    /// <summary>Open peer connections (one per peer at most).</summary>
    internal int ConnectionCount
    {
        get
        {
            lock (_links) return _links.Values.Count(l => l.IsConnected);
        }
    }

    /// <summary>Handshakes completed since start, inbound and outbound.</summary>
    internal long HandshakesCompleted => Interlocked.Read(ref _handshakes);

    /// <summary>Buffers that arrived before their input was registered and wait for it.</summary>
    internal int HeldFrameCount => _inputs.HeldCount;

    /// <summary>Cap of buffers held for one key that is not registered yet; excess is dropped and logged.</summary>
    internal int MaxHeldPerKey
    {
        get => _inputs.MaxHeldPerKey;
        set => _inputs.MaxHeldPerKey = value;
    }

    /// <summary>Where to reach <paramref name="workerId"/>'s data plane (updated when a deployment names it).</summary>
    /// <summary>
    /// Where peer <paramref name="workerId"/> listens, and its data key (issued by the coordinator at its registration,
    /// hex): this worker proves with it, when dialing the peer, that the coordinator introduced the two.
    /// </summary>
    public void SetPeer(string workerId, string host, int port, string dataKey)
    {
        var key = Convert.FromHexString(dataKey);
        lock (_peerKeys) _peerKeys[workerId] = key;
        GetLink(workerId).SetAddress(host, port);
    }

    /// <summary>
    /// This worker's data key (hex), issued by the coordinator at registration: a dialer must prove it knows it.
    /// Until it is set, every inbound connection is refused.
    /// </summary>
    public string? DataKey
    {
        set => Volatile.Write(ref _dataKey, value is null ? null : Convert.FromHexString(value));
    }

    private readonly Dictionary<string, byte[]> _peerKeys = new(StringComparer.Ordinal);
    private byte[]? _dataKey;

    /// <summary>
    /// Opens the producer's end of a channel to a consumer on <paramref name="consumerWorkerId"/>. The consumer
    /// registers the same <paramref name="key"/> with <see cref="RegisterInput"/>; it may do so later.
    /// </summary>
    public OutputChannel OpenOutput(ChannelKey key, string consumerWorkerId, int credits)
    {
        var link = GetLink(consumerWorkerId);
        var output = new RemoteOutputChannel(key, consumerWorkerId, credits, link);
        lock (_outputs)
        {
            if (_outputs.ContainsKey(key)) throw new InvalidOperationException($"Output {key} is already open.");
            _outputs.Add(key, output);
        }
        link.Want();
        return output;
    }

    /// <summary>
    /// Feeds buffers of <paramref name="key"/> arriving from <paramref name="producerWorkerId"/> into
    /// <paramref name="channel"/> (including ones that arrived before this call) and returns a credit for each
    /// data buffer the consumer takes (through <see cref="LocalChannel.DataConsumed"/>).
    /// </summary>
    public void RegisterInput(ChannelKey key, string producerWorkerId, LocalChannel channel)
    {
        var link = GetLink(producerWorkerId);
        channel.DataConsumed = () => link.AddCredit(key);
        try
        {
            _inputs.Register(key, producerWorkerId, channel);
        }
        catch
        {
            channel.DataConsumed = null;
            throw;
        }
        link.Want();
    }

    /// <summary>
    /// Forgets every input and output of the attempt and drops what is held or queued for it; buffers arriving
    /// for it later are dropped silently. Its outputs swallow further buffers.
    /// </summary>
    public void ReleaseAttempt(string attemptId)
    {
        _inputs.Release(attemptId);
        List<RemoteOutputChannel> released;
        lock (_outputs)
        {
            released = _outputs.Values.Where(o => o.Key.AttemptId == attemptId).ToList();
            foreach (var o in released) _outputs.Remove(o.Key);
        }
        foreach (var o in released) o.MarkReleased();
        PeerLink[] links;
        lock (_links) links = _links.Values.ToArray();
        foreach (var link in links) link.Purge(attemptId);
    }

    /// <summary>
    /// Closes the connection to a worker the coordinator declared dead, dropping what was queued for it. Raises no
    /// <see cref="PeerLost"/> here (the peer, if alive, sees its side close). The link reconnects when needed again.
    /// </summary>
    public void DisconnectPeer(string workerId)
    {
        PeerLink? link;
        lock (_links) _links.TryGetValue(workerId, out link);
        link?.Disconnect();
    }

    public IReadOnlyList<DataPlaneOutputMetrics> GetOutputMetrics()
    {
        lock (_outputs) return _outputs.Values.Select(o => o.Metrics()).ToList();
    }

    public IReadOnlyList<DataPlanePeerMetrics> GetPeerMetrics()
    {
        lock (_links) return _links.Values.Select(l => l.Metrics()).ToList();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _listener.Dispose();
        PeerLink[] links;
        lock (_links) links = _links.Values.ToArray();
        foreach (var link in links) link.Dispose();
        _inputs.Clear();
        _acceptThread.Join(TimeSpan.FromSeconds(5));
    }

    internal void Log(string message)
    {
        try { _log?.Invoke(message); }
        catch (Exception) { /* a failing logger must not take the data plane down */ }
    }

    internal void RaisePeerLost(string workerId, Exception? reason)
    {
        if (_disposed) return;
        try { PeerLost?.Invoke(workerId, reason); }
        catch (Exception e) { Log($"Data plane: a PeerLost handler failed: {e}"); }
    }

    private PeerLink GetLink(string workerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        if (workerId == WorkerId) throw new ArgumentException($"Worker {workerId} is this worker; local channels do not use the data plane.", nameof(workerId));
        lock (_links)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_links.TryGetValue(workerId, out var link))
                _links.Add(workerId, link = new PeerLink(this, workerId, IsDialerFor(workerId)));
            return link;
        }
    }

    private bool IsDialerFor(string peerId) => string.CompareOrdinal(WorkerId, peerId) < 0;

    private bool TokenMatches(byte[] token) => CryptographicOperations.FixedTimeEquals(token, _token);

    /// <summary>Connects to a peer and runs the dialer's half of the handshake. Refusal is an <see cref="AuthenticationException"/>.</summary>
    internal FrameConnection DialAndHandshake(string peerId, string host, int port, TimeSpan timeout)
    {
        var connection = FrameConnection.Connect(host, port, $"data-plane {WorkerId}->{peerId}", timeout);
        try
        {
            byte[]? peerKey;
            lock (_peerKeys) peerKey = _peerKeys.GetValueOrDefault(peerId);
            if (peerKey is null) throw new AuthenticationException($"No data key for worker {peerId}: the coordinator has not introduced it.");
            if (!connection.Send(DataPlaneProtocol.Hello, DataPlaneProtocol.EncodeHello(_token, WorkerId, DataPlaneProtocol.Proof(peerKey, WorkerId, peerId))))
                throw new IOException($"The connection to {host}:{port} closed during the handshake.");
            var (type, payload) = connection.ReadOne(HandshakeTimeout);
            if (type == DataPlaneProtocol.Refused)
                throw new AuthenticationException($"Worker {peerId} at {connection.RemoteEndPoint} refused the data connection: {Encoding.UTF8.GetString(payload)}");
            if (type != DataPlaneProtocol.Hello)
                throw new InvalidDataException($"Expected a handshake from {connection.RemoteEndPoint}, got frame type {type}.");
            var (token, id, _) = DataPlaneProtocol.DecodeHello(payload);
            if (!TokenMatches(token))
                throw new AuthenticationException($"The data plane at {connection.RemoteEndPoint} does not have this cluster's token.");
            // A stale address book entry (another worker now uses that address) is worth retrying.
            if (id != peerId) throw new IOException($"Expected worker {peerId} at {connection.RemoteEndPoint}, found worker {id}.");
            Interlocked.Increment(ref _handshakes);
            return connection;
        }
        catch
        {
            connection.Close();
            throw;
        }
    }

    private void AcceptLoop()
    {
        while (!_disposed)
        {
            Socket socket;
            try
            {
                socket = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (_disposed) return;
                Log($"Data plane: accept failed: {e.Message}");
                Thread.Sleep(100);
                continue;
            }
            // The handshake can take up to HandshakeTimeout; a silent client must not hold up the next one, and
            // silent clients together must not hold more than a bounded number of threads.
            _handshakeGate.Start(socket, HandleInbound, $"data-plane {WorkerId} handshake");
        }
    }

    private void HandleInbound(Socket socket)
    {
        FrameConnection connection;
        try
        {
            connection = new FrameConnection(socket, $"data-plane {WorkerId}<-?");
        }
        catch (Exception e)
        {
            socket.Dispose();
            Log($"Data plane: cannot set up an inbound connection: {e.Message}");
            return;
        }
        var remote = connection.RemoteEndPoint;
        try
        {
            var (type, payload) = connection.ReadOne(HandshakeTimeout, HandshakeFrameLimit);
            if (type != DataPlaneProtocol.Hello)
                throw new InvalidDataException($"expected a handshake, got frame type {type}");
            var (token, peerId, proof) = DataPlaneProtocol.DecodeHello(payload);
            if (!TokenMatches(token))
            {
                // Never log the token itself, not even the wrong one.
                Refuse(connection, $"Data plane: refused a connection from {remote} (worker {peerId}): wrong token.", "authentication failed");
                return;
            }
            var ownKey = Volatile.Read(ref _dataKey);
            if (ownKey is null || !CryptographicOperations.FixedTimeEquals(proof, DataPlaneProtocol.Proof(ownKey, peerId, WorkerId)))
            {
                Refuse(connection, $"Data plane: refused a connection from {remote} claiming to be worker {peerId}: it does not prove that the coordinator introduced it.", "authentication failed");
                return;
            }
            if (IsDialerFor(peerId) || peerId == WorkerId)
            {
                Refuse(connection, $"Data plane: refused a connection from {remote} (worker {peerId}): that worker should not dial this one.", $"worker {WorkerId} dials worker {peerId}, not the other way round");
                return;
            }
            if (_disposed) throw new ObjectDisposedException(nameof(DataPlane));
            var link = GetLink(peerId);
            var generation = link.Generation;
            connection.Name = $"data-plane {WorkerId}<-{peerId}";
            if (!connection.Send(DataPlaneProtocol.Hello, DataPlaneProtocol.EncodeHello(_token, WorkerId)))
                throw new IOException("the connection closed during the handshake");
            Interlocked.Increment(ref _handshakes);
            link.Attach(connection, generation);
        }
        catch (Exception e)
        {
            if (!_disposed) _handshakeGate.Log($"Data plane: closing the connection from {remote}: {e.Message}");
            connection.Close();
        }
    }

    private void Refuse(FrameConnection connection, string logMessage, string reason)
    {
        _handshakeGate.Log(logMessage);
        connection.Send(DataPlaneProtocol.Refused, Encoding.UTF8.GetBytes(reason));
        connection.Close();
    }

    /// <summary>Reader-thread entry for each frame after the handshake. Throwing closes the connection.</summary>
    internal void OnFrame(PeerLink link, byte type, ReadOnlyMemory<byte> payload)
    {
        link.AddBytesReceived(payload.Length + 5);
        if (type != DataPlaneProtocol.Batch)
            throw new InvalidDataException($"Unexpected data-plane frame type {type} from worker {link.PeerId}.");
        var reader = new DataPlaneProtocol.MessageReader(payload.Span);
        string? lastAttempt = null;
        while (!reader.AtEnd)
        {
            var messageType = reader.Byte();
            var attemptBytes = reader.Bytes(reader.UInt16());
            // Consecutive messages usually belong to the same attempt: reuse its string instead of allocating.
            if (lastAttempt is null || !Utf8Equals(attemptBytes, lastAttempt)) lastAttempt = Encoding.UTF8.GetString(attemptBytes);
            var channelIndex = reader.Int32();
            // Frames do not carry the channel name; messages show attempt and index instead.
            var key = new ChannelKey(lastAttempt, channelIndex, "remote channel");
            switch (messageType)
            {
                case DataPlaneProtocol.MessageData:
                    {
                        var sequence = reader.Int64();
                        var length = reader.Int32();
                        var bytes = reader.Bytes(length);
                        var data = BufferPool.Rent(Math.Max(1, length));
                        bytes.CopyTo(data);
                        _inputs.Deliver(link.PeerId, key, new NetworkBuffer(BufferKind.Data, sequence, data, length, 0, 1));
                        break;
                    }
                case DataPlaneProtocol.MessageBarrier:
                case DataPlaneProtocol.MessageEndOfData:
                    {
                        var sequence = reader.Int64();
                        var value = reader.Int64();
                        var kind = messageType == DataPlaneProtocol.MessageBarrier ? BufferKind.Barrier : BufferKind.EndOfData;
                        _inputs.Deliver(link.PeerId, key, new NetworkBuffer(kind, sequence, null, 0, value, 1));
                        break;
                    }
                case DataPlaneProtocol.MessageCredit:
                    {
                        var count = reader.Int32();
                        if (count <= 0) throw new InvalidDataException($"Credit of {count} from worker {link.PeerId}.");
                        RemoteOutputChannel? output;
                        lock (_outputs) _outputs.TryGetValue(key, out output);
                        // Unknown: the attempt was released here; the consumer has not heard yet.
                        if (output is not null && output.ConsumerWorkerId == link.PeerId) output.OnCredit(count);
                        break;
                    }
                default:
                    throw new InvalidDataException($"Unknown data-plane message type {messageType} from worker {link.PeerId}.");
            }
        }
    }

    private static bool Utf8Equals(ReadOnlySpan<byte> bytes, string value)
    {
        if (bytes.Length != Encoding.UTF8.GetByteCount(value)) return false;
        Span<byte> encoded = value.Length <= 256 ? stackalloc byte[bytes.Length] : new byte[bytes.Length];
        Encoding.UTF8.GetBytes(value, encoded);
        return bytes.SequenceEqual(encoded);
    }

    private static IPAddress ResolveBindAddress(string bindHost)
    {
        if (string.IsNullOrEmpty(bindHost) || bindHost is "*" or "0.0.0.0") return IPAddress.Any;
        if (IPAddress.TryParse(bindHost, out var ip)) return ip;
        var addresses = Dns.GetHostAddresses(bindHost);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new ArgumentException($"Cannot resolve bind host {bindHost}.", nameof(bindHost));
    }
}
