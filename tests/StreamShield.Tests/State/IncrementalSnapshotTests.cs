using StreamShield.Runtime.State;
using StreamShield.Runtime.State.Heap;
using StreamShield.Serialization;
using StreamShield.State.Internal;

namespace StreamShield.Tests.State;

/// <summary>
/// Incremental keyed-state snapshots against a model: random puts, in-place updates, removals and timers between
/// snapshots; some checkpoints "fail" (their snapshot is never a base); after every completed one, a fresh backend
/// restored from its chain must hold exactly the model's state and timers.
/// </summary>
public sealed class IncrementalSnapshotTests : IDisposable
{
    private const int MaxParallelism = 128;
    private static readonly KeyGroupRange Range = KeyGroupRangeAssignment.RangeFor(MaxParallelism, 2, 0);
    private static readonly string[] Namespaces = ["a", "b"];
    private readonly string _dir = Directory.CreateTempSubdirectory("ss-incremental-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Restoring_any_completed_checkpoint_gives_the_state_at_its_barrier(int seed)
    {
        var random = new Random(seed);
        var keys = Enumerable.Range(0, 4000).Where(k => Range.Contains(KeyGroupRangeAssignment.KeyGroupFor(KeyHasher<int>.Hash(k), MaxParallelism))).Take(300).ToArray();
        var live = new Harness(incremental: true);
        var values = new Dictionary<(int, string), long>();
        var lists = new Dictionary<int, List<long>>();
        var timers = new HashSet<(int, string, long)>();
        long watermark = 0;
        long? completed = null;
        var deltas = 0;
        for (long checkpoint = 1; checkpoint <= 40; checkpoint++)
        {
            // Few changes per round (a delta is small) and, now and then, many (the chain rebases).
            var ops = random.Next(10) == 0 ? 3000 : random.Next(0, 60);
            for (var i = 0; i < ops; i++)
            {
                var key = keys[random.Next(keys.Length)];
                var ns = Namespaces[random.Next(2)];
                live.Backend.SetCurrentKey(key);
                switch (random.Next(7))
                {
                    case 0 or 1:
                        var v = random.NextInt64(1000);
                        live.Values.Put(ns, v);
                        values[(key, ns)] = v;
                        break;
                    case 2:
                        live.Values.Remove(ns);
                        values.Remove((key, ns));
                        break;
                    case 3:
                        // Mutated in place through GetForUpdate: must count as a change without a live snapshot.
                        ref var list = ref live.Lists.GetForUpdate(VoidNamespace.Instance, out var exists);
                        if (!exists) list = new List<long>();
                        var item = random.NextInt64(100);
                        list.Add(item);
                        if (!lists.TryGetValue(key, out var model)) lists[key] = model = new List<long>();
                        model.Add(item);
                        break;
                    case 4:
                        var ts = watermark + 1 + random.Next(50);
                        live.Timers.RegisterEventTimeTimer(ns, ts);
                        timers.Add((key, ns, ts));
                        break;
                    case 5:
                        var existing = timers.Where(t => t.Item1 == key && t.Item2 == ns).ToList();
                        if (existing.Count == 0) break;
                        var victim = existing[random.Next(existing.Count)];
                        live.Timers.DeleteEventTimeTimer(ns, victim.Item3);
                        timers.Remove(victim);
                        break;
                    default:
                        watermark += random.Next(5);
                        live.Backend.AdvanceWatermark(watermark);
                        timers.RemoveWhere(t => t.Item3 <= watermark);
                        break;
                }
            }

            var chain = live.Checkpoint(checkpoint, completed, _dir);
            if (chain.Length > 1) deltas++;
            if (random.Next(5) == 0) continue; // this checkpoint failed: never a base, never restored

            completed = checkpoint;
            var restored = new Harness(incremental: true);
            foreach (var (kg, segments) in chain.KeyGroups)
                restored.Backend.Restore(kg, segments.Select(s => Read(s)).ToList());
            restored.AssertHolds(values, lists, timers, keys, watermark, $"seed {seed}, checkpoint {checkpoint} (chain length {chain.Length})");
        }
        Assert.True(deltas >= 10, $"seed {seed}: only {deltas} of 40 snapshots were incremental");
    }

    [Fact]
    public void A_delta_holds_only_what_changed_and_savepoint_style_snapshots_are_full()
    {
        var keys = Enumerable.Range(0, 100_000).Where(k => Range.Contains(KeyGroupRangeAssignment.KeyGroupFor(KeyHasher<int>.Hash(k), MaxParallelism))).Take(20_000).ToArray();
        var h = new Harness(incremental: true);
        foreach (var k in keys)
        {
            h.Backend.SetCurrentKey(k);
            h.Values.Put("a", k);
        }
        var full = h.Checkpoint(1, null, _dir);
        h.Backend.SetCurrentKey(keys[0]);
        h.Values.Put("a", -1);
        h.Backend.SetCurrentKey(keys[1]);
        h.Values.Remove("a");
        var delta = h.Checkpoint(2, 1, _dir);
        var again = h.Checkpoint(3, null, _dir); // no base named (a savepoint, or nothing completed): full

        Assert.Equal(1, full.Length);
        Assert.Equal(2, delta.Length);
        var deltaFile = delta.Files.Keys.Single(f => f.EndsWith("-2.kstate", StringComparison.Ordinal));
        Assert.InRange(delta.Files[deltaFile].Length, 1, full.FullBytes / 100);
        Assert.Equal(1, again.Length);
        Assert.Equal(full.FullBytes, again.FullBytes, tolerance: full.FullBytes / 100);

        var off = new Harness(incremental: false);
        off.Backend.SetCurrentKey(keys[0]);
        off.Values.Put("a", 1);
        off.Checkpoint(1, null, _dir + "/off");
        Assert.Equal(1, off.Checkpoint(2, 1, _dir + "/off").Length);
    }

    private static byte[] Read(StateSegmentRef s)
    {
        using var fs = new FileStream(s.File, FileMode.Open, FileAccess.Read);
        fs.Seek(s.Offset, SeekOrigin.Begin);
        var data = new byte[s.Length];
        fs.ReadExactly(data);
        return data;
    }

    private sealed class Harness : ITimerTarget<int, string>
    {
        public Harness(bool incremental)
        {
            Backend = new HeapKeyedStateBackend<int>("op", MaxParallelism, Range, TypeSerializers.For<int>(), () => 0, (_, _) => { }, incremental);
            Values = Backend.GetOrCreateTable("values", TypeSerializers.For<string>(), TypeSerializers.For<long>());
            Lists = Backend.GetOrCreateTable("lists", VoidNamespaceSerializer.Instance, TypeSerializers.For<List<long>>());
            Timers = Backend.GetTimerService("timers", TypeSerializers.For<string>(), this);
        }

        public HeapKeyedStateBackend<int> Backend { get; }
        public IStateTable<int, string, long> Values { get; }
        public IStateTable<int, VoidNamespace, List<long>> Lists { get; }
        public IInternalTimerService<string> Timers { get; }
        public List<(int, string, long)> Fired { get; } = new();

        public void OnEventTime(int key, string ns, long timestamp) => Fired.Add((key, ns, timestamp));
        public void OnProcessingTime(int key, string ns, long timestamp) { }

        public KeyedStateChain Checkpoint(long id, long? baseId, string dir)
        {
            Directory.CreateDirectory(dir);
            using var snapshot = Backend.Snapshot(id, baseId);
            var file = Path.Combine(dir, $"op-{id}.kstate");
            Dictionary<int, (long, int)> offsets;
            using (var fs = new FileStream(file, FileMode.Create)) offsets = snapshot.WriteTo(fs);
            return snapshot.Complete(file, new FileInfo(file).Length, 1, offsets);
        }

        public void AssertHolds(Dictionary<(int, string), long> values, Dictionary<int, List<long>> lists, HashSet<(int, string, long)> timers,
            int[] keys, long watermark, string where)
        {
            var table = (HeapStateTable<int, string, long>)Values;
            foreach (var ns in Namespaces)
            {
                var expected = values.Where(kv => kv.Key.Item2 == ns).ToDictionary(kv => kv.Key.Item1, kv => kv.Value);
                var actual = new Dictionary<int, long>();
                foreach (var key in table.KeysIn(ns).ToList())
                {
                    Backend.SetCurrentKey(key);
                    Assert.True(Values.TryGet(ns, out var v));
                    actual[key] = v;
                }
                Assert.True(expected.Count == actual.Count && expected.All(kv => actual.TryGetValue(kv.Key, out var v) && v == kv.Value),
                    $"{where}: namespace {ns} holds {actual.Count} entries, expected {expected.Count}; differing keys: " +
                    string.Join(", ", expected.Keys.Union(actual.Keys).Where(k => !expected.TryGetValue(k, out var e) || !actual.TryGetValue(k, out var a) || e != a).Take(5)));
            }
            foreach (var key in keys)
            {
                Backend.SetCurrentKey(key);
                var has = Lists.TryGet(VoidNamespace.Instance, out var list);
                Assert.True(has == lists.ContainsKey(key), $"{where}: list of key {key} present {has}, expected {lists.ContainsKey(key)}");
                if (has) Assert.True(list.SequenceEqual(lists[key]), $"{where}: list of key {key} is [{string.Join(",", list)}], expected [{string.Join(",", lists[key])}]");
            }
            Backend.AdvanceWatermark(long.MaxValue);
            var fired = Fired.ToHashSet();
            Assert.True(fired.SetEquals(timers) && Fired.Count == timers.Count,
                $"{where}: {Fired.Count} timers fired after the restore, expected {timers.Count}; missing {timers.Except(fired).Count()}, unexpected {fired.Except(timers).Count()}");
        }
    }
}
