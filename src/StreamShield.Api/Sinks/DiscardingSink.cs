namespace StreamShield.Sinks;

/// <summary>
/// Drops every record (Flink's DiscardingSink / the Nexmark suite's blackhole sink): for benchmarks, which should
/// measure the engine rather than I/O, and for jobs run only for their side effects.
/// </summary>
public sealed class DiscardingSink<T> : ISink<T, int>
{
    /// <inheritdoc />
    public ISinkWriter<T, int> CreateWriter(SinkWriterContext context) => new Writer();

    /// <inheritdoc />
    public void Commit(int transaction) { }

    private sealed class Writer : ISinkWriter<T, int>
    {
        public void Write(T record, long? timestamp) { }
        public IReadOnlyList<int> PreCommit(long checkpointId) => Array.Empty<int>();
        public void Abort() { }
        public void Dispose() { }
    }
}
