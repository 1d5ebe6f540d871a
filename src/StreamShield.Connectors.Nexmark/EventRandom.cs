using System.Runtime.CompilerServices;

namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// The random source of one event: SplitMix64 seeded from the event id (and a stream salt), so every event's
/// content is a pure function of its id. The reference draws from one unseeded <c>java.util.Random</c> per
/// generator instead, which makes runs unrepeatable. A mutable struct on the caller's stack: pass it by
/// <c>ref</c>; it allocates nothing.
/// </summary>
internal struct EventRandom
{
    /// <summary>Salt of the per-event streams.</summary>
    public const ulong EventStream = 0x6E65786D61726B31; // "nexmark1"
    /// <summary>Salt of the per-channel URL streams.</summary>
    public const ulong ChannelStream = 0x6368616E6E656C73; // "channels"

    private ulong _state;

    public EventRandom(long seed, ulong stream) => _state = Mix((ulong)seed ^ stream);

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64() => Mix(_state += 0x9E3779B97F4A7C15);

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) (Lemire's multiply-and-reject, unbiased).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) ThrowBound(bound);
        var product = (ulong)(uint)(NextUInt64() >> 32) * (uint)bound;
        var low = (uint)product;
        if (low < (uint)bound)
        {
            var threshold = (uint)-bound % (uint)bound;
            while (low < threshold)
            {
                product = (ulong)(uint)(NextUInt64() >> 32) * (uint)bound;
                low = (uint)product;
            }
        }
        return (int)(product >> 32);
    }

    /// <summary>A uniform long in [0, <paramref name="bound"/>) (the reference's <c>LongGenerator.nextLong</c>).</summary>
    public long NextLong(long bound)
    {
        if (bound <= 0) ThrowBound(bound);
        if (bound <= int.MaxValue) return NextInt((int)bound);
        return (long)Math.BigMul(NextUInt64(), (ulong)bound, out _); // bias below 2^-31 for bounds past 2^31
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBound(long bound) =>
        throw new ArgumentOutOfRangeException(nameof(bound), bound, "The bound of a random draw must be positive.");
}
