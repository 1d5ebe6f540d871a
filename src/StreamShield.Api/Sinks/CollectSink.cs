using System.Collections.Concurrent;

namespace StreamShield.Sinks;

/// <summary>
/// Collects records in memory, for tests and embedded use. With <c>transactional: true</c> (the default) records
/// become visible in <see cref="Results"/> only when the checkpoint covering them completes, so a test can check
/// exactly-once output across failures; otherwise they appear as they arrive.
/// </summary>
public sealed class CollectSink<T>(bool transactional = true) : ISink<T, CollectTransaction>
{
    private static long _nextSinkId;
    private readonly long _sinkId = Interlocked.Increment(ref _nextSinkId);
    private readonly ConcurrentDictionary<CollectTransaction, List<T>> _staged = new();
    private readonly HashSet<CollectTransaction> _committed = new();
    private readonly List<T> _results = new();

    /// <summary>The committed records, in commit order.</summary>
    public IReadOnlyList<T> Results
    {
        get { lock (_results) return _results.ToList(); }
    }

    /// <inheritdoc />
    public ISinkWriter<T, CollectTransaction> CreateWriter(SinkWriterContext context) => new Writer(this, context);

    /// <inheritdoc />
    public void Commit(CollectTransaction transaction)
    {
        lock (_results)
        {
            if (!_committed.Add(transaction)) return;
            if (_staged.TryRemove(transaction, out var records)) _results.AddRange(records);
        }
    }

    private void Append(IEnumerable<T> records)
    {
        lock (_results) _results.AddRange(records);
    }

    private sealed class Writer(CollectSink<T> sink, SinkWriterContext context) : ISinkWriter<T, CollectTransaction>
    {
        private List<T> _open = new();
        private long _sequence;

        public void Write(T record, long? timestamp)
        {
            if (sink.AppendsImmediately) sink.Append([record]); else _open.Add(record);
        }

        public IReadOnlyList<CollectTransaction> PreCommit(long checkpointId)
        {
            if (_open.Count == 0) return Array.Empty<CollectTransaction>();
            var txn = new CollectTransaction(sink._sinkId, context.AttemptId, context.SubtaskIndex, _sequence++);
            sink._staged[txn] = _open;
            _open = new List<T>();
            return [txn];
        }

        public void Abort() => _open.Clear();
        public void Dispose() { }
    }

    private bool AppendsImmediately => !transactional;
}

/// <summary>Handle of a <see cref="CollectSink{T}"/> transaction (its records stay in memory until committed).</summary>
public readonly record struct CollectTransaction(long SinkId, string Attempt, int Subtask, long Sequence);
