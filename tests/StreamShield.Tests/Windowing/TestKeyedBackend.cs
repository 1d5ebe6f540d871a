using StreamShield.Operators;
using StreamShield.Serialization;
using StreamShield.State.Internal;

namespace StreamShield.Tests.Windowing;

/// <summary>
/// A minimal in-memory keyed state backend with timers, for driving keyed operators directly in unit tests (no runtime).
/// Timers fire in timestamp order, with the watermark (or processing time) set before firing, as Flink's timer service.
/// </summary>
internal sealed class TestKeyedBackend<TKey> : IKeyedStateBackend<TKey> where TKey : notnull
{
    private readonly Dictionary<string, ITestTable> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ITestTimers> _timers = new(StringComparer.Ordinal);

    public TKey CurrentKey { get; private set; } = default!;

    public long ProcessingTime { get; set; }

    public long Watermark { get; private set; } = long.MinValue;

    public void SetCurrentKey(TKey key)
    {
        if (key is null) throw new KeySelectorException("null key");
        CurrentKey = key;
    }

    public IStateTable<TKey, TNamespace, TValue> GetOrCreateTable<TNamespace, TValue>(
        string name, TypeSerializer<TNamespace> namespaceSerializer, TypeSerializer<TValue> valueSerializer) where TNamespace : notnull
    {
        if (!_tables.TryGetValue(name, out var table)) _tables[name] = table = new Table<TNamespace, TValue>(this, valueSerializer);
        return (IStateTable<TKey, TNamespace, TValue>)table;
    }

    public IInternalTimerService<TNamespace> GetTimerService<TNamespace>(
        string name, TypeSerializer<TNamespace> namespaceSerializer, ITimerTarget<TKey, TNamespace> target) where TNamespace : notnull
    {
        if (!_timers.TryGetValue(name, out var timers)) _timers[name] = timers = new Timers<TNamespace>(this, target);
        return (IInternalTimerService<TNamespace>)timers;
    }

    public void AdvanceWatermark(long watermark)
    {
        Watermark = Math.Max(Watermark, watermark);
        foreach (var t in _timers.Values) t.FireEventTime(Watermark);
    }

    public void AdvanceProcessingTime(long time)
    {
        ProcessingTime = time;
        foreach (var t in _timers.Values) t.FireProcessingTime(time);
    }

    /// <summary>Entries of a state table over all keys and namespaces (0 if the table does not exist).</summary>
    public int EntryCount(string table) => _tables.TryGetValue(table, out var t) ? t.Count : 0;

    /// <summary>Registered event-time plus processing-time timers over all services.</summary>
    public int TimerCount => _timers.Values.Sum(t => t.Count);

    private interface ITestTable
    {
        int Count { get; }
    }

    private interface ITestTimers
    {
        int Count { get; }
        void FireEventTime(long watermark);
        void FireProcessingTime(long time);
    }

    private sealed class Box<T>
    {
        public T Value = default!;
    }

    private sealed class Table<TNamespace, TValue>(TestKeyedBackend<TKey> backend, TypeSerializer<TValue> serializer)
        : IStateTable<TKey, TNamespace, TValue>, ITestTable where TNamespace : notnull
    {
        private readonly Dictionary<(TKey, TNamespace), Box<TValue>> _entries = new();

        public int Count => _entries.Count;

        public TypeSerializer<TValue> ValueSerializer => serializer;

        public bool TryGet(TNamespace ns, out TValue value)
        {
            if (_entries.TryGetValue((backend.CurrentKey, ns), out var box))
            {
                value = box.Value;
                return true;
            }
            value = default!;
            return false;
        }

        public ref TValue GetForUpdate(TNamespace ns, out bool exists)
        {
            var key = (backend.CurrentKey, ns);
            exists = _entries.TryGetValue(key, out var box);
            if (box is null) _entries[key] = box = new Box<TValue>();
            else if (!serializer.IsImmutable) box.Value = serializer.Copy(box.Value); // as if a snapshot shared it
            return ref box.Value;
        }

        public void Put(TNamespace ns, TValue value) => _entries[(backend.CurrentKey, ns)] = new Box<TValue> { Value = value };

        public bool Remove(TNamespace ns) => _entries.Remove((backend.CurrentKey, ns));
    }

    private sealed class Timers<TNamespace>(TestKeyedBackend<TKey> backend, ITimerTarget<TKey, TNamespace> target)
        : IInternalTimerService<TNamespace>, ITestTimers where TNamespace : notnull
    {
        private readonly HashSet<(long Timestamp, TKey Key, TNamespace Ns)> _eventTime = new();
        private readonly HashSet<(long Timestamp, TKey Key, TNamespace Ns)> _processingTime = new();

        public int Count => _eventTime.Count + _processingTime.Count;
        public long CurrentWatermark => backend.Watermark;
        public long CurrentProcessingTime => backend.ProcessingTime;
        public void RegisterEventTimeTimer(TNamespace ns, long timestamp) => _eventTime.Add((timestamp, backend.CurrentKey, ns));
        public void DeleteEventTimeTimer(TNamespace ns, long timestamp) => _eventTime.Remove((timestamp, backend.CurrentKey, ns));
        public void RegisterProcessingTimeTimer(TNamespace ns, long timestamp) => _processingTime.Add((timestamp, backend.CurrentKey, ns));
        public void DeleteProcessingTimeTimer(TNamespace ns, long timestamp) => _processingTime.Remove((timestamp, backend.CurrentKey, ns));

        public void FireEventTime(long watermark) => Fire(_eventTime, watermark, (k, n, t) => target.OnEventTime(k, n, t));

        public void FireProcessingTime(long time) => Fire(_processingTime, time, (k, n, t) => target.OnProcessingTime(k, n, t));

        private void Fire(HashSet<(long Timestamp, TKey Key, TNamespace Ns)> timers, long upTo, Action<TKey, TNamespace, long> fire)
        {
            while (true)
            {
                (long Timestamp, TKey Key, TNamespace Ns)? next = null;
                foreach (var t in timers)
                    if (t.Timestamp <= upTo && (next is null || t.Timestamp < next.Value.Timestamp)) next = t;
                if (next is not { } timer) return;
                timers.Remove(timer);
                backend.SetCurrentKey(timer.Key);
                fire(timer.Key, timer.Ns, timer.Timestamp);
            }
        }
    }
}
