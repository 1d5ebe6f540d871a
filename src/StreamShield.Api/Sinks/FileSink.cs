using System.Text;

namespace StreamShield.Sinks;

/// <summary>A pre-committed part file: written and flushed under a hidden name, renamed to <see cref="FinalName"/> on commit.</summary>
public readonly record struct FilePart(string Directory, string InProgressName, string FinalName);

/// <summary>
/// The transactional file sink: each subtask writes records as lines into a hidden in-progress file; at the
/// checkpoint barrier the file is flushed to disk (pre-commit), and when the checkpoint completes it is renamed to
/// its final name, so files appear only when the checkpoint covering them completes. Exactly-once end to end with
/// a replayable source. Final files are named <c>part-{subtask}-{checkpoint}-{attemptId}-{n}</c> (plus the suffix),
/// where the attempt id is unique per attempt and run, so no two attempts or runs ever write the same name.
/// </summary>
public sealed class FileSink<T>(string directory, Func<T, string>? format = null, string suffix = ".txt") : ISink<T, FilePart>
{
    /// <summary>The directory the committed files appear in.</summary>
    public string Directory { get; } = directory;

    /// <inheritdoc />
    public ISinkWriter<T, FilePart> CreateWriter(SinkWriterContext context)
    {
        System.IO.Directory.CreateDirectory(Directory);
        return new Writer(this, context);
    }

    /// <inheritdoc />
    public void Commit(FilePart part)
    {
        var from = Path.Combine(part.Directory, part.InProgressName);
        var to = Path.Combine(part.Directory, part.FinalName);
        if (File.Exists(to)) return; // already committed: commits are idempotent
        try
        {
            File.Move(from, to);
        }
        catch (FileNotFoundException) when (File.Exists(to)) { }
        catch (FileNotFoundException e)
        {
            throw new IOException($"File sink: cannot commit '{part.FinalName}': its pre-committed file '{from}' is missing, so the checkpoint's output was lost from '{part.Directory}'.", e);
        }
    }

    /// <inheritdoc />
    public void RecoverAndCleanup(IReadOnlyList<FilePart> pendingTransactions, SinkWriterContext context)
    {
        if (!System.IO.Directory.Exists(Directory)) return;
        var keep = pendingTransactions.Select(p => p.InProgressName).ToHashSet(StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.GetFiles(Directory, ".part-*.inprogress"))
        {
            var name = Path.GetFileName(file);
            // In-progress files (".part-{subtask}-{attempt}-{n}.inprogress") of this subtask's earlier attempts or
            // runs that no restored checkpoint references were never committed: abort them. Other subtasks' files
            // belong to them (under region failover they may be writing right now); subtask 0 also aborts those
            // of subtask indexes a rescale removed.
            var dash = name.IndexOf('-', 6);
            if (dash < 0 || !int.TryParse(name.AsSpan(6, dash - 6), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var subtask)) continue;
            var mine = subtask == context.SubtaskIndex || (context.SubtaskIndex == 0 && subtask >= context.Parallelism);
            if (mine && !keep.Contains(name) && !name.Contains($"-{context.AttemptId}-", StringComparison.Ordinal)) File.Delete(file);
        }
    }

    private sealed class Writer(FileSink<T> sink, SinkWriterContext context) : ISinkWriter<T, FilePart>
    {
        private FileStream? _file;
        private StreamWriter? _writer;
        private string _inProgressName = "";
        private long _partCounter;
        private long _lines;

        public void Write(T record, long? timestamp)
        {
            if (_writer is null) Open();
            _writer!.Write(sink.Format(record));
            _writer.Write('\n');
            _lines++;
        }

        private void Open()
        {
            _inProgressName = $".part-{context.SubtaskIndex}-{context.AttemptId}-{_partCounter++}.inprogress";
            _file = new FileStream(Path.Combine(sink.Directory, _inProgressName), FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024);
            _writer = new StreamWriter(_file, new UTF8Encoding(false), 64 * 1024);
            _lines = 0;
        }

        public IReadOnlyList<FilePart> PreCommit(long checkpointId)
        {
            if (_writer is null) return Array.Empty<FilePart>();
            _writer.Flush();
            _file!.Flush(flushToDisk: true);
            _writer.Dispose();
            var part = new FilePart(sink.Directory, _inProgressName,
                $"part-{context.SubtaskIndex}-{checkpointId}-{context.AttemptId}-{_partCounter - 1}{sink.Suffix}");
            _writer = null;
            _file = null;
            return [part];
        }

        public void Abort()
        {
            if (_writer is null) return;
            _writer.Dispose();
            File.Delete(Path.Combine(sink.Directory, _inProgressName));
            _writer = null;
            _file = null;
        }

        public void Dispose() => Abort();
    }

    private string Format(T record) => format is null ? record?.ToString() ?? "" : format(record);

    private string Suffix => suffix;

    /// <summary>Reads all committed lines in the directory (for checking output).</summary>
    public static IReadOnlyList<string> ReadCommittedLines(string directory) =>
        System.IO.Directory.Exists(directory)
            ? System.IO.Directory.GetFiles(directory, "part-*").Order(StringComparer.Ordinal).SelectMany(File.ReadAllLines).ToList()
            : Array.Empty<string>();
}
