using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;

namespace StreamShield.Cluster.Transport;

/// <summary>
/// One TCP connection carrying length-prefixed binary frames: a 4-byte little-endian length (of what follows), a
/// 1-byte frame type, then the payload. Used by both the control plane (worker ↔ coordinator) and the data plane
/// (worker ↔ worker). A reader thread hands each frame to the handler; any malformed frame (length out of range,
/// unknown type, a handler that cannot parse the payload) closes this connection and nothing else. Sends are
/// serialized by a lock and go out as one write per frame.
/// </summary>
internal sealed class FrameConnection : IDisposable
{
    /// <summary>Largest frame accepted; a length above it is treated as garbage.</summary>
    public const int DefaultMaxFrameLength = 64 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly object _sendLock = new();
    private readonly int _maxFrameLength;
    private Thread? _reader;
    private int _closed;

    public FrameConnection(Socket socket, string name, int maxFrameLength = DefaultMaxFrameLength)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _maxFrameLength = maxFrameLength;
        Name = name;
        RemoteEndPoint = socket.RemoteEndPoint?.ToString() ?? "?";
    }

    public string Name { get; set; }
    public string RemoteEndPoint { get; }
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Why the connection closed (null while open, or when closed locally without an error).</summary>
    public Exception? CloseReason { get; private set; }

    /// <summary>Raised once when the connection closes, for whatever reason.</summary>
    public event Action<FrameConnection, Exception?>? Closed;

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> with a timeout.</summary>
    public static FrameConnection Connect(string host, int port, string name, TimeSpan timeout)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            socket.ConnectAsync(host, port, cts.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            socket.Dispose();
            throw new IOException($"Cannot connect to {host}:{port}: {e.Message}", e);
        }
        return new FrameConnection(socket, name);
    }

    /// <summary>
    /// Starts the reader thread. <paramref name="onFrame"/> gets the frame type and payload (valid only during the
    /// call); throwing from it (e.g. <see cref="InvalidDataException"/>) closes the connection.
    /// </summary>
    public void Start(Action<byte, ReadOnlyMemory<byte>> onFrame)
    {
        _reader = new Thread(() => ReadLoop(onFrame)) { IsBackground = true, Name = $"{Name} reader" };
        _reader.Start();
    }

    /// <summary>Reads one frame synchronously (for handshakes, before <see cref="Start"/>). Returns the type and a copy of the payload.</summary>
    public (byte Type, byte[] Payload) ReadOne(TimeSpan timeout, int maxLength = int.MaxValue)
    {
        var previous = _socket.ReceiveTimeout;
        _socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        // The timeout bounds the whole frame, not each read: a peer sending a byte every few seconds must not hold
        // this thread (and the connection) for longer. Past the deadline the socket is closed under the reader.
        var expired = 0;
        using var deadline = new Timer(_ =>
        {
            Volatile.Write(ref expired, 1);
            Close();
        }, null, timeout, Timeout.InfiniteTimeSpan);
        try
        {
            var header = new byte[5];
            if (!ReadExactly(header, 5)) throw Closed("before the first frame");
            var length = ValidateLength(BinaryPrimitives.ReadInt32LittleEndian(header));
            if (length > maxLength)
                throw new InvalidDataException($"Malformed frame: length {length} is above the {maxLength} bytes this frame may have.");
            var payload = new byte[length - 1];
            if (!ReadExactly(payload, payload.Length)) throw Closed("in the middle of a frame");
            return (header[4], payload);
        }
        catch (Exception e) when (Volatile.Read(ref expired) == 1 && e is not TimeoutException)
        {
            throw new TimeoutException($"No complete frame within {timeout.TotalSeconds:0.###} s.", e);
        }
        finally
        {
            deadline.Dispose();
            if (Volatile.Read(ref expired) == 0) _socket.ReceiveTimeout = previous;
        }

        // Past the deadline the catch above turns this into the TimeoutException.
        static IOException Closed(string where) => new($"The connection closed {where}.");
    }

    private int ValidateLength(int length)
    {
        if (length < 1 || length > _maxFrameLength)
            throw new InvalidDataException($"Malformed frame: length {length} is outside 1..{_maxFrameLength} (not a StreamShield peer, or a corrupted stream).");
        return length;
    }

    private void ReadLoop(Action<byte, ReadOnlyMemory<byte>> onFrame)
    {
        var header = new byte[5];
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        Exception? error = null;
        try
        {
            while (!IsClosed)
            {
                if (!ReadExactly(header, 5)) break;
                var length = ValidateLength(BinaryPrimitives.ReadInt32LittleEndian(header));
                var payloadLength = length - 1;
                if (payloadLength > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(payloadLength);
                }
                if (!ReadExactly(buffer, payloadLength)) throw new IOException("The connection closed in the middle of a frame.");
                onFrame(header[4], buffer.AsMemory(0, payloadLength));
            }
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        Close(IsClosed ? null : error ?? new EndOfStreamException($"{Name}: the peer closed the connection."));
    }

    private bool ReadExactly(byte[] target, int count)
    {
        var read = 0;
        while (read < count)
        {
            int n;
            try
            {
                n = _stream.Read(target, read, count - read);
            }
            catch (IOException) when (IsClosed)
            {
                return false;
            }
            if (n == 0)
            {
                if (read == 0) return false;
                throw new IOException("The connection closed in the middle of a frame.");
            }
            read += n;
        }
        return true;
    }

    /// <summary>Sends one frame. Returns false if the connection is closed (the frame is dropped).</summary>
    public bool Send(byte type, ReadOnlySpan<byte> payload) => Send(type, payload, ReadOnlySpan<byte>.Empty);

    /// <summary>Sends one frame whose payload is <paramref name="head"/> followed by <paramref name="body"/> (no intermediate copy by the caller).</summary>
    public bool Send(byte type, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        if (IsClosed) return false;
        var length = 1 + head.Length + body.Length;
        var frame = ArrayPool<byte>.Shared.Rent(4 + length);
        try
        {
            BinaryPrimitives.WriteInt32LittleEndian(frame, length);
            frame[4] = type;
            head.CopyTo(frame.AsSpan(5));
            body.CopyTo(frame.AsSpan(5 + head.Length));
            lock (_sendLock)
            {
                if (IsClosed) return false;
                _stream.Write(frame, 0, 4 + length);
            }
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            Close(e);
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>Closes the connection (idempotent); raises <see cref="Closed"/> once.</summary>
    public void Close(Exception? reason = null)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        CloseReason = reason;
        try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception) { }
        _stream.Dispose();
        Closed?.Invoke(this, reason);
    }

    public void Dispose() => Close();
}
