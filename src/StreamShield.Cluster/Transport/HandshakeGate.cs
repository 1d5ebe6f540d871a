namespace StreamShield.Cluster.Transport;

/// <summary>
/// Guards a listening port against connections that never authenticate: at most <see cref="MaxPending"/>
/// handshakes run at once (each on its own thread; more are closed at once), and the log line about a refused or
/// malformed connection is written at most once per second, with the count of those it left out.
/// </summary>
internal sealed class HandshakeGate(string port, Action<string> log, int maxPending = HandshakeGate.DefaultMaxPending, TimeProvider? clock = null)
{
    /// <summary>Default bound on handshakes in progress per port.</summary>
    public const int DefaultMaxPending = 64;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly object _logLock = new();
    private int _pending;
    private long _lastLogMs = -1_000_000; // long ago: the first line is always written
    private int _suppressed;

    public int MaxPending { get; } = maxPending;

    /// <summary>Handshakes in progress.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>
    /// Runs <paramref name="handshake"/> for a just-accepted <paramref name="socket"/> on a thread of its own (a
    /// silent client must not hold up the next one) if a handshake slot is free, and frees the slot when it returns;
    /// closes the socket at once if none is. Returns whether it started.
    /// </summary>
    public bool Start(System.Net.Sockets.Socket socket, Action<System.Net.Sockets.Socket> handshake, string threadName)
    {
        if (Interlocked.Increment(ref _pending) > MaxPending)
        {
            Interlocked.Decrement(ref _pending);
            socket.Dispose();
            Log($"{port}: {MaxPending} handshakes already in progress: closed a new connection");
            return false;
        }
        new Thread(() =>
        {
            try { handshake(socket); }
            finally { Interlocked.Decrement(ref _pending); }
        }) { IsBackground = true, Name = threadName }.Start();
        return true;
    }

    /// <summary>Logs a line about a connection, at most once per second (a flood of bad connections must not flood the log).</summary>
    public void Log(string message)
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        int suppressed;
        lock (_logLock)
        {
            if (now - _lastLogMs < 1000)
            {
                _suppressed++;
                return;
            }
            _lastLogMs = now;
            suppressed = _suppressed;
            _suppressed = 0;
        }
        log(suppressed == 0 ? message : $"{message} ({suppressed} similar lines left out in the last seconds)");
    }
}
