using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using StreamShield.Runtime.Network;

namespace StreamShield.Tests.Cluster.DataPlane;

using DataPlane = StreamShield.Cluster.DataPlane.DataPlane;

/// <summary>Helpers for data-plane tests: two or more planes on 127.0.0.1, generous waits, checkable buffers.</summary>
internal static class DataPlaneTestKit
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>A plane with a data key as the coordinator issues one at registration (derived from the id here, so tests can introduce planes).</summary>
    public static DataPlane Create(string workerId, string? token = "s3cr3t-token", ConcurrentQueue<string>? log = null) =>
        new(workerId, "127.0.0.1", 0, token, m => log?.Enqueue(m)) { DataKey = KeyOf(workerId) };

    /// <summary>The data key <see cref="Create"/> gives a worker (hex).</summary>
    public static string KeyOf(string workerId) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("key of " + workerId)));

    /// <summary>Tells each plane where the other listens and its data key, as a deployment does.</summary>
    public static void Introduce(DataPlane a, DataPlane b)
    {
        a.SetPeer(b.WorkerId, "127.0.0.1", b.Port, KeyOf(b.WorkerId));
        b.SetPeer(a.WorkerId, "127.0.0.1", a.Port, KeyOf(a.WorkerId));
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails after a generous timeout.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > Patience) Assert.Fail($"Timed out waiting for: {what}");
            Thread.Sleep(10);
        }
    }

    public static byte Pattern(long sequence, int index) => (byte)(sequence * 31 + index * 7);

    public static NetworkBuffer DataBuffer(OutputChannel output, int length)
    {
        var sequence = output.NextSequence();
        var data = ArrayPool<byte>.Shared.Rent(length);
        for (var j = 0; j < length; j++) data[j] = Pattern(sequence, j);
        return new NetworkBuffer(BufferKind.Data, sequence, data, length, 0, 1);
    }

    public static NetworkBuffer Event(OutputChannel output, BufferKind kind, long value) =>
        new(kind, output.NextSequence(), null, 0, value, 1);

    /// <summary>Checks a received data buffer against <see cref="Pattern"/> and releases it.</summary>
    public static void CheckAndRelease(NetworkBuffer buffer, int expectedLength)
    {
        Assert.Equal(BufferKind.Data, buffer.Kind);
        Assert.Equal(expectedLength, buffer.Length);
        var data = buffer.Data!;
        for (var j = 0; j < buffer.Length; j++)
            if (data[j] != Pattern(buffer.Sequence, j)) Assert.Fail($"Buffer {buffer.Sequence} is corrupted at byte {j}.");
        buffer.Release();
    }

    /// <summary>Takes the next buffer from <paramref name="channel"/>, waiting on its consumer signal.</summary>
    public static NetworkBuffer Take(LocalChannel channel, TaskSignal signal)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            signal.Reset();
            if (channel.TryDequeue(out var buffer)) return buffer;
            if (sw.Elapsed > Patience) Assert.Fail($"Timed out waiting for a buffer on {channel.Name}.");
            signal.Wait(500);
        }
    }

    /// <summary>Sends <paramref name="count"/> data buffers and an end of data, without regard for credit.</summary>
    public static void SendBurst(OutputChannel output, int count, int length = 100)
    {
        for (var i = 0; i < count; i++) output.Enqueue(DataBuffer(output, length));
        output.Enqueue(Event(output, BufferKind.EndOfData, 0));
    }

    /// <summary>Receives what <see cref="SendBurst"/> sent, checking order and contents.</summary>
    public static void ReceiveBurst(LocalChannel channel, TaskSignal signal, int count, int length = 100)
    {
        for (var i = 0; i < count; i++)
        {
            var b = Take(channel, signal);
            Assert.Equal(i, b.Sequence);
            CheckAndRelease(b, length);
        }
        var end = Take(channel, signal);
        Assert.Equal(BufferKind.EndOfData, end.Kind);
        Assert.Equal(count, end.Sequence);
    }
}
