using StreamShield.Runtime.Network;

namespace StreamShield.Runtime.Tasks;

/// <summary>What one step of input processing did.</summary>
internal enum InputResult
{
    /// <summary>A buffer or event was processed.</summary>
    Processed,
    /// <summary>No channel had anything to read (or all readable ones are blocked for alignment).</summary>
    NothingAvailable,
    /// <summary>The last channel just delivered end-of-data.</summary>
    EndOfData,
}

/// <summary>
/// Reads the input channels of a subtask round-robin, one buffer per step, dispatching data buffers to their
/// input's handler and barriers to the aligner. Tracks each channel's last sequence number: a buffer at or below it
/// is a duplicate (a replay after a producer restarted) and is dropped; a gap means lost data and fails the subtask.
/// Owned by the subtask thread.
/// </summary>
internal sealed class InputProcessor
{
    private readonly LocalChannel[] _channels;
    private readonly IInputHandler[] _handlers;
    private readonly int[] _handlerChannel;
    private readonly bool[] _finished;
    private readonly long[] _lastSequence;
    private readonly BarrierAligner _aligner;
    private readonly TaskCounters _counters;
    private int _finishedCount;
    private int _next;

    public InputProcessor(IReadOnlyList<(LocalChannel Channel, IInputHandler Handler, int HandlerChannel)> channels, BarrierAligner aligner, TaskCounters counters)
    {
        _channels = channels.Select(c => c.Channel).ToArray();
        _handlers = channels.Select(c => c.Handler).ToArray();
        _handlerChannel = channels.Select(c => c.HandlerChannel).ToArray();
        _finished = new bool[_channels.Length];
        _lastSequence = new long[_channels.Length];
        Array.Fill(_lastSequence, -1);
        _aligner = aligner;
        _counters = counters;
    }

    public bool AllFinished => _finishedCount == _channels.Length;

    public InputResult ProcessNext()
    {
        var n = _channels.Length;
        var blocked = _aligner.Blocked;
        for (var tries = 0; tries < n; tries++)
        {
            var i = _next + tries;
            if (i >= n) i -= n;
            if (blocked[i]) continue;
            if (!_channels[i].TryDequeue(out var buffer)) continue;
            _next = i + 1 == n ? 0 : i + 1;
            if (buffer.Sequence != _lastSequence[i] + 1)
            {
                if (buffer.Sequence <= _lastSequence[i])
                {
                    _counters.DuplicateBuffersDropped++;
                    if (buffer.Kind == BufferKind.Data) buffer.Release();
                    return InputResult.Processed;
                }
                throw new InvalidOperationException($"Channel {_channels[i].Name} skipped from buffer {_lastSequence[i]} to {buffer.Sequence}: data was lost in transit.");
            }
            _lastSequence[i] = buffer.Sequence;
            switch (buffer.Kind)
            {
                case BufferKind.Data:
                    _counters.BuffersIn++;
                    try { _handlers[i].Process(buffer, _handlerChannel[i]); }
                    finally { buffer.Release(); }
                    return InputResult.Processed;
                case BufferKind.Barrier:
                    _aligner.OnBarrier(i, buffer.EventValue);
                    return InputResult.Processed;
                case BufferKind.EndOfData:
                    if (!_finished[i])
                    {
                        _finished[i] = true;
                        _finishedCount++;
                        _handlers[i].OnChannelFinished(_handlerChannel[i]);
                        if (_finishedCount == n) return InputResult.EndOfData;
                    }
                    return InputResult.Processed;
            }
        }
        return InputResult.NothingAvailable;
    }
}
