using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StreamShield.Runtime.State.Heap;

/// <summary>
/// Callback used by <see cref="StateMapSnapshot{K, N, V}.ForEach{TVisitor}(ref TVisitor)"/>. Implement it on a
/// struct so the call is devirtualized and nothing is allocated per entry.
/// </summary>
internal interface IStateEntryVisitor<K, N, V>
{
    /// <summary>Called once for every entry of the snapshot. The value must not be mutated.</summary>
    void Visit(K key, N ns, V value);
}

/// <summary>
/// A (key, namespace) -&gt; value hash map for the heap state backend that supports cheap, consistent
/// snapshots which can be read from another thread while the owner (task) thread keeps writing.
/// </summary>
/// <remarks>
/// <para>
/// Layout: like <see cref="Dictionary{TKey, TValue}"/> (an <c>int[]</c> of 1-based bucket heads plus an array of
/// entry structs chained through <c>Next</c>), except that the entry array is split into fixed-size chunks of
/// <see cref="ChunkSize"/> entries (the very first chunk starts small and doubles up to that size) held in an array
/// of chunk references. Every chunk carries the map version at which it was created or copied
/// (<c>_chunkVersions</c>); every entry carries the version at which its value was last written.
/// </para>
/// <para>
/// <see cref="Snapshot"/> captures a shallow copy of the chunk-reference array plus the slot high-water mark and
/// bumps the map version. A chunk (or an entry's value) is shared with a live snapshot iff its version is
/// &lt;= the newest live snapshot version; any write to such a chunk first clones it, and
/// <see cref="GetForUpdate"/> additionally replaces a shared value with <c>copyValue(value)</c>. With no live
/// snapshot the newest live version is -1 and nothing is ever copied.
/// </para>
/// <para>
/// The one exception is <see cref="Entry.Next"/>: it is owner-thread-private metadata (hash chain / free list)
/// that snapshots never read, so rehashing on resize and unlinking a predecessor on <see cref="Remove"/> rewrite
/// it in place, even inside shared chunks. That keeps resizing O(n) without copying any chunk, and it is safe
/// because a snapshot reads only <c>Version</c>, <c>Key</c>, <c>Namespace</c> and <c>Value</c>, which are never
/// written in a shared chunk. Free slots are marked with <c>Version == -1</c>.
/// </para>
/// <para>
/// Threading: all members of the map must be called from a single owner thread. A
/// <see cref="StateMapSnapshot{K, N, V}"/> may be iterated and disposed on any thread. Refs returned by
/// <see cref="GetForUpdate"/> are only valid until the next call on the map.
/// </para>
/// </remarks>
internal sealed class CopyOnWriteStateMap<K, N, V> where N : notnull
{
    internal const int ChunkShift = 10;
    internal const int ChunkSize = 1 << ChunkShift;
    internal const int ChunkMask = ChunkSize - 1;
    private const int MinFirstChunkSize = 8;
    private const int NoSnapshot = -1;
    private const int FreeVersion = -1;
    private const uint GoldenRatio = 0x9E3779B9u;

    // Shared, never written: a lookup in an empty map lands on bucket 0 (shift 32 maps every hash to 0).
    private static readonly int[] s_emptyBuckets = new int[1];

    [StructLayout(LayoutKind.Auto)]
    internal struct Entry
    {
        internal K Key;
        internal V Value;
        internal int Hash;
        /// <summary>Chain link (or free-list link). Owner-thread only; never read by snapshots.</summary>
        internal int Next;
        /// <summary>Version of the last write of <see cref="Value"/>; -1 marks a free slot.</summary>
        internal int Version;
        internal N Namespace;
    }

    private readonly IEqualityComparer<K>? _keyComparer; // null => EqualityComparer<K>.Default on a value type
    private readonly IEqualityComparer<N>? _nsComparer;
    private readonly Func<V, V>? _copyValue;

