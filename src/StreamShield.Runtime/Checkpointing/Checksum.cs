namespace StreamShield.Runtime.Checkpointing;

/// <summary>FNV-1a 64-bit over bytes: cheap corruption detection for checkpoint files (not cryptographic).</summary>
internal struct Checksum
{
    private ulong _hash;

    public static Checksum Create() => new() { _hash = 14695981039346656037UL };

    public void Append(ReadOnlySpan<byte> data)
    {
        var h = _hash;
        foreach (var b in data) { h ^= b; h *= 1099511628211UL; }
        _hash = h;
    }

    public readonly ulong Value => _hash;

    public static ulong Of(ReadOnlySpan<byte> data)
    {
        var c = Create();
        c.Append(data);
        return c.Value;
    }

    public static ulong OfFile(string path, out long length)
    {
        var c = Create();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[64 * 1024];
        int read;
        length = 0;
        while ((read = stream.Read(buffer)) > 0)
        {
            c.Append(buffer.AsSpan(0, read));
            length += read;
        }
        return c.Value;
    }
}

/// <summary>A write stream that checksums what passes through it.</summary>
internal sealed class ChecksummingStream(Stream inner) : Stream
{
    private Checksum _checksum = Checkpointing.Checksum.Create();
    private long _position;

    public ulong Checksum => _checksum.Value;
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _position;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _checksum.Append(buffer);
        _position += buffer.Length;
        inner.Write(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (inner is FileStream fs) fs.Flush(flushToDisk: true);
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
