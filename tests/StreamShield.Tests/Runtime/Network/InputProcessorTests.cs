using StreamShield.Functions;
using StreamShield.Operators;
using StreamShield.Runtime.Network;
using StreamShield.Runtime.Tasks;
using StreamShield.Serialization;

namespace StreamShield.Tests.Runtime.Network;

public class InputProcessorTests
{
    private sealed class Capture : IOutput<long>
    {
        public readonly List<long> Records = new();
        public readonly List<long> Watermarks = new();
        public void Collect(long value, long timestamp) => Records.Add(value);
        public void EmitWatermark(long watermark) => Watermarks.Add(watermark);
        public void EmitWatermarkStatus(bool idle) { }
        public void CollectSide<TSide>(OutputTag<TSide> tag, TSide value, long timestamp) { }
    }

    private static NetworkBuffer Data(long sequence, params long[] values)
    {
        var output = new DataOutput();
        foreach (var v in values)
        {
            output.WriteByte(StreamElementTag.Record);
            TypeSerializers.For<long>().Serialize(v, output);
        }
        var bytes = output.ToArray();
        var pooled = System.Buffers.ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(pooled, 0);
        return new NetworkBuffer(BufferKind.Data, sequence, pooled, bytes.Length, 0, 1);
    }

    private static (InputProcessor Processor, LocalChannel Channel, Capture Capture, TaskCounters Counters) Create()
    {
        var capture = new Capture();
        var counters = new TaskCounters();
        var channel = new LocalChannel("test", 8, new TaskSignal());
        var handler = new InputHandler<long>(capture, TypeSerializers.For<long>(), 1, counters);
        var aligner = new BarrierAligner(1, exactlyOnce: true, _ => { }, _ => { });
        return (new InputProcessor([(channel, handler, 0)], aligner, counters), channel, capture, counters);
    }

    [Fact]
    public void ReplayedBuffersAreDroppedBySequenceNumber()
    {
        var (processor, channel, capture, counters) = Create();
        channel.Enqueue(Data(0, 1, 2));
        channel.Enqueue(Data(1, 3));
        channel.Enqueue(Data(0, 1, 2)); // a replay of what was already consumed
        channel.Enqueue(Data(1, 3));
        channel.Enqueue(Data(2, 4));
        while (processor.ProcessNext() != InputResult.NothingAvailable) { }
        Assert.Equal([1L, 2, 3, 4], capture.Records);
        Assert.Equal(2, counters.DuplicateBuffersDropped);
        Assert.Equal(4, counters.RecordsIn);
    }

    [Fact]
    public void AGapInSequenceNumbersFailsTheSubtask()
    {
        var (processor, channel, _, _) = Create();
        channel.Enqueue(Data(0, 1));
        channel.Enqueue(Data(2, 3));
        Assert.Equal(InputResult.Processed, processor.ProcessNext());
        var e = Assert.Throws<InvalidOperationException>(() => processor.ProcessNext());
        Assert.Contains("skipped from buffer 0 to 2", e.Message);
    }

    [Fact]
    public void ChannelReportsNoCreditWhenItsQueueIsFull()
    {
        var channel = new LocalChannel("credit", 2, new TaskSignal());
        Assert.True(channel.HasCredit);
        channel.Enqueue(Data(0, 1));
        channel.Enqueue(Data(1, 2));
        Assert.False(channel.HasCredit);
        Assert.Equal(2, channel.Backlog);
        Assert.True(channel.TryDequeue(out var b));
        b.Release();
        Assert.True(channel.HasCredit);
    }
}