    private int[] _buckets = s_emptyBuckets;
    private int _bucketShift = 32;
    private Entry[][] _chunks = [];
    private int[] _chunkVersions = [];
    private int _chunkCount;
    private int _capacity;   // total slots in the allocated chunks
    private int _count;      // slot high-water mark (live + free)
    private int _freeList = -1;
    private int _freeCount;
    private int _version;    // version stamped on writes; Snapshot() captures it and increments it
    private int _newestLiveSnapshot = NoSnapshot; // written under lock(_liveSnapshots), read with Volatile.Read
    private List<int>? _liveSnapshots;            // ascending versions of live snapshots
    private List<(K Key, N Namespace, int Version)>? _removals; // removals not yet covered by a base snapshot (when tracking changes)
    private int _clearedVersion = -1;              // version of the last Clear(); a delta from an older base must be written in full

    public CopyOnWriteStateMap(
        IEqualityComparer<K>? keyComparer = null,
        IEqualityComparer<N>? nsComparer = null,
        Func<V, V>? copyValue = null)
    {
        if (typeof(K).IsValueType)
        {
            _keyComparer = keyComparer is null || ReferenceEquals(keyComparer, EqualityComparer<K>.Default) ? null : keyComparer;
        }
        else
        {
            _keyComparer = keyComparer ?? EqualityComparer<K>.Default;
        }

        if (typeof(N).IsValueType)
        {
            _nsComparer = nsComparer is null || ReferenceEquals(nsComparer, EqualityComparer<N>.Default) ? null : nsComparer;
        }
        else
        {
            _nsComparer = nsComparer ?? EqualityComparer<N>.Default;
        }

        _copyValue = copyValue;
    }

    /// <summary>
    /// Whether removals are logged so that <see cref="RemovalsSince"/> can describe what changed since a snapshot
    /// (incremental checkpoints). Writes are always stamped with the current version, so changed entries are
    /// found from a snapshot without a log.
    /// </summary>
    public bool TrackChanges
    {
        get => _removals is not null;
        set => _removals = value ? _removals ?? new() : null;
    }

    /// <summary>True if <see cref="Clear"/> ran after the snapshot of <paramref name="baseVersion"/>: a delta cannot express that.</summary>
    internal bool ClearedSince(int baseVersion) => _clearedVersion > baseVersion;

    /// <summary>
    /// The (key, namespace) pairs removed after the snapshot of <paramref name="baseVersion"/> (owner thread), and
    /// forgets older ones: callers ask with non-decreasing bases, so they can never be needed again.
    /// </summary>
    internal (K Key, N Namespace)[] RemovalsSince(int baseVersion)
    {
        List<(K Key, N Namespace, int Version)>? log = _removals;
        if (log is null || log.Count == 0)
        {
            return [];
        }

        int first = 0;
        while (first < log.Count && log[first].Version <= baseVersion)
        {
            first++;
        }

        log.RemoveRange(0, first);
        var result = new (K, N)[log.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (log[i].Key, log[i].Namespace);
        }

        return result;
    }

    /// <summary>Forgets logged removals up to <paramref name="version"/> (after a full snapshot of that version).</summary>
    internal void ForgetRemovalsThrough(int version) => _removals?.RemoveAll(r => r.Version <= version);

    /// <summary>Number of live entries.</summary>
    public int Count => _count - _freeCount;

    /// <summary>Number of chunk clones performed (diagnostics / tests).</summary>
    internal int ChunkCopyCount { get; private set; }

    /// <summary>Number of snapshots that have not been disposed yet.</summary>
    internal int LiveSnapshotCount
    {
        get
        {
            List<int>? list = _liveSnapshots;
            if (list is null)
            {
                return 0;
            }

            lock (list)
            {
                return list.Count;
            }
        }
    }

