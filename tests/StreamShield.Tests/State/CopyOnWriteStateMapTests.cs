using System.Runtime.CompilerServices;
using StreamShield.Runtime.State.Heap;
using Xunit.Abstractions;

namespace StreamShield.Tests.State;

public sealed class CopyOnWriteStateMapTests
{
    private readonly ITestOutputHelper _output;

    public CopyOnWriteStateMapTests(ITestOutputHelper output) => _output = output;

    // ------------------------------------------------------------------ randomized model tests

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(20240611)]
    [InlineData(987654321)]
    public void RandomizedOperationsMatchModel_LongKeys(int seed)
    {
        RunRandomized<long, int>(
            seed,
            ops: 40_000,
            keyGen: (r, range) => r.Next(range),
            nsGen: r => r.Next(3),
            keyComparer: null,
            nsComparer: null,
            keyRanges: [64, 2048, 40_000, 40_000, 300],
            burst: 3000);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void RandomizedOperationsMatchModel_CollidingHashes(int seed)
    {
        // Long hash chains exercise unlinking in the middle of chains that span shared and private chunks.
        RunRandomized<long, int>(
            seed,
            ops: 15_000,
            keyGen: (r, range) => r.Next(range),
            nsGen: r => r.Next(3),
            keyComparer: new CollidingLongComparer(),
            nsComparer: new CollidingIntComparer(),
            keyRanges: [64, 1500, 300],
            burst: 400);
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void RandomizedOperationsMatchModel_ReferenceTypeKeys(int seed)
    {
        string[] namespaces = ["window-a", "window-b", "window-c"];
        RunRandomized<string, string>(
            seed,
            ops: 25_000,
            keyGen: (r, range) => "key-" + r.Next(range).ToString(System.Globalization.CultureInfo.InvariantCulture),
            nsGen: r => namespaces[r.Next(namespaces.Length)],
            keyComparer: null,
            nsComparer: null,
            keyRanges: [64, 20_000, 500],
            burst: 2000);
    }

    private void RunRandomized<K, N>(
        int seed,
        int ops,
        Func<Random, int, K> keyGen,
        Func<Random, N> nsGen,
        IEqualityComparer<K>? keyComparer,
        IEqualityComparer<N>? nsComparer,
        int[] keyRanges,
        int burst)
        where K : notnull where N : notnull
    {
        _output.WriteLine($"seed={seed}");
        var rnd = new Random(seed);
        var map = new CopyOnWriteStateMap<K, N, long>(keyComparer, nsComparer);
        var model = new Dictionary<(K, N), long>();
        var snaps = new List<(StateMapSnapshot<K, N, long> Snap, Dictionary<(K, N), long> Frozen, int TakenAt)>();
        int snapshotsTaken = 0, snapshotsVerified = 0, maxSize = 0;

        for (int step = 0; step < ops; step++)
        {
            int range = keyRanges[(int)((long)step * keyRanges.Length / ops)];
            K k = keyGen(rnd, range);
            N n = nsGen(rnd);
            int op = rnd.Next(10_000);
            if (op < 4000)
            {
                long v = rnd.NextInt64();
                map.Put(k, n, v);
                model[(k, n)] = v;
            }
            else if (op < 6000)
            {
                bool removed = map.Remove(k, n);
                Check(removed == model.Remove((k, n)), seed, step, $"Remove({k},{n}) returned {removed}");
            }
            else if (op < 7500)
            {
                ref long slot = ref map.GetForUpdate(k, n, out bool exists);
                bool modelHas = model.TryGetValue((k, n), out long expected);
                Check(exists == modelHas, seed, step, $"GetForUpdate({k},{n}) exists={exists}");
                Check(slot == (modelHas ? expected : 0), seed, step, $"GetForUpdate({k},{n}) value {slot} != {expected}");
                slot += 7;
                model[(k, n)] = slot;
            }
            else if (op < 9700)
            {
                bool found = map.TryGet(k, n, out long actual);
                bool modelHas = model.TryGetValue((k, n), out long expected);
                Check(found == modelHas, seed, step, $"TryGet({k},{n}) found={found}");
                Check(!found || actual == expected, seed, step, $"TryGet({k},{n}) = {actual}, expected {expected}");
            }
            else if (op < 9750)
            {
                if (snaps.Count >= 6)
                {
                    VerifyAndDispose(snaps, rnd.Next(snaps.Count), seed, step);
                    snapshotsVerified++;
                }

                snaps.Add((map.Snapshot(), new Dictionary<(K, N), long>(model), step));
                snapshotsTaken++;
                Check(map.LiveSnapshotCount == snaps.Count, seed, step, "live snapshot count");
            }
            else if (op < 9850)
            {
                if (snaps.Count > 0)
                {
                    VerifyAndDispose(snaps, rnd.Next(snaps.Count), seed, step);
                    snapshotsVerified++;
                }
            }
            else if (op < 9900)
            {
                if (snaps.Count > 0)
                {
                    var (snap, frozen, takenAt) = snaps[rnd.Next(snaps.Count)];
                    AssertSnapshotEquals(snap, frozen, seed, step, $"snapshot taken at step {takenAt}");
                    snapshotsVerified++;
                }
            }
            else if (op < 9905)
            {
                // A burst of fresh inserts forces chunk appends and bucket resizes while snapshots are live.
                for (int i = 0; i < burst; i++)
                {
                    K bk = keyGen(rnd, 10_000_000);
                    N bn = nsGen(rnd);
                    long v = rnd.NextInt64();
                    map.Put(bk, bn, v);
                    model[(bk, bn)] = v;
                }
            }
            else if (op < 9907)
            {
                map.Clear();
                model.Clear();
            }
            else
            {
                AssertMapEquals(map, model, seed, step, nsGen(rnd));
            }

            Check(map.Count == model.Count, seed, step, $"Count {map.Count} != {model.Count}");
            maxSize = Math.Max(maxSize, model.Count);
        }

        AssertMapEquals(map, model, seed, ops, nsGen(rnd));
        while (snaps.Count > 0)
        {
            VerifyAndDispose(snaps, snaps.Count - 1, seed, ops);
            snapshotsVerified++;
        }

        Check(map.LiveSnapshotCount == 0, seed, ops, "all snapshots released");

        // With no live snapshot, writes must not copy anything.
        int copiesBefore = map.ChunkCopyCount;
        foreach (var (key, ns) in model.Keys.ToList())
        {
            map.Put(key, ns, 1);
            map.GetForUpdate(key, ns, out _)++;
            model[(key, ns)] = 2;
        }

        foreach (var (key, ns) in model.Keys.Take(model.Count / 2).ToList())
        {
            Check(map.Remove(key, ns), seed, ops, "final remove");
            model.Remove((key, ns));
        }

        Check(map.ChunkCopyCount == copiesBefore, seed, ops, $"chunks copied without a live snapshot ({map.ChunkCopyCount - copiesBefore})");
        AssertMapEquals(map, model, seed, ops, nsGen(rnd));
        _output.WriteLine($"snapshots taken={snapshotsTaken} verified={snapshotsVerified} maxSize={maxSize} chunkCopies={map.ChunkCopyCount}");
    }

    private static void VerifyAndDispose<K, N>(
        List<(StateMapSnapshot<K, N, long> Snap, Dictionary<(K, N), long> Frozen, int TakenAt)> snaps, int index, int seed, int step)
        where K : notnull where N : notnull
    {
        var (snap, frozen, takenAt) = snaps[index];
        AssertSnapshotEquals(snap, frozen, seed, step, $"snapshot taken at step {takenAt}");
        snap.Dispose();
        snaps.RemoveAt(index);
    }

    private static void AssertSnapshotEquals<K, N, V>(StateMapSnapshot<K, N, V> snap, Dictionary<(K, N), V> expected, int seed, int step, string what)
        where K : notnull where N : notnull
    {
        Check(snap.Count == expected.Count, seed, step, $"{what}: Count {snap.Count} != {expected.Count}");

        // Struct enumerator.
        var seen = new HashSet<(K, N)>();
        foreach (var (k, n, v) in snap)
        {
            Check(seen.Add((k, n)), seed, step, $"{what}: duplicate entry ({k},{n})");
            Check(expected.TryGetValue((k, n), out V? ev), seed, step, $"{what}: unexpected entry ({k},{n})");
            Check(EqualityComparer<V>.Default.Equals(ev, v), seed, step, $"{what}: ({k},{n}) = {v}, expected {ev}");
        }

        Check(seen.Count == expected.Count, seed, step, $"{what}: enumerated {seen.Count}, expected {expected.Count}");

        // Visitor.
        var visitor = new CollectingVisitor<K, N, V> { Items = new List<(K, N, V)>() };
        snap.ForEach(ref visitor);
        Check(visitor.Items.Count == expected.Count, seed, step, $"{what}: visited {visitor.Items.Count}, expected {expected.Count}");
        foreach (var (k, n, v) in visitor.Items)
        {
            Check(expected.TryGetValue((k, n), out V? ev) && EqualityComparer<V>.Default.Equals(ev, v), seed, step, $"{what}: visited ({k},{n})={v}");
        }
    }

    private static void AssertMapEquals<K, N>(CopyOnWriteStateMap<K, N, long> map, Dictionary<(K, N), long> model, int seed, int step, N someNs)
        where K : notnull where N : notnull
    {
        Check(map.Count == model.Count, seed, step, $"Count {map.Count} != {model.Count}");
        var entries = map.Entries().ToList();
        Check(entries.Count == model.Count, seed, step, $"Entries() yielded {entries.Count}, expected {model.Count}");
        foreach (var (k, n, v) in entries)
        {
            Check(model.TryGetValue((k, n), out long ev) && ev == v, seed, step, $"Entries() has ({k},{n})={v}");
        }

        var keys = map.Keys(someNs).ToHashSet();
        var expectedKeys = model.Keys.Where(x => EqualityComparer<N>.Default.Equals(x.Item2, someNs)).Select(x => x.Item1).ToHashSet();
        Check(keys.SetEquals(expectedKeys), seed, step, $"Keys({someNs}) has {keys.Count}, expected {expectedKeys.Count}");
        Check(map.Keys(someNs).Count() == expectedKeys.Count, seed, step, "Keys() yielded duplicates");
        foreach (var ((k, n), v) in model)
        {
            Check(map.TryGet(k, n, out long actual) && actual == v, seed, step, $"TryGet({k},{n})");
        }
    }

    private static void Check(bool condition, int seed, int step, string what)
    {
        if (!condition)
        {
            Assert.Fail($"seed={seed} step={step}: {what}");
        }
    }

    // ------------------------------------------------------------------ deterministic behaviour

    [Fact]
    public void OverlappingSnapshotsKeepTheirOwnVersions()
    {
        var map = new CopyOnWriteStateMap<long, int, long>();
        var model = new Dictionary<(long, int), long>();
        void Put(long k, long v)
        {
            map.Put(k, 0, v);
            model[(k, 0)] = v;
        }

        for (long k = 0; k < 5000; k++)
        {
            Put(k, k);
        }

        var s1 = map.Snapshot();
        var m1 = new Dictionary<(long, int), long>(model);
        for (long k = 0; k < 5000; k += 2)
        {
            Put(k, k + 1);
        }

        var s2 = map.Snapshot();
        var m2 = new Dictionary<(long, int), long>(model);
        for (long k = 0; k < 5000; k++)
        {
            Put(k, k + 2);
        }

        for (long k = 0; k < 5000; k += 3)
        {
            Assert.True(map.Remove(k, 0));
            model.Remove((k, 0));
        }

        for (long k = 5000; k < 9000; k++)
        {
            Put(k, -k);
        }

        var s3 = map.Snapshot();
        var m3 = new Dictionary<(long, int), long>(model);
        AssertSnapshotEquals(s2, m2, 0, 0, "s2");
        s2.Dispose();

        // s1 and s3 still live: all writes must still copy where needed.
        for (long k = 0; k < 9000; k++)
        {
            Put(k, 7 * k);
        }

        map.Clear();
        model.Clear();
        for (long k = 100; k < 300; k++)
        {
            Put(k, 1);
        }

        AssertSnapshotEquals(s1, m1, 0, 0, "s1");
        AssertSnapshotEquals(s3, m3, 0, 0, "s3");
        s1.Dispose();
        s3.Dispose();
        Assert.Throws<ObjectDisposedException>(() => s1.GetEnumerator());
        Assert.Equal(0, map.LiveSnapshotCount);
        AssertMapEquals(map, model, 0, 0, 0);
    }

    [Fact]
    public void WritesDoNotCopyWithoutLiveSnapshot_AndCopyEachChunkAtMostOncePerSnapshot()
    {
        var map = new CopyOnWriteStateMap<long, int, long>();
        const int n = 10 * 1024;
        for (long k = 0; k < n; k++)
        {
            map.Put(k, 0, k);
        }

        for (long k = 0; k < n; k++)
        {
            map.Put(k, 0, k + 1);
            map.GetForUpdate(k, 0, out _) += 1;
        }

        Assert.Equal(0, map.ChunkCopyCount);

        using (var snap = map.Snapshot())
        {
            for (int round = 0; round < 3; round++)
            {
                for (long k = 0; k < n; k++)
                {
                    map.Put(k, 0, k + round);
                }
            }

            Assert.Equal(10, map.ChunkCopyCount);
            Assert.Equal(n, snap.Count);
        }

        for (long k = 0; k < n; k++)
        {
            map.Put(k, 0, k);
            map.Remove(k, 0);
        }

        Assert.Equal(10, map.ChunkCopyCount);
    }

    [Fact]
    public void SnapshotCostIsProportionalToChunksNotEntries()
    {
        var map = new CopyOnWriteStateMap<long, VoidNs, long>();
        const int n = 200_000;
        for (long k = 0; k < n; k++)
        {
            map.Put(k, default, k);
        }

        using var warm = map.Snapshot();
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var snap = map.Snapshot();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        int chunks = (n + 1023) / 1024;
        _output.WriteLine($"Snapshot() of {n} entries allocated {allocated} bytes ({chunks} chunks)");
        Assert.True(allocated < 256 + 8L * chunks, $"Snapshot() allocated {allocated} bytes");
        Assert.Equal(0, map.ChunkCopyCount);
    }

    [Fact]
    public void HotPathsDoNotAllocate()
    {
        var map = new CopyOnWriteStateMap<long, VoidNs, long>();
        const int n = 5000;
        for (long k = 0; k < n; k++)
        {
            map.Put(k, default, k);
        }

        long sum = 0;
        for (int warm = 0; warm < 3; warm++)
        {
            sum += Work(map, n);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        sum += Work(map, n);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"TryGet/Put/GetForUpdate/Remove allocated {allocated} bytes (sum {sum})");

        using var snap = map.Snapshot();
        var visitor = new SumVisitor();
        snap.ForEach(ref visitor);
        foreach (var e in snap)
        {
            sum += e.Value;
        }

        before = GC.GetAllocatedBytesForCurrentThread();
        visitor = new SumVisitor();
        snap.ForEach(ref visitor);
        foreach (var e in snap)
        {
            sum -= e.Value;
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"snapshot iteration allocated {allocated} bytes");
        Assert.Equal(n, visitor.Count);

        static long Work(CopyOnWriteStateMap<long, VoidNs, long> map, int n)
        {
            long s = 0;
            for (long k = 0; k < n; k++)
            {
                if (map.TryGet(k, default, out long v))
                {
                    s += v;
                }

                map.Put(k, default, v + 1);
                map.GetForUpdate(k, default, out _) -= 1;
                if ((k & 7) == 0)
                {
                    map.Remove(k, default);
                    map.Put(k, default, v);
                }
            }

            return s;
        }
    }

    [Fact]
    public async Task MutableValuesUpdatedInPlaceDoNotLeakIntoSnapshots()
    {
        int copies = 0;
        var map = new CopyOnWriteStateMap<long, int, List<int>>(copyValue: l =>
        {
            copies++;
            return new List<int>(l);
        });
        const int n = 3000;
        for (int k = 0; k < n; k++)
        {
            ref List<int> slot = ref map.GetForUpdate(k, 0, out bool exists);
            Assert.False(exists);
            Assert.Null(slot);
            slot = [k];
        }

        // Without a snapshot the stored object is updated in place: no copies at all.
        Assert.True(map.TryGet(5, 0, out List<int>? five));
        ref List<int> fiveRef = ref map.GetForUpdate(5, 0, out bool fiveExists);
        Assert.True(fiveExists);
        Assert.Same(five, fiveRef);
        fiveRef.Add(55);
        Assert.Equal(0, copies);
        Assert.Equal(0, map.ChunkCopyCount);

        var snap = map.Snapshot();
        for (int k = 0; k < n; k++)
        {
            map.GetForUpdate(k, 0, out _).Add(-1);
        }

        Assert.Equal(n, copies);

        // Second update of the same entry after the copy: no further copy, same object.
        ref List<int> again = ref map.GetForUpdate(7, 0, out _);
        Assert.True(map.TryGet(7, 0, out List<int>? seven));
        Assert.Same(seven, again);
        again.Add(-2);
        Assert.Equal(n, copies);

        map.Put(8, 0, [800]);
        map.Remove(9, 0);
        map.GetForUpdate(100_000, 0, out bool newExists) = [1];
        Assert.False(newExists);

        // The snapshot, read from another thread, still has the original lists.
        string? error = await Task.Run(() =>
        {
            int seen = 0;
            foreach (var (k, ns, list) in snap)
            {
                seen++;
                int[] expected = k == 5 ? [5, 55] : [(int)k];
                if (ns != 0 || !list.SequenceEqual(expected))
                {
                    return $"snapshot entry {k} = [{string.Join(",", list)}]";
                }
            }

            return seen == n ? null : $"snapshot had {seen} entries";
        });
        Assert.Null(error);

        Assert.True(map.TryGet(7, 0, out List<int>? current));
        Assert.Equal(new[] { 7, -1, -2 }, current);
        Assert.True(map.TryGet(8, 0, out current));
        Assert.Equal(new[] { 800 }, current);
        Assert.True(map.TryGet(5, 0, out current));
        Assert.Equal(new[] { 5, 55, -1 }, current);
        Assert.False(map.TryGet(9, 0, out _));

        // After releasing the snapshot, updates are in place again.
        snap.Dispose();
        int chunkCopies = map.ChunkCopyCount;
        for (int k = 0; k < n; k++)
        {
            map.GetForUpdate(k, 0, out _)?.Add(-3);
        }

        Assert.Equal(n, copies);
        Assert.Equal(chunkCopies, map.ChunkCopyCount);
    }

    [Fact]
    public async Task SnapshotIteratedOnAnotherThreadWhileOwnerWrites()
    {
        const int seed = 4242;
        var rnd = new Random(seed);
        var map = new CopyOnWriteStateMap<long, int, long>();
        var model = new Dictionary<(long, int), long>();
        for (int i = 0; i < 30_000; i++)
        {
            long k = rnd.Next(60_000);
            map.Put(k, i % 2, i);
            model[(k, i % 2)] = i;
        }

        StateMapSnapshot<long, int, long>? previous = null;
        Dictionary<(long, int), long>? previousModel = null;
        long nextKey = 1_000_000;
        int totalWrites = 0, totalIterations = 0;
        for (int round = 0; round < 6; round++)
        {
            var snap = map.Snapshot();
            var frozen = new Dictionary<(long, int), long>(model);
            var older = previous;
            var olderModel = previousModel;
            using var stop = new CancellationTokenSource();
            int iterations = 0;
            var reader = Task.Factory.StartNew(
                () =>
                {
                    // Iterate both live snapshots repeatedly until the writer has done enough work.
                    while (iterations < 3 || !stop.IsCancellationRequested)
                    {
                        string? err = VerifyOnReader(snap, frozen) ?? (older is null ? null : VerifyOnReader(older, olderModel!));
                        if (err is not null)
                        {
                            return err;
                        }

                        iterations++;
                    }

                    return null;
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);

            int writes = 0;
            while (!reader.IsCompleted && (writes < 40_000 || Volatile.Read(ref iterations) < 3))
            {
                int op = rnd.Next(100);
                long k = rnd.Next(60_000);
                int ns = rnd.Next(2);
                if (op < 40)
                {
                    map.Put(k, ns, writes);
                    model[(k, ns)] = writes;
                }
                else if (op < 60)
                {
                    map.Remove(k, ns);
                    model.Remove((k, ns));
                }
                else if (op < 80)
                {
                    map.GetForUpdate(k, ns, out _) += 3;
                    model[(k, ns)] = model.GetValueOrDefault((k, ns)) + 3;
                }
                else
                {
                    // Fresh keys: chunk appends and bucket resizes during the iteration.
                    map.Put(nextKey, 0, nextKey);
                    model[(nextKey, 0)] = nextKey;
                    nextKey++;
                }

                writes++;
            }

            stop.Cancel();
            string? error = await reader;
            Assert.True(error is null, $"seed={seed} round={round}: {error}");
            totalWrites += writes;
            totalIterations += iterations;

            previous?.Dispose();
            previous = snap;
            previousModel = frozen;
        }

        previous?.Dispose();
        Assert.Equal(0, map.LiveSnapshotCount);
        AssertMapEquals(map, model, seed, -1, 1);
        _output.WriteLine($"writes={totalWrites} snapshot iterations={totalIterations} size={map.Count} chunkCopies={map.ChunkCopyCount}");
    }

    private static string? VerifyOnReader(StateMapSnapshot<long, int, long> snap, Dictionary<(long, int), long> expected)
    {
        var visitor = new VerifyingVisitor { Expected = expected };
        snap.ForEach(ref visitor);
        if (visitor.Error is not null)
        {
            return visitor.Error;
        }

        if (visitor.Seen != expected.Count || snap.Count != expected.Count)
        {
            return $"snapshot visited {visitor.Seen} entries (Count {snap.Count}), expected {expected.Count}";
        }

        int enumerated = 0;
        foreach (var (k, ns, v) in snap)
        {
            if (!expected.TryGetValue((k, ns), out long ev) || ev != v)
            {
                return $"enumerated ({k},{ns})={v}, expected {ev}";
            }

            enumerated++;
        }

        return enumerated == expected.Count ? null : $"enumerated {enumerated}, expected {expected.Count}";
    }

    [Fact]
    public void ClearAndEmptyMapBehave()
    {
        var map = new CopyOnWriteStateMap<long, int, long>();
        Assert.False(map.TryGet(1, 0, out _));
        Assert.False(map.Remove(1, 0));
        Assert.Empty(map.Entries());
        using (var empty = map.Snapshot())
        {
            Assert.Equal(0, empty.Count);
            Assert.Empty(empty);
            map.Put(1, 0, 1);
        }

        map.Clear();
        Assert.Equal(0, map.Count);
        Assert.False(map.TryGet(1, 0, out _));
        map.Put(2, 0, 2);
        Assert.True(map.TryGet(2, 0, out long two));
        Assert.Equal(2, two);
        Assert.Equal(new[] { 2L }, map.Keys(0));
        Assert.Empty(map.Keys(1));
    }

    // ------------------------------------------------------------------ helpers

    internal readonly struct VoidNs : IEquatable<VoidNs>
    {
        public bool Equals(VoidNs other) => true;

        public override bool Equals(object? obj) => obj is VoidNs;

        public override int GetHashCode() => 0;
    }

    private sealed class CollidingLongComparer : IEqualityComparer<long>
    {
        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long obj) => (int)(obj % 5);
    }

    private sealed class CollidingIntComparer : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => x == y;

        public int GetHashCode(int obj) => 0;
    }

    private struct CollectingVisitor<K, N, V> : IStateEntryVisitor<K, N, V>
    {
        public List<(K, N, V)> Items;

        public readonly void Visit(K key, N ns, V value) => Items.Add((key, ns, value));
    }

    private struct SumVisitor : IStateEntryVisitor<long, VoidNs, long>
    {
        public long Sum;
        public int Count;

        public void Visit(long key, VoidNs ns, long value)
        {
            Sum += value;
            Count++;
        }
    }

    private struct VerifyingVisitor : IStateEntryVisitor<long, int, long>
    {
        public Dictionary<(long, int), long> Expected;
        public int Seen;
        public string? Error;

        public void Visit(long key, int ns, long value)
        {
            Seen++;
            if (Error is null && (!Expected.TryGetValue((key, ns), out long ev) || ev != value))
            {
                Error = $"visited ({key},{ns})={value}, expected {(Expected.ContainsKey((key, ns)) ? ev : "<absent>")}";
            }
        }
    }
}

