using System.Diagnostics;

namespace StreamShield.Sources;

/// <summary>A range of sequence numbers still to generate: <see cref="Next"/> through <see cref="End"/> inclusive.</summary>
public readonly record struct SequenceSplit(long Next, long End);

/// <summary>
/// Generates records from their sequence number, in ranges split evenly across subtasks. The position is the next
/// sequence number, so a restored job regenerates exactly what the checkpoint had not yet covered. An optional
/// rate limit (records per second across all subtasks) paces the output.
/// </summary>
public sealed class GeneratorSource<T>(long from, long to, Func<long, T> generator, double? recordsPerSecond = null) : ISource<T, SequenceSplit>
{
    private readonly double? _recordsPerSecond = recordsPerSecond is null or (> 0 and < double.PositiveInfinity)
        ? recordsPerSecond
        : throw new ArgumentOutOfRangeException(nameof(recordsPerSecond), recordsPerSecond,
            "The generator's rate limit must be a positive number of records per second; pass null for no limit.");

    /// <inheritdoc />
    public bool IsBounded => to < long.MaxValue - 1;

    /// <inheritdoc />
    public IReadOnlyList<SequenceSplit> EnumerateSplits(int parallelism)
    {
        var splits = new List<SequenceSplit>();
        if (to < from) return splits;
        var total = (decimal)to - from + 1;
        for (var i = 0; i < parallelism; i++)
        {
            var start = from + (long)(total * i / parallelism);
            var end = from + (long)(total * (i + 1) / parallelism) - 1;
            if (end >= start) splits.Add(new SequenceSplit(start, end));
        }
        return splits;
    }

    /// <inheritdoc />
    public ISourceReader<T, SequenceSplit> CreateReader(SourceReaderContext context) =>
        new Reader(generator, _recordsPerSecond is { } r ? r / context.Parallelism : null);

    private sealed class Reader(Func<long, T> generator, double? ratePerReader) : ISourceReader<T, SequenceSplit>
    {
        private const int BatchSize = 512;
        private readonly List<SequenceSplit> _splits = new();
        private int _current;
        private long _next;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private double _tokens;
        private double _lastRefill;

        public void AddSplits(IReadOnlyList<SequenceSplit> splits)
        {
            _splits.AddRange(splits);
            if (_splits.Count > 0 && _current == 0 && _next == 0) _next = _splits[0].Next;
        }

        public InputStatus PollNext(ISourceOutput<T> output)
        {
            var budget = BatchSize;
            if (ratePerReader is { } rate)
            {
                // Token bucket holding at most 50 ms worth of records, so a slow start does not turn into a burst.
                var now = _clock.Elapsed.TotalSeconds;
                _tokens = Math.Min(_tokens + (now - _lastRefill) * rate, Math.Max(1, rate * 0.05));
                _lastRefill = now;
                if (_tokens < 1) return _current < _splits.Count ? InputStatus.NothingAvailable : InputStatus.EndOfInput;
                budget = (int)Math.Min(budget, _tokens);
            }
            while (budget > 0)
            {
                if (_current >= _splits.Count) return InputStatus.EndOfInput;
                var end = _splits[_current].End;
                if (_next > end)
                {
                    if (++_current < _splits.Count) _next = _splits[_current].Next;
                    continue;
                }
                var n = (int)Math.Min(budget, end - _next + 1);
                for (var i = 0; i < n; i++) output.Collect(generator(_next + i));
                _next += n;
                _tokens -= n;
                budget -= n;
            }
            return InputStatus.MoreAvailable;
        }

        public IReadOnlyList<SequenceSplit> SnapshotState(long checkpointId)
        {
            var state = new List<SequenceSplit>();
            for (var i = _current; i < _splits.Count; i++)
            {
                var next = i == _current ? _next : _splits[i].Next;
                if (next <= _splits[i].End) state.Add(new SequenceSplit(next, _splits[i].End));
            }
            return state;
        }

        public void Dispose() { }
    }
}

/// <summary>The given records, replayable by index.</summary>
public sealed class CollectionSource<T> : ISource<T, SequenceSplit>
{
    private readonly T[] _records;
    private readonly GeneratorSource<T> _inner;

    /// <summary>Creates the source over a snapshot of <paramref name="records"/>.</summary>
    public CollectionSource(IEnumerable<T> records)
    {
        _records = records.ToArray();
        var items = _records;
        _inner = new GeneratorSource<T>(0, _records.Length - 1, i => items[i]);
    }

    /// <inheritdoc />
    public bool IsBounded => true;
    /// <inheritdoc />
    public IReadOnlyList<SequenceSplit> EnumerateSplits(int parallelism) => _inner.EnumerateSplits(parallelism);
    /// <inheritdoc />
    public ISourceReader<T, SequenceSplit> CreateReader(SourceReaderContext context) => _inner.CreateReader(context);
}
