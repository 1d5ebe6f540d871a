using System.Buffers;
using System.Collections.Concurrent;

namespace StreamShield.Serialization;

/// <summary>
/// Where serialization and the network stack get their byte arrays. Arrays of exactly <see cref="NetworkBufferSize"/>
/// bytes (the network buffers) come from a pool of their own, allocated on the pinned object heap and never dropped:
/// a network buffer can live a whole checkpoint interval (retained output keeps what a channel sent until the next
/// checkpoint completes), and from the shared <see cref="ArrayPool{T}"/>, whose per-core stacks are small, a burst of
/// such buffers came back as garbage that had already been promoted and copied by the GC: about a third of the CPU time
/// of a shuffle-heavy job. Pinned arrays are never moved, and reused arrays are never garbage (Flink's network buffer
/// pool of fixed memory segments, for the same reason). Every other size goes to <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
internal static class BufferPool
{
    /// <summary>The size of a network buffer (and of the arrays the pool keeps).</summary>
    public const int NetworkBufferSize = 32 * 1024;

    /// <summary>At most this many free arrays are kept (256 MiB); past it a returned array is left to the GC.</summary>
    private const int MaxFree = 8192;

    private static readonly ConcurrentQueue<byte[]> Free = new();
    private static int _freeCount;

    /// <summary>An array of at least <paramref name="minimumLength"/> bytes.</summary>
    public static byte[] Rent(int minimumLength)
    {
        if (minimumLength > NetworkBufferSize / 2 && minimumLength <= NetworkBufferSize)
        {
            if (!Free.TryDequeue(out var array)) return GC.AllocateUninitializedArray<byte>(NetworkBufferSize, pinned: true);
            Interlocked.Decrement(ref _freeCount);
            return array;
        }
        return ArrayPool<byte>.Shared.Rent(minimumLength);
    }

    /// <summary>Gives back an array from <see cref="Rent"/>; the caller must not use it afterwards.</summary>
    public static void Return(byte[] array)
    {
        if (array.Length != NetworkBufferSize) ArrayPool<byte>.Shared.Return(array);
        else if (Interlocked.Increment(ref _freeCount) <= MaxFree) Free.Enqueue(array);
        else Interlocked.Decrement(ref _freeCount);
    }

    /// <summary>Network-size arrays waiting to be reused (for tests and metrics).</summary>
    internal static int FreeCount => Volatile.Read(ref _freeCount);
}
