using StreamShield.Serialization;
using StreamShield.State.Internal;

namespace StreamShield.Runtime.State.Heap;

/// <summary>
/// Event-time and processing-time timers of a keyed operator: a priority queue by timestamp plus a set for
/// de-duplication and deletion (deleted timers are skipped lazily when they reach the head). Timers are keyed
/// state: they are checkpointed per key group and move with their key group on rescale.
/// </summary>
internal sealed class HeapTimerService<TKey, TNamespace> : IInternalTimerService<TNamespace>, ISnapshotableState, ITimerServiceInternal
    where TNamespace : notnull
{
    private readonly HeapKeyedStateBackend<TKey> _backend;
    private readonly TypeSerializer<TNamespace> _namespaceSerializer;
    private readonly ITimerTarget<TKey, TNamespace> _target;
    private readonly Func<long> _clock;
    private readonly Action<long, Action<long>> _registerProcessingTimer;
    private readonly TimerQueue _eventTimers = new();
    private readonly TimerQueue _processingTimers = new();
    private long _watermark = long.MinValue;
    private long _scheduledProcessingTimer = long.MaxValue;
    // Incremental snapshots: the snapshot version at which each key group's timers last changed; a delta rewrites
    // (in full) the key groups that changed since its base.
    private readonly int[] _changedAt;
    private int _version;
    private readonly SnapshotVersions<int> _versions = new();

    public HeapTimerService(HeapKeyedStateBackend<TKey> backend, string name, TypeSerializer<TNamespace> namespaceSerializer,
        ITimerTarget<TKey, TNamespace> target, Func<long> clock, Action<long, Action<long>> registerProcessingTimer)
    {
        _backend = backend;
        Name = name;
        _namespaceSerializer = namespaceSerializer;
        _target = target;
        _clock = clock;
        _registerProcessingTimer = registerProcessingTimer;
        _changedAt = new int[backend.Range.Count];
    }

    public string Name { get; }
    public long Count => _eventTimers.Count + _processingTimers.Count;
    public long CurrentWatermark => _watermark;
    public long CurrentProcessingTime => _clock();


    public void RegisterEventTimeTimer(TNamespace ns, long timestamp)
    {
        MarkChanged(_backend.CurrentKeyGroupIndex);
        _eventTimers.Add(new Timer(timestamp, _backend.CurrentKey, ns, _backend.CurrentKeyGroupIndex));
    }

    public void DeleteEventTimeTimer(TNamespace ns, long timestamp)
    {
        MarkChanged(_backend.CurrentKeyGroupIndex);
        _eventTimers.Remove(new Timer(timestamp, _backend.CurrentKey, ns, _backend.CurrentKeyGroupIndex));
    }

    public void RegisterProcessingTimeTimer(TNamespace ns, long timestamp)
    {
        MarkChanged(_backend.CurrentKeyGroupIndex);
        _processingTimers.Add(new Timer(timestamp, _backend.CurrentKey, ns, _backend.CurrentKeyGroupIndex));
        ScheduleProcessingTimer();
    }

    public void DeleteProcessingTimeTimer(TNamespace ns, long timestamp)
    {
        MarkChanged(_backend.CurrentKeyGroupIndex);
        _processingTimers.Remove(new Timer(timestamp, _backend.CurrentKey, ns, _backend.CurrentKeyGroupIndex));
    }

    private void MarkChanged(int keyGroupIndex) => _changedAt[keyGroupIndex] = _version;

    private void ScheduleProcessingTimer()
    {
        if (_processingTimers.TryPeek(out var head) && head.Timestamp < _scheduledProcessingTimer)
        {
            _scheduledProcessingTimer = head.Timestamp;
            _registerProcessingTimer(head.Timestamp, OnProcessingTime);
        }
    }

    private void OnProcessingTime(long now)
    {
        if (_scheduledProcessingTimer <= now) _scheduledProcessingTimer = long.MaxValue;
        while (_processingTimers.TryPeek(out var t) && t.Timestamp <= now)
        {
            _processingTimers.Pop();
            MarkChanged(t.KeyGroupIndex);
            _backend.SetCurrentKey(t.Key, t.KeyGroupIndex);
            _target.OnProcessingTime(t.Key, t.Namespace, t.Timestamp);
        }
        ScheduleProcessingTimer();
    }

    public void AdvanceWatermark(long watermark)
    {
        if (watermark <= _watermark) return;
        _watermark = watermark;
        while (_eventTimers.TryPeek(out var t) && t.Timestamp <= watermark)
        {
            _eventTimers.Pop();
            MarkChanged(t.KeyGroupIndex);
            _backend.SetCurrentKey(t.Key, t.KeyGroupIndex);
            _target.OnEventTime(t.Key, t.Namespace, t.Timestamp);
        }
    }

    /// <summary>
    /// Copies the live timers. With a base checkpoint this service has a record of, only key groups whose timers
    /// changed since are written (each in full, replacing the chain's, so also when now empty).
    /// </summary>
    public IStateSnapshotPart Snapshot(long checkpointId, long? baseCheckpointId)
    {
        bool[]? changed = null;
        if (baseCheckpointId is long b && _versions.TryGetBase(b, out var baseVersion))
        {
            changed = new bool[_changedAt.Length];
            for (var kg = 0; kg < changed.Length; kg++) changed[kg] = _changedAt[kg] > baseVersion;
        }
        else if (baseCheckpointId is null) _versions.ForgetBefore(checkpointId);
        _versions.Record(checkpointId, _version++);
        // Timers are few compared to state entries; copying the live set is the synchronous cost.
        var byGroup = new Dictionary<int, List<(byte Domain, Timer Timer)>>();
        foreach (var t in _eventTimers.Live()) if (changed is null || changed[t.KeyGroupIndex]) Add(byGroup, 0, t);
        foreach (var t in _processingTimers.Live()) if (changed is null || changed[t.KeyGroupIndex]) Add(byGroup, 1, t);
        return new Part(Name, byGroup, changed, _backend.KeySerializer, _namespaceSerializer);
    }

    private static void Add(Dictionary<int, List<(byte, Timer)>> byGroup, byte domain, Timer t)
    {
        if (!byGroup.TryGetValue(t.KeyGroupIndex, out var list)) byGroup[t.KeyGroupIndex] = list = new List<(byte, Timer)>();
        list.Add((domain, t));
    }

    public void Restore(RestoredSegment segment)
    {
        if (segment.Kind == StatePartKind.Delta) throw new CorruptDataException($"Timer state '{Name}' cannot be restored from a delta segment.");
        var input = new DataInput(segment.Data, segment.Offset, segment.Length);
        var count = input.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var domain = input.ReadByte();
            var ts = input.ReadInt64();
            var key = _backend.KeySerializer.Deserialize(input);
            var ns = _namespaceSerializer.Deserialize(input);
            var timer = new Timer(ts, key, ns, segment.KeyGroupIndex);
            if (domain == 0) _eventTimers.Add(timer);
            else _processingTimers.Add(timer);
        }
        ScheduleProcessingTimer();
    }

    internal readonly record struct Timer(long Timestamp, TKey Key, TNamespace Namespace, int KeyGroupIndex);

    private sealed class TimerQueue
    {
        private readonly PriorityQueue<Timer, long> _queue = new();
        private readonly HashSet<Timer> _live = new();

        public int Count => _live.Count;

        public void Add(Timer t)
        {
            if (_live.Add(t)) _queue.Enqueue(t, t.Timestamp);
        }

        public void Remove(Timer t) => _live.Remove(t);

        public bool TryPeek(out Timer t)
        {
            while (_queue.TryPeek(out t, out _))
            {
                if (_live.Contains(t)) return true;
                _queue.Dequeue();
            }
            return false;
        }

        public void Pop()
        {
            var t = _queue.Dequeue();
            _live.Remove(t);
        }

        public IEnumerable<Timer> Live() => _live.ToList();
    }

    private sealed class Part(string name, Dictionary<int, List<(byte Domain, Timer Timer)>> byGroup, bool[]? changed,
        TypeSerializer<TKey> keys, TypeSerializer<TNamespace> namespaces) : IStateSnapshotPart
    {
        public string Name => name;

        public StatePartKind WriteKeyGroup(int keyGroupIndex, DataOutput output)
        {
            if (changed is not null && !changed[keyGroupIndex]) return StatePartKind.None;
            if (!byGroup.TryGetValue(keyGroupIndex, out var timers) || timers.Count == 0)
            {
                if (changed is null) return StatePartKind.None;
                output.WriteInt32(0); // a delta: no timers left in this key group, replacing the chain's
                return StatePartKind.Full;
            }
            output.WriteInt32(timers.Count);
            foreach (var (domain, t) in timers)
            {
                output.WriteByte(domain);
                output.WriteInt64(t.Timestamp);
                keys.Serialize(t.Key, output);
                namespaces.Serialize(t.Namespace, output);
            }
            return StatePartKind.Full;
        }

        public void Dispose() { }
    }
}

/// <summary>The backend's view of a timer service, independent of its namespace type.</summary>
internal interface ITimerServiceInternal
{
    void AdvanceWatermark(long watermark);
}
