namespace StreamShield.Runtime.State;

/// <summary>A contiguous range of key groups [<see cref="Start"/>, <see cref="End"/>] owned by one subtask.</summary>
internal readonly record struct KeyGroupRange(int Start, int End)
{
    public static readonly KeyGroupRange Empty = new(0, -1);
    public int Count => End - Start + 1;
    public bool Contains(int keyGroup) => keyGroup >= Start && keyGroup <= End;
    public IEnumerable<int> All() { for (var k = Start; k <= End; k++) yield return k; }
    public override string ToString() => $"[{Start}..{End}]";
}

/// <summary>
/// Flink's key-group arithmetic: a key hashes into one of maxParallelism key groups, and subtask i of an operator
/// with parallelism p owns the contiguous range of key groups that map to it. Rescaling moves whole key groups.
/// </summary>
internal static class KeyGroupRangeAssignment
{
    public static int KeyGroupFor(int keyHash, int maxParallelism) => (int)((uint)Murmur(keyHash) % (uint)maxParallelism);

    public static int OperatorIndexFor(int keyGroup, int maxParallelism, int parallelism) => keyGroup * parallelism / maxParallelism;

    public static KeyGroupRange RangeFor(int maxParallelism, int parallelism, int subtask)
    {
        var start = (subtask * maxParallelism + parallelism - 1) / parallelism;
        var end = ((subtask + 1) * maxParallelism - 1) / parallelism;
        return new KeyGroupRange(start, end);
    }

    /// <summary>Murmur3's finalizer: spreads the key's hash so that similar keys land in different groups.</summary>
    private static int Murmur(int h)
    {
        var x = (uint)h;
        x ^= x >> 16;
        x *= 0x85ebca6b;
        x ^= x >> 13;
        x *= 0xc2b2ae35;
        x ^= x >> 16;
        return (int)x;
    }
}
