using StreamShield.Sinks;

namespace StreamShield.Cli.Bench;

/// <summary>A sink that only counts, so a benchmark measures the engine rather than I/O.</summary>
internal sealed class DiscardingSink<T> : ISink<T, int>
{
    public ISinkWriter<T, int> CreateWriter(SinkWriterContext context) => new Writer();
    public void Commit(int transaction) { }

    private sealed class Writer : ISinkWriter<T, int>
    {
        private long _count;
        public void Write(T record, long? timestamp) => _count++;
        public IReadOnlyList<int> PreCommit(long checkpointId) => Array.Empty<int>();
        public void Abort() { }
        public void Dispose() { }
    }
}
