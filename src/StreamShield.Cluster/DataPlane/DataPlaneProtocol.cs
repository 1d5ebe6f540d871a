using System.Buffers.Binary;
using System.Text;
using StreamShield.Runtime.Network;
using StreamShield.Cluster.Transport;

namespace StreamShield.Cluster.DataPlane;

/// <summary>
/// Wire format of the worker-to-worker data plane, on top of <see cref="FrameConnection"/> frames.
/// <list type="bullet">
/// <item><see cref="Hello"/>: magic, protocol version, token, worker id, proof. The first frame in each direction;
/// the dialer sends it, the acceptor answers with its own <see cref="Hello"/> (empty proof) or a <see cref="Refused"/>.
/// The dialer's proof is <see cref="Proof"/>: an HMAC keyed with the acceptor's data key, which only the coordinator
/// (that issued it at the acceptor's registration) and the workers it deployed next to the acceptor know. So a
/// process that merely claims a worker's id cannot take over that worker's connection, with or without a token.</item>
/// <item><see cref="Batch"/>: a sequence of self-delimiting channel messages (data, barrier, end of data, credit).
/// The writer thread packs everything queued for a peer into as few frames as possible, because a frame is one
/// socket write and the small credit and event messages would otherwise each cost a system call.</item>
/// </list>
/// Every channel message starts with its type, the attempt id (u16 length + UTF-8) and the channel index (i32);
/// all integers are little-endian. Anything that does not parse throws <see cref="InvalidDataException"/>, which
/// closes that one connection.
/// </summary>
internal static class DataPlaneProtocol
{
    /// <summary>"SSDP" — lets a peer tell a data-plane connection from a stray client at the first frame.</summary>
    public const uint Magic = 0x50445353;
    public const ushort Version = 2;

    public const byte Hello = 1;
    public const byte Refused = 2;
    public const byte Batch = 3;

    public const byte MessageData = 1;
    public const byte MessageBarrier = 2;
    public const byte MessageEndOfData = 3;
    public const byte MessageCredit = 4;

    private const int MaxStringBytes = 4096;

    public static byte[] EncodeHello(byte[] token, string workerId, byte[]? proof = null)
    {
        var id = Encoding.UTF8.GetBytes(workerId);
        proof ??= [];
        var payload = new byte[4 + 2 + 2 + token.Length + 2 + id.Length + 2 + proof.Length];
        var span = payload.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], (ushort)token.Length);
        token.CopyTo(span[8..]);
        var pos = 8 + token.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(span[pos..], (ushort)id.Length);
        id.CopyTo(span[(pos + 2)..]);
        pos += 2 + id.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(span[pos..], (ushort)proof.Length);
        proof.CopyTo(span[(pos + 2)..]);
        return payload;
    }

    /// <summary>
    /// What a dialer <paramref name="dialerId"/> presents to <paramref name="acceptorId"/>: HMAC-SHA256 under the
    /// acceptor's data key of both ids (so a proof for one pair is worthless for another).
    /// </summary>
    public static byte[] Proof(byte[] acceptorKey, string dialerId, string acceptorId) =>
        System.Security.Cryptography.HMACSHA256.HashData(acceptorKey, Encoding.UTF8.GetBytes($"streamshield-data-plane\n{dialerId}\n{acceptorId}"));

    public static (byte[] Token, string WorkerId, byte[] Proof) DecodeHello(ReadOnlySpan<byte> payload)
    {
        var reader = new MessageReader(payload);
        if (reader.UInt32() != Magic) throw new InvalidDataException("Not a StreamShield data-plane handshake (bad magic).");
        var version = reader.UInt16();
        if (version != Version) throw new InvalidDataException($"Unsupported data-plane protocol version {version} (this worker speaks {Version}).");
        var token = reader.Bytes(reader.UInt16()).ToArray();
        var workerId = Encoding.UTF8.GetString(reader.Bytes(reader.UInt16()));
        if (workerId.Length == 0) throw new InvalidDataException("The handshake has an empty worker id.");
        var proof = reader.Bytes(reader.UInt16()).ToArray();
        if (!reader.AtEnd) throw new InvalidDataException("Trailing bytes after the handshake.");
        return (token, workerId, proof);
    }

    /// <summary>Upper bound of the bytes <see cref="WriteHeader"/> plus a data or event body needs, excluding the data bytes.</summary>
    public static int MaxHeaderSize(string attemptId) => 1 + 2 + Encoding.UTF8.GetMaxByteCount(attemptId.Length) + 4 + 8 + 8;

    /// <summary>Writes type, attempt id and channel index at <paramref name="pos"/>; returns the new position.</summary>
    public static int WriteHeader(byte[] target, int pos, byte type, in ChannelKey key)
    {
        target[pos] = type;
        var n = Encoding.UTF8.GetBytes(key.AttemptId, 0, key.AttemptId.Length, target, pos + 3);
        if (n > MaxStringBytes) throw new InvalidOperationException($"Attempt id of {key} is too long for the data plane.");
        BinaryPrimitives.WriteUInt16LittleEndian(target.AsSpan(pos + 1), (ushort)n);
        pos += 3 + n;
        BinaryPrimitives.WriteInt32LittleEndian(target.AsSpan(pos), key.ChannelIndex);
        return pos + 4;
    }

    public static int WriteBuffer(byte[] target, int pos, in ChannelKey key, NetworkBuffer buffer)
    {
        var type = buffer.Kind switch
        {
            BufferKind.Data => MessageData,
            BufferKind.Barrier => MessageBarrier,
            BufferKind.EndOfData => MessageEndOfData,
            _ => throw new InvalidOperationException($"Unknown buffer kind {buffer.Kind}."),
        };
        pos = WriteHeader(target, pos, type, key);
        BinaryPrimitives.WriteInt64LittleEndian(target.AsSpan(pos), buffer.Sequence);
        pos += 8;
        if (buffer.Kind == BufferKind.Data)
        {
            BinaryPrimitives.WriteInt32LittleEndian(target.AsSpan(pos), buffer.Length);
            pos += 4;
            buffer.Data.AsSpan(0, buffer.Length).CopyTo(target.AsSpan(pos));
            return pos + buffer.Length;
        }
        BinaryPrimitives.WriteInt64LittleEndian(target.AsSpan(pos), buffer.EventValue);
        return pos + 8;
    }

    public static int WriteCredit(byte[] target, int pos, in ChannelKey key, int count)
    {
        pos = WriteHeader(target, pos, MessageCredit, key);
        BinaryPrimitives.WriteInt32LittleEndian(target.AsSpan(pos), count);
        return pos + 4;
    }

    /// <summary>Bounds-checked little-endian reader over a frame payload; truncation is malformed data.</summary>
    public ref struct MessageReader(ReadOnlySpan<byte> span)
    {
        private readonly ReadOnlySpan<byte> _span = span;
        private int _pos;

        public readonly bool AtEnd => _pos == _span.Length;

        public ReadOnlySpan<byte> Bytes(int count)
        {
            if (count < 0 || count > _span.Length - _pos) throw new InvalidDataException("Truncated data-plane message.");
            var result = _span.Slice(_pos, count);
            _pos += count;
            return result;
        }

        public byte Byte() => Bytes(1)[0];
        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));
        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));
        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));
        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));
    }
}
