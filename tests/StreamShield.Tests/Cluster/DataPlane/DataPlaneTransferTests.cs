using System.Diagnostics;
using StreamShield.Cluster.DataPlane;
using StreamShield.Runtime.Network;
using static StreamShield.Tests.Cluster.DataPlane.DataPlaneTestKit;

namespace StreamShield.Tests.Cluster.DataPlane;

public class DataPlaneTransferTests
{
    [Fact]
    public void Ten_thousand_buffers_arrive_in_order_and_intact_with_events_and_credit_backpressure()
    {
        using var a = Create("worker-a");
        using var b = Create("worker-b");
        Introduce(a, b);
        const int credits = 4;
        const int count = 10_000;
        var key = new ChannelKey("attempt-1", 0, "source -> sink");
        var consumerSignal = new TaskSignal();
        var input = new LocalChannel("source -> sink", credits, consumerSignal);
        b.RegisterInput(key, "worker-a", input);
        var output = a.OpenOutput(key, "worker-b", credits);
        Assert.Equal("source -> sink", output.Name);
        var producerSignal = new TaskSignal();
        output.SetProducerSignal(producerSignal);

        var sawNoCredit = new ManualResetEventSlim();
        var maxBacklog = 0;
        Exception? producerError = null;
        var producer = new Thread(() =>
        {
            try
            {
                for (var i = 0; i < count; i++)
                {
                    // What a subtask loop does: stop taking input while the channel has no credit.
                    while (!output.HasCredit)
                    {
                        sawNoCredit.Set();
                        producerSignal.Reset();
                        if (!output.HasCredit) producerSignal.Wait(1000);
                    }
                    output.Enqueue(DataBuffer(output, 1 + i % 3000));
                    maxBacklog = Math.Max(maxBacklog, output.Backlog);
                    if (i % 1000 == 999) output.Enqueue(Event(output, BufferKind.Barrier, i / 1000));
                }
                output.Enqueue(Event(output, BufferKind.EndOfData, 0));
            }
            catch (Exception e)
            {
                producerError = e;
            }
        }) { IsBackground = true };
        producer.Start();

        // The consumer does not read until the producer ran out of credit, so HasCredit must have gone false.
        Assert.True(sawNoCredit.Wait(Patience), "The producer never ran out of credit.");
        Assert.Equal(credits, a.GetOutputMetrics().Single().Backlog);

        long expectedSequence = 0;
        var dataSeen = 0;
        var barriers = new List<long>();
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var buffer = Take(input, consumerSignal);
            Assert.Equal(expectedSequence++, buffer.Sequence);
            if (buffer.Kind == BufferKind.EndOfData) break;
            if (buffer.Kind == BufferKind.Barrier)
            {
                barriers.Add(buffer.EventValue);
                Assert.Equal(1000 * barriers.Count, dataSeen);
                continue;
            }
            CheckAndRelease(buffer, 1 + dataSeen % 3000);
            // A slow consumer: the producer keeps hitting its credit limit.
            if (++dataSeen % 200 == 0) Thread.Sleep(1);
            Assert.True(sw.Elapsed < Patience * 2, "The transfer took too long.");
        }
        Assert.True(producer.Join(Patience));
        Assert.Null(producerError);
        Assert.Equal(count, dataSeen);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), barriers);
        Assert.InRange(maxBacklog, 1, credits + 1);
        // The last credits come back asynchronously.
        WaitUntil(() => output.Backlog == 0 && output.HasCredit, "all credit returned");
        var peer = a.GetPeerMetrics().Single();
        Assert.Equal("worker-b", peer.WorkerId);
        Assert.True(peer.BytesSent > count * 1000L);
        var received = b.GetPeerMetrics().Single().BytesReceived;
        Assert.True(received >= count * 1000L, $"received {received}, sent {peer.BytesSent}");
    }

    [Fact]
    public void Channels_in_both_directions_share_one_connection()
    {
        using var a = Create("worker-a");
        using var b = Create("worker-b");
        Introduce(a, b);
        var signalOnA = new TaskSignal();
        var signalOnB = new TaskSignal();
        var inputsOnB = Enumerable.Range(0, 3).Select(i => new LocalChannel($"a->b {i}", 8, signalOnB)).ToArray();
        var inputsOnA = Enumerable.Range(0, 3).Select(i => new LocalChannel($"b->a {i}", 8, signalOnA)).ToArray();
        for (var i = 0; i < 3; i++)
        {
            b.RegisterInput(new ChannelKey("attempt-1", i, $"a->b {i}"), "worker-a", inputsOnB[i]);
            a.RegisterInput(new ChannelKey("attempt-1", 10 + i, $"b->a {i}"), "worker-b", inputsOnA[i]);
        }
        var outputsOnA = Enumerable.Range(0, 3).Select(i => a.OpenOutput(new ChannelKey("attempt-1", i, $"a->b {i}"), "worker-b", 8)).ToArray();
        var outputsOnB = Enumerable.Range(0, 3).Select(i => b.OpenOutput(new ChannelKey("attempt-1", 10 + i, $"b->a {i}"), "worker-a", 8)).ToArray();
        for (var i = 0; i < 3; i++)
        {
            SendBurst(outputsOnA[i], 50, 10 + i);
            SendBurst(outputsOnB[i], 50, 20 + i);
        }
        for (var i = 0; i < 3; i++)
        {
            ReceiveBurst(inputsOnB[i], signalOnB, 50, 10 + i);
            ReceiveBurst(inputsOnA[i], signalOnA, 50, 20 + i);
        }
        WaitUntil(() => outputsOnA.All(o => o.Backlog == 0) && outputsOnB.All(o => o.Backlog == 0), "credits returned both ways");
        Assert.Equal(1, a.ConnectionCount);
        Assert.Equal(1, b.ConnectionCount);
        // One handshake on each side of one connection, and no other connection was ever made.
        Assert.Equal(1, a.HandshakesCompleted);
        Assert.Equal(1, b.HandshakesCompleted);
        Assert.True(a.GetPeerMetrics().Single().Dialer);
        Assert.False(b.GetPeerMetrics().Single().Dialer);
    }

    [Fact]
    public void Buffers_arriving_before_RegisterInput_are_held_and_delivered_after_it()
    {
        using var a = Create("worker-a");
        using var b = Create("worker-b");
        Introduce(a, b);
        var key = new ChannelKey("attempt-1", 3, "early");
        var output = a.OpenOutput(key, "worker-b", 8);
        SendBurst(output, 5);
        WaitUntil(() => b.HeldFrameCount == 6, "buffers held on the consumer's worker");

        var signal = new TaskSignal();
        var input = new LocalChannel("early", 8, signal);
        b.RegisterInput(key, "worker-a", input);
        Assert.Equal(0, b.HeldFrameCount);
        ReceiveBurst(input, signal, 5);
        WaitUntil(() => output.Backlog == 0, "credit for held buffers returned");
    }

    [Fact]
    public void Buffers_queued_on_the_accepting_side_flow_once_the_consumer_registers_and_dials()
    {
        using var a = Create("worker-a");
        using var b = Create("worker-b");
        Introduce(a, b);
        // worker-b never dials worker-a: its buffers wait in its send queue for the inbound connection.
        var key = new ChannelKey("attempt-1", 0, "b to a");
        var output = b.OpenOutput(key, "worker-a", 8);
        SendBurst(output, 5);
        Assert.Equal(0, b.ConnectionCount);

        var signal = new TaskSignal();
        var input = new LocalChannel("b to a", 8, signal);
        a.RegisterInput(key, "worker-b", input);
        ReceiveBurst(input, signal, 5);
        Assert.Equal(1, a.ConnectionCount);
    }

    [Fact]
    public void Released_attempt_drops_held_and_late_buffers()
    {
        using var a = Create("worker-a");
        using var b = Create("worker-b");
        Introduce(a, b);
        var signal = new TaskSignal();

        // Held buffers of an attempt released before its input registered are dropped.
        var heldKey = new ChannelKey("attempt-0", 0, "held");
        var heldOutput = a.OpenOutput(heldKey, "worker-b", 8);
        SendBurst(heldOutput, 3);
        WaitUntil(() => b.HeldFrameCount == 4, "buffers held");
        b.ReleaseAttempt("attempt-0");
        Assert.Equal(0, b.HeldFrameCount);
        Assert.Throws<InvalidOperationException>(() => b.RegisterInput(heldKey, "worker-a", new LocalChannel("held", 8, signal)));

        // A registered attempt receives; after release its late buffers go nowhere.
        var oldKey = new ChannelKey("attempt-1", 0, "old");
        var oldInput = new LocalChannel("old", 8, signal);
        b.RegisterInput(oldKey, "worker-a", oldInput);
        var oldOutput = a.OpenOutput(oldKey, "worker-b", 8);
        for (var i = 0; i < 3; i++) oldOutput.Enqueue(DataBuffer(oldOutput, 50));
        for (var i = 0; i < 3; i++) CheckAndRelease(Take(oldInput, signal), 50);
        b.ReleaseAttempt("attempt-1");
        SendBurst(oldOutput, 3, 50);

        // The next attempt's buffers travel the same connection after the late ones, so once they arrived the
        // late ones were processed (and dropped).
        var newKey = new ChannelKey("attempt-2", 0, "new");
        var newSignal = new TaskSignal();
        var newInput = new LocalChannel("new", 8, newSignal);
        b.RegisterInput(newKey, "worker-a", newInput);
        var newOutput = a.OpenOutput(newKey, "worker-b", 8);
        SendBurst(newOutput, 4);
        ReceiveBurst(newInput, newSignal, 4);
        Assert.True(oldInput.IsEmpty);
        Assert.Equal(0, b.HeldFrameCount);

        // The producer's side: a released output swallows buffers and is no longer listed.
        a.ReleaseAttempt("attempt-1");
        oldOutput.Enqueue(DataBuffer(oldOutput, 10));
        Assert.DoesNotContain(a.GetOutputMetrics(), m => m.AttemptId == "attempt-1");
        Assert.Contains(a.GetOutputMetrics(), m => m.AttemptId == "attempt-2");
    }

    [Fact]
    public void Held_buffers_are_capped_per_key()
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var a = Create("worker-a");
        using var b = Create("worker-b", log: log);
        b.MaxHeldPerKey = 3;
        Introduce(a, b);
        var output = a.OpenOutput(new ChannelKey("attempt-1", 0, "flood"), "worker-b", 8);
        SendBurst(output, 10);
        WaitUntil(() => log.Any(m => m.Contains("before its input was registered")), "overflow logged");
        Assert.Equal(3, b.HeldFrameCount);
        b.ReleaseAttempt("attempt-1");
        Assert.Equal(0, b.HeldFrameCount);
    }
}
