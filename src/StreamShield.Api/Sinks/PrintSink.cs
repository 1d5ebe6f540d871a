namespace StreamShield.Sinks;

/// <summary>Writes each record's text to standard output (or another writer) as it arrives; not transactional.</summary>
public sealed class PrintSink<T>(TextWriter? writer = null, string? prefix = null) : ISink<T, int>
{
    /// <inheritdoc />
    public ISinkWriter<T, int> CreateWriter(SinkWriterContext context) => new Writer(writer ?? Console.Out, prefix, context);

    /// <inheritdoc />
    public void Commit(int transaction) { }

    private sealed class Writer(TextWriter writer, string? prefix, SinkWriterContext context) : ISinkWriter<T, int>
    {
        private readonly string _prefix = prefix is null ? (context.Parallelism > 1 ? $"{context.SubtaskIndex + 1}> " : "") : prefix + "> ";

        public void Write(T record, long? timestamp)
        {
            lock (writer) writer.WriteLine(_prefix + record);
        }

        public IReadOnlyList<int> PreCommit(long checkpointId)
        {
            lock (writer) writer.Flush();
            return Array.Empty<int>();
        }

        public void Abort() { }
        public void Dispose() { lock (writer) writer.Flush(); }
    }
}
