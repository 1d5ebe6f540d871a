using System.Runtime.CompilerServices;
using StreamShield.Serialization;

namespace StreamShield.Runtime.State;

/// <summary>
/// A hash of a key that is the same in every process and on every run (string.GetHashCode is randomized per
/// process, so it cannot decide which subtask owns a key). Primitives hash by value; strings by their UTF-16
/// code units; other types by their serialized bytes.
/// </summary>
internal static class KeyHasher<TKey>
{
    private static readonly TypeSerializer<TKey>? Serializer = IsPrimitive() ? null : TypeSerializers.For<TKey>();
    [ThreadStatic] private static DataOutput? _scratch;

    private static bool IsPrimitive() =>
        typeof(TKey) == typeof(int) || typeof(TKey) == typeof(long) || typeof(TKey) == typeof(string) || typeof(TKey) == typeof(Guid)
        || typeof(TKey) == typeof(short) || typeof(TKey) == typeof(byte) || typeof(TKey) == typeof(uint) || typeof(TKey) == typeof(ulong)
        || typeof(TKey) == typeof(bool) || typeof(TKey) == typeof(char) || typeof(TKey).IsEnum;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Hash(TKey key)
    {
        if (typeof(TKey) == typeof(long)) { var v = Unsafe.As<TKey, long>(ref key); return (int)v ^ (int)(v >> 32); }
        if (typeof(TKey) == typeof(int)) return Unsafe.As<TKey, int>(ref key);
        if (typeof(TKey) == typeof(string)) return StringHash(Unsafe.As<TKey, string>(ref key));
        return Slow(key);
    }

    private static int StringHash(string s)
    {
        // FNV-1a over UTF-16 code units: stable across processes.
        var h = 2166136261u;
        foreach (var c in s) { h ^= c; h *= 16777619u; }
        return (int)h;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Slow(TKey key)
    {
        if (Serializer is null)
        {
            if (typeof(TKey).IsEnum) return Convert.ToInt32(key, System.Globalization.CultureInfo.InvariantCulture);
            return key switch
            {
                short v => v,
                byte v => v,
                uint v => (int)v,
                ulong v => (int)v ^ (int)(v >> 32),
                bool v => v ? 1 : 0,
                char v => v,
                Guid g => g.GetHashCode(),
                _ => 0,
            };
        }
        var output = _scratch ??= new DataOutput(64);
        output.Reset();
        Serializer.Serialize(key, output);
        var h = 2166136261u;
        foreach (var b in output.WrittenSpan) { h ^= b; h *= 16777619u; }
        return (int)h;
    }
}