[CollectionDefinition(nameof(StateMapMemoryCollection), DisableParallelization = true)]
public sealed class StateMapMemoryCollection
{
}

[Collection(nameof(StateMapMemoryCollection))]
public sealed class CopyOnWriteStateMapMemoryTests
{
    private readonly ITestOutputHelper _output;

    public CopyOnWriteStateMapMemoryTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(10)]
    [InlineData(1_000)]
    [InlineData(50_000)]
    [InlineData(300_000)]
    [InlineData(1_000_000)]
    public void MemoryIsComparableToDictionary(int n)
    {
        _output.WriteLine($"sizeof(Entry<long,VoidNs,long>) = {Unsafe.SizeOf<CopyOnWriteStateMap<long, CopyOnWriteStateMapTests.VoidNs, long>.Entry>()}");

        var (dictRetained, dictAllocated, dict) = Measure(() =>
        {
            var d = new Dictionary<long, long>();
            for (long k = 0; k < n; k++)
            {
                d[k * 7919] = k;
            }

            return d;
        });
        var (mapRetained, mapAllocated, map) = Measure(() =>
        {
            var m = new CopyOnWriteStateMap<long, CopyOnWriteStateMapTests.VoidNs, long>();
            for (long k = 0; k < n; k++)
            {
                m.Put(k * 7919, default, k);
            }

            return m;
        });

        Assert.Equal(n, dict.Count);
        Assert.Equal(n, map.Count);
        double retainedRatio = (double)mapRetained / dictRetained;
        double allocatedRatio = (double)mapAllocated / dictAllocated;
        _output.WriteLine(
            $"n={n}: Dictionary retained={dictRetained} allocated={dictAllocated}; map retained={mapRetained} allocated={mapAllocated}; " +
            $"retained ratio={retainedRatio:F3} allocated ratio={allocatedRatio:F3}");
        Assert.True(allocatedRatio < 2.0, $"n={n}: allocated ratio {allocatedRatio:F3}");
        if (n >= 1000)
        {
            // GC.GetTotalMemory is too coarse for tiny maps; allocation counting above covers those.
            Assert.True(retainedRatio < 2.0, $"n={n}: retained ratio {retainedRatio:F3}");
        }
    }

    private static (long Retained, long Allocated, T Value) Measure<T>(Func<T> build)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long allocBefore = GC.GetAllocatedBytesForCurrentThread();
        T value = build();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocBefore;
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(value);
        return (after - before, allocated, value);
    }
}
