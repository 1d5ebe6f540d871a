using StreamShield.Operators;
using StreamShield.Runtime.Network;
using StreamShield.Serialization;

namespace StreamShield.Runtime.Tasks;

/// <summary>
/// Deserializes the data buffers of one logical input (all channels feeding one input of the head operator) and
/// pushes records into the operator. Tracks each channel's watermark and idleness and forwards the minimum over
/// active channels when it advances (Flink's status watermark valve).
/// </summary>
internal sealed class InputHandler<T> : IInputHandler
{
    private readonly IOutput<T> _target;
    private readonly TypeSerializer<T> _serializer;
    private readonly TaskCounters _counters;
    private readonly long[] _watermarks;
    private readonly bool[] _idle;
    private readonly bool[] _finished;
    private readonly DataInput _input = new(Array.Empty<byte>());
    private long _emitted = long.MinValue;
    private bool _emittedIdle;

    public InputHandler(IOutput<T> target, TypeSerializer<T> serializer, int channels, TaskCounters counters)
    {
        _target = target;
        _serializer = serializer;
        _counters = counters;
        _watermarks = new long[channels];
        Array.Fill(_watermarks, long.MinValue);
        _idle = new bool[channels];
        _finished = new bool[channels];
    }

    public void Process(NetworkBuffer buffer, int channel)
    {
        var input = _input;
        input.Reset(buffer.Data!, 0, buffer.Length);
        while (!input.IsAtEnd)
        {
            switch (input.ReadByte())
            {
                case StreamElementTag.Record:
                    _counters.RecordsIn++;
                    _target.Collect(_serializer.Deserialize(input), StreamRecord.NoTimestamp);
                    break;
                case StreamElementTag.TimestampedRecord:
                    var ts = input.ReadInt64();
                    _counters.RecordsIn++;
                    _target.Collect(_serializer.Deserialize(input), ts);
                    break;
                case StreamElementTag.Watermark:
                    OnWatermark(channel, input.ReadInt64());
                    break;
                case StreamElementTag.Idle:
                    _idle[channel] = true;
                    Update();
                    break;
                case StreamElementTag.Active:
                    _idle[channel] = false;
                    Update();
                    break;
                default:
                    throw new CorruptDataException($"Unknown stream element tag in a buffer of channel {channel}.");
            }
        }
    }

    private void OnWatermark(int channel, long watermark)
    {
        if (watermark <= _watermarks[channel]) return;
        _watermarks[channel] = watermark;
        Update();
    }

    public void OnChannelFinished(int channel)
    {
        _finished[channel] = true;
        Update();
    }

    private void Update()
    {
        var min = long.MaxValue;
        var anyActive = false;
        for (var i = 0; i < _watermarks.Length; i++)
        {
            if (_finished[i] || _idle[i]) continue;
            anyActive = true;
            if (_watermarks[i] < min) min = _watermarks[i];
        }
        if (!anyActive)
        {
            var allFinished = Array.TrueForAll(_finished, f => f);
            if (!allFinished && !_emittedIdle)
            {
                _emittedIdle = true;
                _target.EmitWatermarkStatus(true);
            }
            return;
        }
        if (_emittedIdle)
        {
            _emittedIdle = false;
            _target.EmitWatermarkStatus(false);
        }
        if (min > _emitted)
        {
            _emitted = min;
            _target.EmitWatermark(min);
        }
    }
}

/// <summary>The input processor's view of an input handler, independent of its record type.</summary>
internal interface IInputHandler
{
    void Process(NetworkBuffer buffer, int channel);
    void OnChannelFinished(int channel);
}

/// <summary>Per-subtask counters, written by the subtask thread, read racily by metrics.</summary>
internal sealed class TaskCounters
{
    public long RecordsIn;
    public long BuffersIn;
    public long DuplicateBuffersDropped;
    public long BackpressuredMs;
    public long IdleMs;
}
