using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace StreamShield.Serialization;

/// <summary>
/// A growable little-endian binary writer over a pooled byte array. Records, state and checkpoint
/// metadata are all written through it. Not thread-safe: one owner at a time.
/// </summary>
/// <remarks>The backing array is rented from <see cref="BufferPool"/>; call <see cref="Dispose"/>
/// to return it. <see cref="Reset"/> keeps the array for reuse, which is what the hot paths do.</remarks>
public sealed class DataOutput : IDisposable
{
    private byte[] _buffer;
    private int _position;

    /// <summary>Creates a writer with the given initial capacity in bytes.</summary>
    public DataOutput(int initialCapacity = 256)
    {
        _buffer = BufferPool.Rent(Math.Max(16, initialCapacity));
    }

    /// <summary>Bytes written so far.</summary>
    public int Length => _position;

    /// <summary>The written bytes. Valid until the next write or <see cref="Reset"/>.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    /// <summary>The written bytes as memory. Valid until the next write or <see cref="Reset"/>.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _position);

    /// <summary>Forgets what was written, keeping the buffer.</summary>
    public void Reset() => _position = 0;

    /// <summary>Moves the write position back to <paramref name="length"/> bytes (used to undo a partial record).</summary>
    public void Truncate(int length) => _position = length;

    /// <summary>Copies the written bytes into a new array.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _position < count) Grow(count);
        var span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        var next = BufferPool.Rent(Math.Max(_buffer.Length * 2, _position + count));
        _buffer.AsSpan(0, _position).CopyTo(next);
        BufferPool.Return(_buffer);
        _buffer = next;
    }

    /// <summary>Writes one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        if (_position < _buffer.Length) { _buffer[_position++] = value; return; }
        Reserve(1)[0] = value;
    }

    /// <summary>Writes a boolean as one byte.</summary>
    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);
    /// <summary>Writes a 16-bit integer.</summary>
    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16LittleEndian(Reserve(2), value);
    /// <summary>Writes a 32-bit integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);
    /// <summary>Writes a 64-bit integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);
    /// <summary>Writes a 32-bit float.</summary>
    public void WriteSingle(float value) => BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);
    /// <summary>Writes a 64-bit float.</summary>
    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);

    /// <summary>Writes an unsigned variable-length integer (7 bits per byte).</summary>
    public void WriteVarUInt32(uint value)
    {
        while (value >= 0x80) { WriteByte((byte)(value | 0x80)); value >>= 7; }
        WriteByte((byte)value);
    }

    /// <summary>Writes a length-prefixed UTF-8 string; null is written as length -1.</summary>
    public void WriteString(string? value)
    {
        if (value is null) { WriteInt32(-1); return; }
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_buffer.Length - _position < max + 4) Grow(max + 4);
        var written = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position + 4));
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position), written);
        _position += 4 + written;
    }

    /// <summary>Writes raw bytes without a length prefix.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>Writes a length-prefixed byte array; null is written as length -1.</summary>
    public void WriteByteArray(byte[]? bytes)
    {
        if (bytes is null) { WriteInt32(-1); return; }
        WriteInt32(bytes.Length);
        WriteBytes(bytes);
    }

    /// <summary>Overwrites a 32-bit integer at an earlier position (for length prefixes written after the body).</summary>
    public void PatchInt32(int position, int value) => BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(position, 4), value);

    /// <summary>
    /// Hands the written array to the caller (who must give it back to <see cref="BufferPool"/>) and starts
    /// over with a fresh array of <paramref name="nextCapacity"/> bytes. The network stack seals buffers this way.
    /// </summary>
    internal byte[] Detach(int nextCapacity, out int length)
    {
        var b = _buffer;
        length = _position;
        _buffer = BufferPool.Rent(nextCapacity);
        _position = 0;
        return b;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var b = _buffer;
        _buffer = Array.Empty<byte>();
        _position = 0;
        if (b.Length > 0) BufferPool.Return(b);
    }
}
