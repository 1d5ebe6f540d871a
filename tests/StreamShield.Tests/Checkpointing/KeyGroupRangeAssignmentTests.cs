using StreamShield.Runtime.State;

namespace StreamShield.Tests.Checkpointing;

/// <summary>
/// Key-group arithmetic: for every (max parallelism, parallelism) pair the subtasks' ranges partition
/// [0, maxParallelism) into contiguous, ordered, non-empty ranges of near-equal size, and the subtask a key group is
/// routed to (<see cref="KeyGroupRangeAssignment.OperatorIndexFor"/>) is the one whose range holds it.
/// </summary>
public sealed class KeyGroupRangeAssignmentTests
{
    public static IEnumerable<object[]> Pairs()
    {
        int[] maxima = [1, 2, 3, 7, 10, 64, 127, 128, 129, 1000, 4096, 32768];
        foreach (var max in maxima)
        {
            var parallelisms = Enumerable.Range(1, Math.Min(max, 40)).Concat([max - 1, max, max / 2, max / 3 + 1]).Where(p => p >= 1 && p <= max).Distinct();
            foreach (var p in parallelisms) yield return [max, p];
        }
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void RangesPartitionAllKeyGroupsAndEveryKeyGroupIsRoutedToItsOwner(int maxParallelism, int parallelism)
    {
        var next = 0;
        var sizes = new List<int>();
        for (var s = 0; s < parallelism; s++)
        {
            var range = KeyGroupRangeAssignment.RangeFor(maxParallelism, parallelism, s);
            Assert.True(range.Start == next, $"max {maxParallelism}, p {parallelism}: subtask {s} starts at {range.Start}, expected {next} (ranges must be contiguous and ordered)");
            Assert.True(range.Count >= 1, $"max {maxParallelism}, p {parallelism}: subtask {s} owns no key group ({range})");
            sizes.Add(range.Count);
            for (var kg = range.Start; kg <= range.End; kg++)
            {
                var owner = KeyGroupRangeAssignment.OperatorIndexFor(kg, maxParallelism, parallelism);
                if (owner != s) Assert.Fail($"max {maxParallelism}, p {parallelism}: key group {kg} is in subtask {s}'s range {range} but is routed to subtask {owner}");
            }
            next = range.End + 1;
        }
        Assert.Equal(maxParallelism, next);
        Assert.True(sizes.Max() - sizes.Min() <= 1, $"max {maxParallelism}, p {parallelism}: range sizes {sizes.Min()}..{sizes.Max()} are not balanced");
    }

    [Fact]
    public void KeyGroupsOfHashesLieInRange()
    {
        var random = new Random(20240607); // seed printed in the assertion message
        foreach (var max in new[] { 1, 2, 3, 128, 1000, 32768 })
            for (var i = 0; i < 10_000; i++)
            {
                var hash = random.Next(int.MinValue, int.MaxValue);
                var kg = KeyGroupRangeAssignment.KeyGroupFor(hash, max);
                Assert.True(kg >= 0 && kg < max, $"seed 20240607: hash {hash} mapped to key group {kg} outside [0, {max})");
            }
        Assert.Equal(0, KeyGroupRangeAssignment.KeyGroupFor(int.MinValue, 1));
    }

    [Fact]
    public void KeyGroupsSpreadEvenlyOverSequentialKeys()
    {
        // Sequential ints are the most common keys; the murmur finalizer must not leave key groups empty.
        var counts = new int[128];
        for (var key = 0; key < 128 * 100; key++) counts[KeyGroupRangeAssignment.KeyGroupFor(KeyHasher<int>.Hash(key), 128)]++;
        Assert.True(counts.Min() > 50 && counts.Max() < 150, $"key groups hold {counts.Min()}..{counts.Max()} of 100 expected keys each");
    }

    [Fact]
    public void EmptyRangeContainsNothing()
    {
        Assert.Equal(0, KeyGroupRange.Empty.Count);
        Assert.False(KeyGroupRange.Empty.Contains(0));
        Assert.Empty(KeyGroupRange.Empty.All());
        Assert.Equal([3, 4, 5], new KeyGroupRange(3, 5).All());
    }
}
