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

    /// <summary>Takes a handshake slot; false if all are taken (close the connection). Pair a true with <see cref="Exit"/>.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _pending) <= MaxPending) return true;
        Interlocked.Decrement(ref _pending);
        Log($"{port}: {MaxPending} handshakes already in progress: closed a new connection");
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _pending);

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