    /// <summary>Looks up a value for read-only use. The returned value must not be mutated.</summary>
    public bool TryGet(K key, N ns, [MaybeNullWhen(false)] out V value)
    {
        int i = FindIndex(key, ns, ComputeHash(key, ns));
        if (i >= 0)
        {
            value = _chunks[i >> ChunkShift][i & ChunkMask].Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Returns a ref to the stored value that the caller may mutate in place. If the entry is shared with a live
    /// snapshot, its chunk is cloned first and its value replaced by <c>copyValue(value)</c> (when a copier was
    /// given). A missing entry is inserted with <c>default(V)</c> and <paramref name="exists"/> = false.
    /// The ref is valid only until the next call on this map.
    /// </summary>
    public ref V GetForUpdate(K key, N ns, out bool exists)
    {
        int hash = ComputeHash(key, ns);
        int i = FindIndex(key, ns, hash);
        int live = Volatile.Read(ref _newestLiveSnapshot);
        if (i >= 0)
        {
            exists = true;
            ref Entry e = ref WritableEntry(i, live);
            if (e.Version <= live && _copyValue is not null)
            {
                e.Value = _copyValue(e.Value);
            }

            // Stamped even without a live snapshot: the caller may mutate the value, and incremental snapshots
            // find changed entries by their version.
            e.Version = _version;
            return ref e.Value;
        }

        exists = false;
        i = Insert(key, ns, default!, hash, live);
        return ref _chunks[i >> ChunkShift][i & ChunkMask].Value;
    }

    /// <summary>Inserts or overwrites the value of (key, ns).</summary>
    public void Put(K key, N ns, V value)
    {
        int hash = ComputeHash(key, ns);
        int i = FindIndex(key, ns, hash);
        int live = Volatile.Read(ref _newestLiveSnapshot);
        if (i >= 0)
        {
            ref Entry e = ref WritableEntry(i, live);
            e.Value = value;
            e.Version = _version;
            return;
        }

        Insert(key, ns, value, hash, live);
    }

    /// <summary>Removes (key, ns); returns false if it was not present.</summary>
    public bool Remove(K key, N ns)
    {
        int hash = ComputeHash(key, ns);
        ref int bucket = ref BucketRef(hash);
        Entry[][] chunks = _chunks;
        int last = -1;
        int i = bucket - 1;
        int guard = 0;
        while (i >= 0)
        {
            ref Entry e = ref chunks[i >> ChunkShift][i & ChunkMask];
            if (e.Hash == hash && KeyEquals(e.Key, key) && NamespaceEquals(e.Namespace, ns))
            {
                // Unlinking only touches Next (owner-private), so no copy is needed for the predecessor.
                if (last < 0)
                {
                    bucket = e.Next + 1;
                }
                else
                {
                    chunks[last >> ChunkShift][last & ChunkMask].Next = e.Next;
                }

                _removals?.Add((key, ns, _version));

                // Marking the slot free is visible to snapshots: copy its chunk first if it is shared.
                ref Entry w = ref WritableEntry(i, Volatile.Read(ref _newestLiveSnapshot));
                w.Version = FreeVersion;
                w.Next = _freeList;
                if (RuntimeHelpers.IsReferenceOrContainsReferences<K>())
                {
                    w.Key = default!;
                }

                if (RuntimeHelpers.IsReferenceOrContainsReferences<N>())
                {
                    w.Namespace = default!;
                }

                if (RuntimeHelpers.IsReferenceOrContainsReferences<V>())
                {
                    w.Value = default!;
                }

                _freeList = i;
                _freeCount++;
                return true;
            }

            last = i;
            i = e.Next;
            if (++guard > _count)
            {
                ThrowConcurrentModification();
            }
        }

        return false;
    }

    /// <summary>Removes all entries. Live snapshots are not affected.</summary>
    public void Clear()
    {
        if (_count == 0)
        {
            return;
        }

        if (_removals is not null)
        {
            _removals.Clear();
            _clearedVersion = _version;
        }

        if (Volatile.Read(ref _newestLiveSnapshot) != NoSnapshot)
        {
            // Chunks may be shared with a snapshot: drop them rather than clearing them.
            _chunks = [];
            _chunkVersions = [];
            _chunkCount = 0;
            _capacity = 0;
        }
        else if (RuntimeHelpers.IsReferenceOrContainsReferences<Entry>())
        {
            int remaining = _count;
            for (int c = 0; c < _chunkCount && remaining > 0; c++)
            {
                Entry[] chunk = _chunks[c];
                int n = Math.Min(chunk.Length, remaining);
                Array.Clear(chunk, 0, n);
                remaining -= n;
            }
        }

        // Chunks that are kept hold stale data above the high-water mark; inserts overwrite every field and
        // snapshots never read above their captured high-water mark, so no clearing is needed for them.
        if (_buckets != s_emptyBuckets)
        {
            Array.Clear(_buckets);
        }

        _count = 0;
        _freeList = -1;
        _freeCount = 0;
    }

    /// <summary>
    /// Takes a consistent snapshot in O(number of chunks) without copying entries. The snapshot must be disposed
    /// when no longer needed; until then, writes to shared chunks copy them.
    /// </summary>
    public StateMapSnapshot<K, N, V> Snapshot()
    {
        int v = _version;
        if (v == int.MaxValue)
        {
            throw new InvalidOperationException("State map version overflow.");
        }

        _version = v + 1;
        int used = (_count + ChunkMask) >> ChunkShift;
        Entry[][] captured = used == 0 ? [] : new Entry[used][];
        Array.Copy(_chunks, captured, used);

        List<int> live = _liveSnapshots ??= new List<int>();
        lock (live)
        {
            live.Add(v);
            Volatile.Write(ref _newestLiveSnapshot, v);
        }

        return new StateMapSnapshot<K, N, V>(this, v, captured, _count, Count);
    }

    /// <summary>Current entries. Owner thread only; removing entries while enumerating is allowed.</summary>
    public IEnumerable<(K Key, N Namespace, V Value)> Entries()
    {
        for (int i = 0; i < _count; i++)
        {
            Entry e = _chunks[i >> ChunkShift][i & ChunkMask];
            if (e.Version != FreeVersion)
            {
                yield return (e.Key, e.Namespace, e.Value);
            }
        }
    }

    /// <summary>Keys that have an entry in <paramref name="ns"/>. Owner thread only; O(total entries).</summary>
    public IEnumerable<K> Keys(N ns)
    {
        for (int i = 0; i < _count; i++)
        {
            Entry e = _chunks[i >> ChunkShift][i & ChunkMask];
            if (e.Version != FreeVersion && NamespaceEquals(e.Namespace, ns))
            {
                yield return e.Key;
            }
        }
    }

    internal void ReleaseSnapshot(int version)
    {
        List<int> live = _liveSnapshots!;
        lock (live)
        {
            live.Remove(version);
            Volatile.Write(ref _newestLiveSnapshot, live.Count == 0 ? NoSnapshot : live[^1]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ComputeHash(K key, N ns)
    {
        int kh = typeof(K).IsValueType && _keyComparer is null
            ? EqualityComparer<K>.Default.GetHashCode(key!)
            : _keyComparer!.GetHashCode(key!);
        int nh = typeof(N).IsValueType && _nsComparer is null
            ? EqualityComparer<N>.Default.GetHashCode(ns)
            : _nsComparer!.GetHashCode(ns);
        return kh ^ (int)((uint)nh * GoldenRatio);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool KeyEquals(K a, K b) =>
        typeof(K).IsValueType && _keyComparer is null
            ? EqualityComparer<K>.Default.Equals(a, b)
            : _keyComparer!.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool NamespaceEquals(N a, N b) =>
        typeof(N).IsValueType && _nsComparer is null
            ? EqualityComparer<N>.Default.Equals(a, b)
            : _nsComparer!.Equals(a, b);

    // Fibonacci hashing: the high bits of hash * golden ratio pick the bucket (bucket count is a power of two).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref int BucketRef(int hash) =>
        ref _buckets[(int)((ulong)((uint)hash * GoldenRatio) >> _bucketShift)];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindIndex(K key, N ns, int hash)
    {
        Entry[][] chunks = _chunks;
        int i = BucketRef(hash) - 1;
        int guard = 0;
        while (i >= 0)
        {
            ref Entry e = ref chunks[i >> ChunkShift][i & ChunkMask];
            if (e.Hash == hash && KeyEquals(e.Key, key) && NamespaceEquals(e.Namespace, ns))
            {
                return i;
            }

            i = e.Next;
            if (++guard > _count)
            {
                ThrowConcurrentModification();
            }
        }

        return -1;
    }

    /// <summary>Ref to slot <paramref name="index"/> in a chunk that is not shared with any live snapshot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Entry WritableEntry(int index, int newestLiveSnapshot)
    {
        int c = index >> ChunkShift;
        if (_chunkVersions[c] <= newestLiveSnapshot)
        {
            CopyChunk(c);
        }

        return ref _chunks[c][index & ChunkMask];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CopyChunk(int c)
    {
        _chunks[c] = (Entry[])_chunks[c].Clone();
        _chunkVersions[c] = _version;
        ChunkCopyCount++;
    }

    private int Insert(K key, N ns, V value, int hash, int live)
    {
        int index;
        if (_freeCount > 0)
        {
            index = _freeList;
            _freeList = _chunks[index >> ChunkShift][index & ChunkMask].Next;
            _freeCount--;
        }
        else
        {
            if (_count == _capacity)
            {
                Grow();
            }

            index = _count++;
        }

        ref Entry e = ref WritableEntry(index, live);
        ref int bucket = ref BucketRef(hash);
        e.Key = key;
        e.Namespace = ns;
        e.Value = value;
        e.Hash = hash;
        e.Version = _version;
        e.Next = bucket - 1;
        bucket = index + 1;
        return index;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow()
    {
        if (_chunkCount == 0)
        {
            AddChunk(new Entry[MinFirstChunkSize]);
        }
        else if (_chunkCount == 1 && _chunks[0].Length < ChunkSize)
        {
            // The first chunk starts small so that tiny maps stay tiny. Replacing it with a bigger copy leaves
            // the old array untouched for any snapshot that captured it.
            Entry[] bigger = new Entry[Math.Min(_chunks[0].Length * 2, ChunkSize)];
            Array.Copy(_chunks[0], bigger, _count);
            _chunks[0] = bigger;
            _chunkVersions[0] = _version;
            _capacity = bigger.Length;
        }
        else
        {
            AddChunk(new Entry[ChunkSize]);
        }

        if (_capacity > _buckets.Length || _buckets == s_emptyBuckets)
        {
            ResizeBuckets((int)Math.Max(MinFirstChunkSize, BitOperations.RoundUpToPowerOf2((uint)_capacity)));
        }
    }

    private void AddChunk(Entry[] chunk)
    {
        if (_chunkCount == _chunks.Length)
        {
            int newLength = Math.Max(4, _chunks.Length * 2);
            Array.Resize(ref _chunks, newLength);
            Array.Resize(ref _chunkVersions, newLength);
        }

        _chunks[_chunkCount] = chunk;
        _chunkVersions[_chunkCount] = _version;
        _chunkCount++;
        _capacity = _chunkCount == 1 ? chunk.Length : (_chunkCount - 1) * ChunkSize + chunk.Length;
    }

    private void ResizeBuckets(int size)
    {
        int[] buckets = new int[size];
        _bucketShift = 32 - BitOperations.Log2((uint)size);
        _buckets = buckets;
        Entry[][] chunks = _chunks;
        for (int i = 0; i < _count; i++)
        {
            // Only Next is written, which snapshots never read, so shared chunks are relinked in place.
            ref Entry e = ref chunks[i >> ChunkShift][i & ChunkMask];
            if (e.Version != FreeVersion)
            {
                ref int bucket = ref BucketRef(e.Hash);
                e.Next = bucket - 1;
                bucket = i + 1;
            }
        }
    }

    [DoesNotReturn]
    private static void ThrowConcurrentModification() =>
        throw new InvalidOperationException(
            "CopyOnWriteStateMap hash chain is corrupt; the map was probably modified concurrently from more than one thread.");
}

/// <summary>
/// An immutable view of a <see cref="CopyOnWriteStateMap{K, N, V}"/> at the time <c>Snapshot()</c> was called.
/// Can be iterated from any thread (also concurrently with writes to the map and with other iterations of the
/// same snapshot). Dispose it to release the version so that later writes no longer need to copy.
/// </summary>
internal sealed class StateMapSnapshot<K, N, V> : IDisposable, IEnumerable<(K Key, N Namespace, V Value)>
    where N : notnull
{
    private readonly CopyOnWriteStateMap<K, N, V> _owner;
    private readonly int _highWater;
    private CopyOnWriteStateMap<K, N, V>.Entry[][] _chunks;
    private int _disposed;

    internal StateMapSnapshot(
        CopyOnWriteStateMap<K, N, V> owner,
        int version,
        CopyOnWriteStateMap<K, N, V>.Entry[][] chunks,
        int highWater,
        int count)
    {
        _owner = owner;
        Version = version;
        _chunks = chunks;
        _highWater = highWater;
        Count = count;
    }

    /// <summary>Number of entries in the snapshot.</summary>
    public int Count { get; }

    /// <summary>The map version this snapshot froze.</summary>
    internal int Version { get; }

    /// <summary>Calls <paramref name="visitor"/> for every entry, in slot order. Allocation-free.</summary>
    public void ForEach<TVisitor>(ref TVisitor visitor) where TVisitor : struct, IStateEntryVisitor<K, N, V>
    {
        CopyOnWriteStateMap<K, N, V>.Entry[][] chunks = GetChunks();
        int remaining = _highWater;
        for (int c = 0; c < chunks.Length && remaining > 0; c++)
        {
            CopyOnWriteStateMap<K, N, V>.Entry[] chunk = chunks[c];
            int n = Math.Min(chunk.Length, remaining);
            for (int j = 0; j < n; j++)
            {
                ref readonly CopyOnWriteStateMap<K, N, V>.Entry e = ref chunk[j];
                if (e.Version >= 0)
                {
                    visitor.Visit(e.Key, e.Namespace, e.Value);
                }
            }

            remaining -= n;
        }
    }

    /// <summary>Allocation-free struct enumerator over the frozen entries.</summary>
    public Enumerator GetEnumerator() => new(GetChunks(), _highWater);

    /// <summary>The frozen entries written after the snapshot of <paramref name="baseVersion"/> (inserted or updated since).</summary>
    public Enumerator ChangedSince(int baseVersion) => new(GetChunks(), _highWater, baseVersion);

    IEnumerator<(K Key, N Namespace, V Value)> IEnumerable<(K Key, N Namespace, V Value)>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Releases the snapshot version. Idempotent; may be called from any thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Volatile.Write(ref _chunks, []);
            _owner.ReleaseSnapshot(Version);
        }
    }

    private CopyOnWriteStateMap<K, N, V>.Entry[][] GetChunks()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Volatile.Read(ref _chunks);
    }

    /// <summary>Struct enumerator over a snapshot.</summary>
    public struct Enumerator : IEnumerator<(K Key, N Namespace, V Value)>
    {
        private readonly CopyOnWriteStateMap<K, N, V>.Entry[][] _chunks;
        private readonly int _highWater;
        private readonly int _newerThan;
        private int _index;
        private (K Key, N Namespace, V Value) _current;

        internal Enumerator(CopyOnWriteStateMap<K, N, V>.Entry[][] chunks, int highWater, int newerThan = -1)
        {
            _chunks = chunks;
            _highWater = highWater;
            _newerThan = newerThan;
            _index = -1;
            _current = default;
        }

        /// <summary>Makes the enumerator usable in a foreach.</summary>
        public readonly Enumerator GetEnumerator() => this;

        public readonly (K Key, N Namespace, V Value) Current => _current;

        readonly object IEnumerator.Current => _current;

        public bool MoveNext()
        {
            while (++_index < _highWater)
            {
                ref readonly CopyOnWriteStateMap<K, N, V>.Entry e =
                    ref _chunks[_index >> CopyOnWriteStateMap<K, N, V>.ChunkShift][_index & CopyOnWriteStateMap<K, N, V>.ChunkMask];
                if (e.Version > _newerThan)
                {
                    _current = (e.Key, e.Namespace, e.Value);
                    return true;
                }
            }

            _index = _highWater;
            _current = default;
            return false;
        }

        public void Reset()
        {
            _index = -1;
            _current = default;
        }

        public readonly void Dispose()
        {
        }
    }
}
