namespace StreamShield.Runtime.Tasks;

/// <summary>
/// Tracks checkpoint barriers across all input channels of a subtask. In exactly-once mode a channel that delivered
/// the barrier is blocked until all channels have (alignment), so no record after the barrier reaches the state
/// before the snapshot; in at-least-once mode nothing is blocked and the snapshot is taken when the last barrier
/// arrives. A newer barrier arriving mid-alignment aborts the older checkpoint.
/// </summary>
internal sealed class BarrierAligner(int channels, bool exactlyOnce, Action<long> onAligned, Action<long> onAborted)
{
    private readonly bool[] _received = new bool[channels];
    private long _current = -1;
    private int _count;

    /// <summary>Channels currently blocked for alignment (the input processor skips them).</summary>
    public bool[] Blocked { get; } = new bool[channels];

    public void OnBarrier(int channel, long checkpointId)
    {
        if (checkpointId < _current) return;
        if (checkpointId > _current)
        {
            if (_count > 0 && _count < channels) onAborted(_current);
            Reset();
            _current = checkpointId;
        }
        if (_received[channel]) return;
        _received[channel] = true;
        _count++;
        if (exactlyOnce) Blocked[channel] = true;
        if (_count == channels)
        {
            Array.Clear(Blocked);
            onAligned(checkpointId);
        }
    }

    private void Reset()
    {
        Array.Clear(_received);
        Array.Clear(Blocked);
        _count = 0;
    }
}
