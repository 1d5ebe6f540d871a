using System.Buffers;
using StreamShield.Runtime.Network;
using StreamShield.Tests.Api;

namespace StreamShield.Tests.Runtime.Network;

/// <summary>
/// <see cref="RetainedOutput"/>: what a producer keeps of a channel since the last completed checkpoint — retained in
/// memory up to its limit, spilled to disk past it, replayed byte-exact from a sequence number, truncated at a barrier.
/// </summary>
public sealed class RetainedOutputTests : IDisposable
{
    private const int Seed = 71;
    private readonly TempDirectory _spill = new("retained");
    private readonly Random _random = new(Seed);
    private long _nextSequence;

    public void Dispose() => _spill.Dispose();

    private sealed record Sent(long Sequence, byte[] Bytes, NetworkBuffer Buffer);

    /// <summary>Sends a data buffer of <paramref name="length"/> random bytes; the retained output is its only owner.</summary>
    private Sent Send(RetainedOutput retained, int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        var data = ArrayPool<byte>.Shared.Rent(length);
        bytes.CopyTo(data, 0);
        var buffer = new NetworkBuffer(BufferKind.Data, _nextSequence++, data, length, 0, references: 1);
        retained.Retain(buffer);
        return new Sent(buffer.Sequence, bytes, buffer);
    }

    /// <summary>A barrier takes the channel's next sequence number, as in <see cref="RecordWriter{T}.BroadcastEvent"/>.</summary>
    private long Barrier(RetainedOutput retained, long checkpointId)
    {
        var sequence = _nextSequence++;
        retained.MarkBarrier(checkpointId, sequence);
        return sequence;
    }

    private void AssertReplay(RetainedOutput retained, long from, IEnumerable<Sent> expected)
    {
        var replayed = retained.Replay(from).ToList();
        var want = expected.Where(s => s.Sequence >= from).ToList();
        Assert.True(want.Select(s => s.Sequence).SequenceEqual(replayed.Select(r => r.Sequence)),
            $"seed {Seed}: replay from {from} gave sequences [{string.Join(",", replayed.Select(r => r.Sequence))}], expected [{string.Join(",", want.Select(s => s.Sequence))}]");
        foreach (var (w, r) in want.Zip(replayed))
            Assert.True(w.Bytes.AsSpan().SequenceEqual(r.Data), $"seed {Seed}: bytes of buffer {w.Sequence} differ after replay");
    }

    [Fact]
    public void BuffersBelowTheLimitStayInMemoryAndReplayInOrder()
    {
        using var retained = new RetainedOutput(_spill.Path, "a->b", memoryLimitBytes: 1 << 20);
        var sent = Enumerable.Range(0, 20).Select(_ => Send(retained, _random.Next(1, 5000))).ToList();

        Assert.Equal(20, retained.RetainedBuffers);
        Assert.Equal(0, retained.SpilledBuffers);
        Assert.Equal(sent.Sum(s => (long)s.Bytes.Length), retained.MemoryBytes);
        Assert.All(sent, s => Assert.NotNull(s.Buffer.Data)); // still owned by the retained output
        AssertReplay(retained, 0, sent);
        AssertReplay(retained, 7, sent);
        AssertReplay(retained, 19, sent);
        AssertReplay(retained, 20, sent);
    }

    [Fact]
    public void PastTheMemoryLimitTheOldestBuffersSpillAndAreReleased()
    {
        const long limit = 16 * 1024;
        using var retained = new RetainedOutput(_spill.Path, "a->b", limit);
        var sent = new List<Sent>();
        for (var i = 0; i < 60; i++)
        {
            sent.Add(Send(retained, _random.Next(500, 6000)));
            Assert.True(retained.MemoryBytes <= limit, $"seed {Seed}: {retained.MemoryBytes} bytes in memory after buffer {i}, limit {limit}");
        }

        Assert.Equal(60, retained.RetainedBuffers);
        Assert.True(retained.SpilledBuffers >= 40, $"seed {Seed}: only {retained.SpilledBuffers} buffers spilled");
        // Spilled buffers went back to the pool; the newest ones are still held in memory.
        var spilled = sent.Take((int)retained.SpilledBuffers).ToList();
        Assert.All(spilled, s => Assert.Null(s.Buffer.Data));
        Assert.All(sent.Skip((int)retained.SpilledBuffers), s => Assert.NotNull(s.Buffer.Data));
        Assert.Equal(sent.Skip((int)retained.SpilledBuffers).Sum(s => (long)s.Bytes.Length), retained.MemoryBytes);
        Assert.Single(Directory.GetFiles(_spill.Path));

        foreach (var from in new long[] { 0, 1, 13, retained.SpilledBuffers - 1, retained.SpilledBuffers, 59, 60 })
            AssertReplay(retained, from, sent);
    }

