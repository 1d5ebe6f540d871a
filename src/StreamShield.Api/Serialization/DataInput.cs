using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace StreamShield.Serialization;

/// <summary>
/// A little-endian binary reader over a byte segment; the counterpart of <see cref="DataOutput"/>.
/// Reading past the end throws <see cref="CorruptDataException"/>, so a truncated or corrupt frame
/// fails loudly instead of producing garbage.
/// </summary>
public sealed class DataInput
{
    private byte[] _buffer;
    private int _position;
    private int _limit;

    /// <summary>Creates a reader over the whole array.</summary>
    public DataInput(byte[] buffer) : this(buffer, 0, buffer.Length) { }

    /// <summary>Creates a reader over <paramref name="count"/> bytes starting at <paramref name="offset"/>.</summary>
    public DataInput(byte[] buffer, int offset, int count)
    {
        _buffer = buffer;
        _position = offset;
        _limit = offset + count;
    }

    /// <summary>Points the reader at a new segment (lets hot paths reuse one reader).</summary>
    public void Reset(byte[] buffer, int offset, int count)
    {
        _buffer = buffer;
        _position = offset;
        _limit = offset + count;
    }

    /// <summary>Current position in the underlying array.</summary>
    public int Position => _position;

    /// <summary>Bytes left to read.</summary>
    public int Remaining => _limit - _position;

    /// <summary>True when all bytes have been read.</summary>
    public bool IsAtEnd => _position >= _limit;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if ((uint)count > (uint)(_limit - _position)) ThrowTruncated(count);
        var span = new ReadOnlySpan<byte>(_buffer, _position, count);
        _position += count;
        return span;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowTruncated(int count) =>
        throw new CorruptDataException($"Data is truncated: needed {count} bytes at position {_position}, but only {_limit - _position} remain.");

    /// <summary>Reads one byte.</summary>
    public byte ReadByte() => Take(1)[0];
    /// <summary>Reads a boolean.</summary>
    public bool ReadBoolean() => Take(1)[0] != 0;
    /// <summary>Reads a 16-bit integer.</summary>
    public short ReadInt16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));
    /// <summary>Reads a 32-bit integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
    /// <summary>Reads a 64-bit integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));
    /// <summary>Reads a 32-bit float.</summary>
    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));
    /// <summary>Reads a 64-bit float.</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Reads an unsigned variable-length integer.</summary>
    public uint ReadVarUInt32()
    {
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = ReadByte();
            result |= (uint)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
        throw new CorruptDataException("Malformed variable-length integer.");
    }

    /// <summary>Reads a length-prefixed UTF-8 string.</summary>
    public string? ReadString()
    {
        var length = ReadInt32();
        if (length == -1) return null;
        if (length < 0) throw new CorruptDataException($"Negative string length {length}.");
        return Encoding.UTF8.GetString(Take(length));
    }

    /// <summary>Reads raw bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    /// <summary>Reads a length-prefixed byte array.</summary>
    public byte[]? ReadByteArray()
    {
        var length = ReadInt32();
        if (length == -1) return null;
        if (length < 0) throw new CorruptDataException($"Negative array length {length}.");
        return Take(length).ToArray();
    }
}
