using System.Globalization;
using StreamShield.Sinks;

namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// A sink that discards rows but records their end-to-end latency (sink wall-clock time − the row's timestamp, which
/// for a paced run is its event's due time) and writes, per wall-clock interval of <paramref name="bucketMs"/> (default
/// one second), one CSV line <c>startMs,count,p50Ms,p99Ms,maxMs</c> to a file of its own in <see cref="Directory"/>
/// (one per subtask and attempt and process: <c>latency-s{subtask}-a{attempt}-p{pid}-{random}.csv</c>). An interval's
/// line is written once a row of a later interval arrives, at a checkpoint barrier after the interval ended, or when
/// the writer closes; so a killed process loses at most its current interval. Percentiles are bucket upper bounds: 0.1 ms buckets below 2 s,
/// 10 ms buckets up to 10 minutes.
/// </summary>
public sealed class LatencyFileSink<T>(string directory, int bucketMs = 1000) : ISink<T, int>
{
    /// <summary>The directory the files are written to.</summary>
    public string Directory { get; } = directory;

    /// <summary>The width of an interval in milliseconds.</summary>
    public int BucketMs { get; } = bucketMs > 0 ? bucketMs : throw new ArgumentOutOfRangeException(nameof(bucketMs), bucketMs, "must be positive");

    /// <inheritdoc />
    public ISinkWriter<T, int> CreateWriter(SinkWriterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture,
            $"latency-s{context.SubtaskIndex}-a{context.AttemptNumber}-p{Environment.ProcessId}-{Guid.NewGuid():N}.csv"));
        return new Writer(path, BucketMs * TimeSpan.TicksPerMillisecond);
    }

    /// <inheritdoc />
    public void Commit(int transaction) { }

    private sealed class Writer : ISinkWriter<T, int>
    {
        private const int FineBuckets = 20_000; // 0.1 ms up to 2 s
        private const int CoarseBuckets = 60_000; // 10 ms up to 600 s
        private readonly long[] _buckets = new long[FineBuckets + CoarseBuckets + 1];
        private readonly StreamWriter _out;
        private readonly long _bucketTicks;
        private long _second = -1;
        private long _count;

        public Writer(string path, long bucketTicks)
        {
            _bucketTicks = bucketTicks;
            _out = new StreamWriter(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { AutoFlush = true };
            _out.WriteLine("startMs,count,p50Ms,p99Ms,maxMs");
        }

        private static long NowTicks() => DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks;

        public void Write(T record, long? timestamp)
        {
            if (timestamp is not { } ts) return;
            var now = NowTicks();
            var second = now / _bucketTicks;
            if (second != _second) Flush(second);
            var latencyMs = (now - ts * TimeSpan.TicksPerMillisecond) / (double)TimeSpan.TicksPerMillisecond;
            var bucket = latencyMs < 0 ? 0
                : latencyMs < FineBuckets / 10.0 ? (int)(latencyMs * 10)
                : (int)Math.Min(FineBuckets + (latencyMs - FineBuckets / 10.0) / 10, _buckets.Length - 1);
            _buckets[bucket]++;
            _count++;
        }

        private static double UpperBoundMs(int bucket) => bucket < FineBuckets ? (bucket + 1) / 10.0 : FineBuckets / 10.0 + (bucket - FineBuckets + 1) * 10.0;

        /// <summary>Writes the current interval's line (if it has rows) and starts <paramref name="next"/>.</summary>
        private void Flush(long next)
        {
            if (_count > 0)
            {
                double At(double p)
                {
                    var rank = Math.Max(1, (long)Math.Ceiling(p * _count));
                    long seen = 0;
                    for (var i = 0; i < _buckets.Length; i++)
                        if ((seen += _buckets[i]) >= rank) return UpperBoundMs(i);
                    return UpperBoundMs(_buckets.Length - 1);
                }
                _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_second * _bucketTicks / TimeSpan.TicksPerMillisecond},{_count},{At(0.50):0.0},{At(0.99):0.0},{At(1.0):0.0}"));
                Array.Clear(_buckets);
                _count = 0;
            }
            _second = next;
        }

        public IReadOnlyList<int> PreCommit(long checkpointId)
        {
            var second = NowTicks() / _bucketTicks;
            if (second != _second) Flush(second);
            return Array.Empty<int>();
        }

        public void Abort() { }

        public void Dispose()
        {
            Flush(-1);
            _out.Dispose();
        }
    }
}
