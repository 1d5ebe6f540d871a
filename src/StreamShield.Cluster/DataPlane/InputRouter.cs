using StreamShield.Runtime.Network;

namespace StreamShield.Cluster.DataPlane;

/// <summary>
/// Delivers buffers arriving from peers to the registered input channels of this worker. A producer can be
/// deployed (and start sending) before its consumer is, so buffers for a key that is not registered yet are held
/// and handed over, in order, on registration — bounded per key; an overflowing buffer is dropped and logged (the
/// consumer then sees a sequence gap and fails loudly rather than silently). Buffers of released attempts are
/// dropped, including ones that arrive later: a late buffer of a cancelled attempt must not reach the next one.
/// </summary>
internal sealed class InputRouter(Action<string> log)
{
    /// <summary>How many released attempt ids are remembered (old ones are forgotten first).</summary>
    private const int MaxRememberedReleases = 100_000;

    private readonly object _lock = new();
    private readonly Dictionary<ChannelKey, Registration> _inputs = new();
    private readonly Dictionary<ChannelKey, HeldBuffers> _held = new();
    private readonly HashSet<string> _released = new(StringComparer.Ordinal);
    private readonly Queue<string> _releaseOrder = new();
    private int _heldCount;

    /// <summary>Cap of buffers held for one not yet registered key.</summary>
    public int MaxHeldPerKey { get; set; } = 1024;

    public int HeldCount
    {
        get { lock (_lock) return _heldCount; }
    }

    public void Register(ChannelKey key, string producerWorkerId, LocalChannel channel)
    {
        lock (_lock)
        {
            if (_released.Contains(key.AttemptId))
                throw new InvalidOperationException($"Attempt {key.AttemptId} was released; a new deployment needs a new attempt id.");
            if (_inputs.ContainsKey(key)) throw new InvalidOperationException($"Input {key} is already registered.");
            // Held buffers go first, under the same lock the reader delivers under, so order is kept.
            if (_held.Remove(key, out var held))
            {
                _heldCount -= held.Buffers.Count;
                foreach (var (from, buffer) in held.Buffers)
                {
                    if (from == producerWorkerId) channel.Enqueue(buffer);
                    else Drop(buffer, $"Data plane: dropped a held buffer for {key} from {from}; its producer is {producerWorkerId}.");
                }
            }
            _inputs.Add(key, new Registration(channel, producerWorkerId));
        }
    }

    /// <summary>Takes ownership of <paramref name="buffer"/> (one reference).</summary>
    public void Deliver(string fromWorkerId, ChannelKey key, NetworkBuffer buffer)
    {
        string? problem = null;
        lock (_lock)
        {
            if (_released.Contains(key.AttemptId))
            {
                buffer.Release();
                return;
            }
            if (_inputs.TryGetValue(key, out var input))
            {
                if (input.ProducerWorkerId == fromWorkerId)
                {
                    input.Channel.Enqueue(buffer);
                    return;
                }
                problem = $"Data plane: dropped a buffer for {key} from {fromWorkerId}; its producer is {input.ProducerWorkerId}.";
            }
            else
            {
                if (!_held.TryGetValue(key, out var held)) _held.Add(key, held = new HeldBuffers());
                if (held.Buffers.Count < MaxHeldPerKey)
                {
                    held.Buffers.Add((fromWorkerId, buffer));
                    _heldCount++;
                    return;
                }
                if (!held.OverflowLogged)
                {
                    held.OverflowLogged = true;
                    problem = $"Data plane: more than {MaxHeldPerKey} buffers arrived for {key} before its input was registered; dropping the excess.";
                }
            }
        }
        Drop(buffer, problem);
    }

    /// <summary>Forgets the inputs of an attempt and drops its held buffers; later buffers for it are dropped too.</summary>
    public void Release(string attemptId)
    {
        var dropped = new List<NetworkBuffer>();
        lock (_lock)
        {
            if (_released.Add(attemptId))
            {
                _releaseOrder.Enqueue(attemptId);
                if (_releaseOrder.Count > MaxRememberedReleases) _released.Remove(_releaseOrder.Dequeue());
            }
            foreach (var key in _inputs.Keys.Where(k => k.AttemptId == attemptId).ToList())
            {
                // No credit for a forgotten channel: the producer's side has forgotten it too.
                _inputs[key].Channel.DataConsumed = null;
                _inputs.Remove(key);
            }
            foreach (var key in _held.Keys.Where(k => k.AttemptId == attemptId).ToList())
            {
                _held.Remove(key, out var held);
                _heldCount -= held!.Buffers.Count;
                dropped.AddRange(held.Buffers.Select(b => b.Buffer));
            }
        }
        if (dropped.Count > 0) log($"Data plane: dropped {dropped.Count} buffers held for released attempt {attemptId}.");
        foreach (var b in dropped) b.Release();
    }

    public void Clear()
    {
        List<NetworkBuffer> dropped;
        lock (_lock)
        {
            dropped = _held.Values.SelectMany(h => h.Buffers.Select(b => b.Buffer)).ToList();
            _held.Clear();
            _heldCount = 0;
            _inputs.Clear();
        }
        foreach (var b in dropped) b.Release();
    }

    private void Drop(NetworkBuffer buffer, string? message)
    {
        buffer.Release();
        if (message is not null) log(message);
    }

    private sealed record Registration(LocalChannel Channel, string ProducerWorkerId);

    private sealed class HeldBuffers
    {
        public readonly List<(string From, NetworkBuffer Buffer)> Buffers = new();
        public bool OverflowLogged;
    }
}
