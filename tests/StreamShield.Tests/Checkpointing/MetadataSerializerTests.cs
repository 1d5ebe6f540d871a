using System.Buffers.Binary;
using StreamShield.Runtime.Checkpointing;
using StreamShield.Runtime.State;
using StreamShield.Serialization;

namespace StreamShield.Tests.Checkpointing;

/// <summary>
/// The checkpoint metadata format: a lossless round trip, and a <see cref="CorruptDataException"/> with a clear
/// message for a wrong magic number, an unknown format version, a checksum mismatch, and every truncation.
/// </summary>
public sealed class MetadataSerializerTests
{
    private static CheckpointMetadata Sample() => new(
        CheckpointId: 42,
        TimestampMs: 1_700_000_000_123,
        IsSavepoint: true,
        JobName: "jöb with ünïcode",
        States:
        [
            new OperatorSubtaskState("source", 0, 2, 128,
                [new OperatorStateSnapshot("source-splits", OperatorStateMode.Split, [[1, 2, 3], []])], null),
            new OperatorSubtaskState("counter", 1, 2, 128,
                [
                    new OperatorStateSnapshot("processed", OperatorStateMode.Split, [[9]]),
                    new OperatorStateSnapshot("everyone", OperatorStateMode.Union, []),
                    new OperatorStateSnapshot("rules", OperatorStateMode.Broadcast, [[7, 7], [8]]),
                ],
                // An incremental chain: key group 100 is a full segment in an older checkpoint plus a delta here.
                new KeyedStateHandle(new KeyGroupRange(64, 127), ["counter-1.kstate", "../chk-6/counter-1.kstate"],
                    new Dictionary<int, IReadOnlyList<KeyGroupSegment>>
                    {
                        [64] = [new(0, 0, 10)],
                        [100] = [new(1, 0, 900), new(0, 10, 250)],
                        [127] = [new(1, 900, 1)],
                    })),
        ],
        Files: [new StateFileInfo("counter-1.kstate", 261, 0xFEDC_BA98_7654_3210UL), new StateFileInfo("../chk-6/counter-1.kstate", 901, 42)]);

    [Fact]
    public void RoundTripKeepsEveryField()
    {
        var original = Sample();
        var read = MetadataSerializer.Read(MetadataSerializer.Write(original));

        Assert.Equal(original.CheckpointId, read.CheckpointId);
        Assert.Equal(original.TimestampMs, read.TimestampMs);
        Assert.Equal(original.IsSavepoint, read.IsSavepoint);
        Assert.Equal(original.JobName, read.JobName);
        Assert.Equal(original.Files, read.Files);
        Assert.Equal(original.States.Count, read.States.Count);
        for (var i = 0; i < original.States.Count; i++)
        {
            var (a, b) = (original.States[i], read.States[i]);
            Assert.Equal((a.OperatorUid, a.Subtask, a.Parallelism, a.MaxParallelism), (b.OperatorUid, b.Subtask, b.Parallelism, b.MaxParallelism));
            Assert.Equal(a.OperatorState.Count, b.OperatorState.Count);
            for (var j = 0; j < a.OperatorState.Count; j++)
            {
                Assert.Equal(a.OperatorState[j].Name, b.OperatorState[j].Name);
                Assert.Equal(a.OperatorState[j].Mode, b.OperatorState[j].Mode);
                Assert.Equal(a.OperatorState[j].Entries, b.OperatorState[j].Entries);
            }
            Assert.Equal(a.Keyed is null, b.Keyed is null);
            if (a.Keyed is { } ka && b.Keyed is { } kb)
            {
                Assert.Equal(ka.Files, kb.Files);
                Assert.Equal(ka.Range, kb.Range);
                Assert.Equal(ka.KeyGroups.Keys.Order(), kb.KeyGroups.Keys.Order());
                foreach (var (kg, segments) in ka.KeyGroups) Assert.Equal(segments, kb.KeyGroups[kg]);
            }
        }
    }

    [Fact]
    public void EmptyMetadataRoundTrips()
    {
        var read = MetadataSerializer.Read(MetadataSerializer.Write(new CheckpointMetadata(1, 0, false, "", [], [])));
        Assert.Equal(1, read.CheckpointId);
        Assert.Empty(read.States);
        Assert.Empty(read.Files);
    }

    [Fact]
    public void WritingIsDeterministic()
    {
        // Key groups are written in order whatever the dictionary's order, so equal metadata gives equal bytes.
        Assert.Equal(MetadataSerializer.Write(Sample()), MetadataSerializer.Write(Sample()));
    }

    [Fact]
    public void RejectsABadMagicNumber()
    {
        var bytes = MetadataSerializer.Write(Sample());
        bytes[0] ^= 0xFF;
        var e = Assert.Throws<CorruptDataException>(() => MetadataSerializer.Read(bytes));
        Assert.Contains("magic", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsAnotherFileWithTheRightLength()
    {
        var e = Assert.Throws<CorruptDataException>(() => MetadataSerializer.Read("{ \"not\": \"metadata\" }"u8.ToArray()));
        Assert.Contains("magic", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(-1)]
    public void RejectsAnUnknownFormatVersionNamingIt(int version)
    {
        var bytes = MetadataSerializer.Write(Sample());
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), version);
        var e = Assert.Throws<CorruptDataException>(() => MetadataSerializer.Read(bytes));
        Assert.Contains($"version {version}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"supports 1 to {MetadataSerializer.FormatVersion}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsEveryFlippedBodyOrChecksumByte()
    {
        var original = MetadataSerializer.Write(Sample());
        for (var i = 8; i < original.Length; i++)
        {
            var bytes = (byte[])original.Clone();
            bytes[i] ^= 0x01;
            var e = Assert.Throws<CorruptDataException>(() => MetadataSerializer.Read(bytes));
            Assert.True(e.Message.Contains("checksum", StringComparison.Ordinal), $"byte {i}: {e.Message}");
        }
    }

    [Fact]
    public void RejectsEveryTruncation()
    {
        var original = MetadataSerializer.Write(Sample());
        for (var length = 0; length < original.Length; length++)
        {
            var e = Record.Exception(() => MetadataSerializer.Read(original.AsSpan(0, length).ToArray()));
            Assert.True(e is CorruptDataException, $"A file truncated to {length} of {original.Length} bytes gave {e?.GetType().Name ?? "no error"}: {e?.Message}");
        }
    }

    [Fact]
    public void RejectsATruncatedBodyEvenWithAMatchingChecksum()
    {
        // A writer bug, not disk damage: the checksum matches the shortened body, so the reader itself must notice.
        var original = MetadataSerializer.Write(Sample());
        for (var bodyLength = 0; bodyLength < original.Length - 16; bodyLength++)
        {
            var bytes = new byte[8 + bodyLength + 8];
            original.AsSpan(0, 8 + bodyLength).CopyTo(bytes);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8 + bodyLength), Checksum.Of(bytes.AsSpan(8, bodyLength)));
            var e = Record.Exception(() => MetadataSerializer.Read(bytes));
            Assert.True(e is CorruptDataException, $"A body cut to {bodyLength} bytes with a valid checksum gave {e?.GetType().Name ?? "no error"}: {e?.Message}");
        }
    }
}
