using System.Buffers;
using StreamShield.Functions;
using StreamShield.Operators;
using StreamShield.Serialization;

namespace StreamShield.Runtime.Network;

/// <summary>
/// Serializes an operator's output records into per-channel buffers of many records and sends full buffers
/// (or partly full ones on flush). Each sent buffer gets the channel's next sequence number and, when retention
/// is on, is kept in the channel's <see cref="RetainedOutput"/> until the checkpoint after it completes.
/// Owned by the producer subtask's thread.
/// </summary>
internal sealed class RecordWriter<T> : IOutput<T>, IRecordWriter, Tasks.IWatermarkTarget
{
    private readonly OutputChannel[] _channels;
    private readonly DataOutput[] _pending;
    private readonly RetainedOutput?[] _retained;
    private readonly ChannelSelector<T> _selector;
    private readonly TypeSerializer<T> _serializer;
    private readonly int _bufferSize;
    private readonly Action? _onSend;
    private long _recordsOut;
    private long _buffersOut;

    public RecordWriter(OutputChannel[] channels, ChannelSelector<T> selector, TypeSerializer<T> serializer, RetainedOutput?[] retained, TaskSignal producerSignal, Action? onSend = null, int bufferSize = NetworkBuffer.DefaultSize)
    {
        _channels = channels;
        _selector = selector;
        _serializer = serializer;
        _retained = retained;
        _bufferSize = bufferSize;
        _onSend = onSend;
        _pending = new DataOutput[channels.Length];
        for (var i = 0; i < channels.Length; i++)
        {
            _pending[i] = new DataOutput(bufferSize);
            channels[i].SetProducerSignal(producerSignal);
        }
    }

    public long RecordsOut => _recordsOut;
    public long BuffersOut => _buffersOut;
    public IReadOnlyList<OutputChannel> Channels => _channels;

    public void Collect(T value, long timestamp)
    {
        _recordsOut++;
        var c = _channels.Length == 1 ? 0 : _selector.Select(value, _channels.Length);
        if (c >= 0) { Write(c, value, timestamp); return; }
        for (var i = 0; i < _channels.Length; i++) Write(i, value, timestamp);
    }

    private void Write(int channel, T value, long timestamp)
    {
        var output = _pending[channel];
        if (timestamp == StreamRecord.NoTimestamp)
        {
            output.WriteByte(StreamElementTag.Record);
        }
        else
        {
            output.WriteByte(StreamElementTag.TimestampedRecord);
            output.WriteInt64(timestamp);
        }
        _serializer.Serialize(value, output);
        if (output.Length >= _bufferSize) Send(channel);
    }

    public void EmitWatermark(long watermark)
    {
        for (var i = 0; i < _channels.Length; i++)
        {
            _pending[i].WriteByte(StreamElementTag.Watermark);
            _pending[i].WriteInt64(watermark);
        }
    }

    public void EmitWatermarkStatus(bool idle)
    {
        for (var i = 0; i < _channels.Length; i++) _pending[i].WriteByte(idle ? StreamElementTag.Idle : StreamElementTag.Active);
    }

    public void CollectSide<TSide>(OutputTag<TSide> tag, TSide value, long timestamp) { }

    private void Send(int channel)
    {
        var output = _pending[channel];
        if (output.Length == 0) return;
        _onSend?.Invoke();
        var data = output.Detach(_bufferSize, out var length);
        var ch = _channels[channel];
        var retained = _retained[channel];
        var buffer = new NetworkBuffer(BufferKind.Data, ch.NextSequence(), data, length, 0, retained is null ? 1 : 2);
        retained?.Retain(buffer);
        _buffersOut++;
        ch.Enqueue(buffer);
    }

    /// <summary>Sends every partly filled buffer.</summary>
    public void Flush()
    {
        for (var i = 0; i < _channels.Length; i++) Send(i);
    }

    public bool HasPendingData
    {
        get
        {
            foreach (var p in _pending) if (p.Length > 0) return true;
            return false;
        }
    }

    /// <summary>True when every channel has credit (the task may take more input).</summary>
    public bool IsAvailable
    {
        get
        {
            foreach (var c in _channels) if (!c.HasCredit) return false;
            return true;
        }
    }

    public void BroadcastEvent(BufferKind kind, long value)
    {
        Flush();
        for (var i = 0; i < _channels.Length; i++)
        {
            var ch = _channels[i];
            var seq = ch.NextSequence();
            if (kind == BufferKind.Barrier) _retained[i]?.MarkBarrier(value, seq);
            ch.Enqueue(new NetworkBuffer(kind, seq, null, 0, value, 1));
        }
    }

    public void NotifyCheckpointComplete(long checkpointId)
    {
        foreach (var r in _retained) r?.Truncate(checkpointId);
    }

    public long RetainedBytes => _retained.Sum(r => r?.MemoryBytes ?? 0);

    public void Dispose()
    {
        foreach (var p in _pending) p.Dispose();
        foreach (var r in _retained) r?.Dispose();
    }
}

/// <summary>The task's view of a record writer, independent of its record type.</summary>
internal interface IRecordWriter : IDisposable
{
    void Flush();
    bool HasPendingData { get; }
    bool IsAvailable { get; }
    void BroadcastEvent(BufferKind kind, long value);
    void NotifyCheckpointComplete(long checkpointId);
    long RecordsOut { get; }
    long RetainedBytes { get; }
}