    [Fact]
    public void ABufferLargerThanTheWholeLimitIsSpilledAtOnce()
    {
        using var retained = new RetainedOutput(_spill.Path, "big", memoryLimitBytes: 1024);
        var sent = new List<Sent> { Send(retained, 100), Send(retained, 4096), Send(retained, 200) };

        Assert.True(retained.MemoryBytes <= 1024);
        Assert.Equal(2, retained.SpilledBuffers);
        Assert.Equal(200, retained.MemoryBytes);
        AssertReplay(retained, 0, sent);
    }

    [Fact]
    public void TruncateDropsEverythingBeforeTheCompletedCheckpointsBarrierAndReleasesIt()
    {
        const long limit = 20 * 1024;
        using var retained = new RetainedOutput(_spill.Path, "a->b", limit);
        var sent = new List<Sent>();
        for (var i = 0; i < 30; i++) sent.Add(Send(retained, _random.Next(1000, 4000)));
        var barrier1 = Barrier(retained, checkpointId: 1);
        for (var i = 0; i < 30; i++) sent.Add(Send(retained, _random.Next(1000, 4000)));
        var barrier2 = Barrier(retained, checkpointId: 2);
        for (var i = 0; i < 10; i++) sent.Add(Send(retained, _random.Next(100, 400)));
        Assert.True(retained.SpilledBuffers > 30, "the first checkpoint's buffers should all be on disk");

        retained.Truncate(checkpointId: 3); // never marked on this channel: nothing happens
        Assert.Equal(70, retained.RetainedBuffers);

        retained.Truncate(checkpointId: 1);
        var kept = sent.Where(s => s.Sequence > barrier1).ToList();
        Assert.Equal(kept.Count, retained.RetainedBuffers);
        Assert.All(sent.Where(s => s.Sequence < barrier1), s => Assert.Null(s.Buffer.Data));
        AssertReplay(retained, 0, kept);
        AssertReplay(retained, barrier1 + 5, kept);
        Assert.True(retained.MemoryBytes <= limit);

        // More output after the truncation still spills and replays correctly.
        for (var i = 0; i < 20; i++) sent.Add(Send(retained, _random.Next(1000, 4000)));
        kept = sent.Where(s => s.Sequence > barrier1).ToList();
        AssertReplay(retained, 0, kept);

        retained.Truncate(checkpointId: 2);
        kept = sent.Where(s => s.Sequence > barrier2).ToList();
        Assert.Equal(kept.Count, retained.RetainedBuffers);
        Assert.All(sent.Where(s => s.Sequence < barrier2), s => Assert.Null(s.Buffer.Data));
        Assert.Equal(kept.Where(s => s.Buffer.Data is not null).Sum(s => (long)s.Bytes.Length), retained.MemoryBytes);
        AssertReplay(retained, 0, kept);

        retained.Truncate(checkpointId: 1); // already superseded: nothing happens
        Assert.Equal(kept.Count, retained.RetainedBuffers);
    }

    [Fact]
    public void TruncatingEverythingEmptiesMemoryAndTheSpillFile()
    {
        using var retained = new RetainedOutput(_spill.Path, "a->b", memoryLimitBytes: 4096);
        var sent = Enumerable.Range(0, 10).Select(_ => Send(retained, 2000)).ToList();
        Barrier(retained, checkpointId: 7);
        retained.Truncate(checkpointId: 7);

        Assert.Equal(0, retained.RetainedBuffers);
        Assert.Equal(0, retained.MemoryBytes);
        Assert.Empty(retained.Replay(0));
        Assert.All(sent, s => Assert.Null(s.Buffer.Data));
        Assert.All(Directory.GetFiles(_spill.Path), f => Assert.Equal(0, new FileInfo(f).Length));
    }

    [Fact]
    public void ABufferStillReadByTheConsumerIsReturnedOnlyWhenBothOwnersReleasedIt()
    {
        using var retained = new RetainedOutput(_spill.Path, "a->b", memoryLimitBytes: 1 << 20);
        var data = ArrayPool<byte>.Shared.Rent(64);
        var buffer = new NetworkBuffer(BufferKind.Data, 0, data, 64, 0, references: 2); // consumer + retained output
        retained.Retain(buffer);
        retained.MarkBarrier(1, 1);
        retained.Truncate(1);
        Assert.NotNull(buffer.Data); // the consumer still reads it
        buffer.Release();
        Assert.Null(buffer.Data);
    }

    [Fact]
    public void DisposeReleasesBuffersAndDeletesTheSpillFile()
    {
        var retained = new RetainedOutput(_spill.Path, "a->b", memoryLimitBytes: 4096);
        var sent = Enumerable.Range(0, 10).Select(_ => Send(retained, 1500)).ToList();
        Assert.NotEmpty(Directory.GetFiles(_spill.Path));
        retained.Dispose();

        Assert.All(sent, s => Assert.Null(s.Buffer.Data));
        Assert.Empty(Directory.GetFiles(_spill.Path));
    }
}
