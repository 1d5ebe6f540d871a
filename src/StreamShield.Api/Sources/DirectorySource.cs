using System.Text;

namespace StreamShield.Sources;

/// <summary>A file still to read, from byte <see cref="Offset"/> on.</summary>
public readonly record struct FileSplit(string Path, long Offset);

/// <summary>
/// Reads the lines (UTF-8, '\n' or "\r\n" terminated) of every file in a directory that exists when the job starts.
/// One split per file; the position is the byte offset of the next line.
/// </summary>
public sealed class DirectorySource(string directory, string searchPattern = "*") : ISource<string, FileSplit>
{
    /// <inheritdoc />
    public bool IsBounded => true;

    /// <inheritdoc />
    public IReadOnlyList<FileSplit> EnumerateSplits(int parallelism)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Directory source: '{directory}' does not exist. Create it or point ReadTextFiles at an existing directory.");
        return Directory.GetFiles(directory, searchPattern).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)
            .Select(f => new FileSplit(f, 0)).ToList();
    }

    /// <inheritdoc />
    public ISourceReader<string, FileSplit> CreateReader(SourceReaderContext context) => new Reader();

    private sealed class Reader : ISourceReader<string, FileSplit>
    {
        private const int LinesPerPoll = 256;
        private const int MaxLineBytes = 1 << 30;
        private readonly Queue<FileSplit> _pending = new();
        private FileStream? _stream;
        private string _path = "";
        private long _offset;
        private byte[] _buffer = new byte[64 * 1024]; // grows to hold the longest line
        private int _start;
        private int _end;
        private bool _eof;

        public void AddSplits(IReadOnlyList<FileSplit> splits)
        {
            foreach (var s in splits) _pending.Enqueue(s);
        }

        public InputStatus PollNext(ISourceOutput<string> output)
        {
            for (var emitted = 0; emitted < LinesPerPoll;)
            {
                if (_stream is null && !OpenNext()) return InputStatus.EndOfInput;
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline < 0)
                {
                    if (!_eof && Fill()) continue;
                    if (_end > _start) { Emit(output, _end, _end - _start); emitted++; }
                    CloseCurrent();
                    continue;
                }
                Emit(output, newline + 1, newline - _start);
                emitted++;
            }
            return InputStatus.MoreAvailable;
        }

        private void Emit(ISourceOutput<string> output, int next, int length)
        {
            if (length > 0 && _buffer[_start + length - 1] == '\r') length--;
            var line = Encoding.UTF8.GetString(_buffer, _start, length);
            _offset += next - _start;
            _start = next;
            output.Collect(line);
        }

        private bool Fill()
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length) Grow();
            var read = _stream!.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0) { _eof = true; return false; }
            _end += read;
            return true;
        }

        private void Grow()
        {
            if (_buffer.Length >= MaxLineBytes) throw new InvalidDataException($"A line in '{_path}' is longer than {MaxLineBytes} bytes.");
            Array.Resize(ref _buffer, (int)Math.Min(2L * _buffer.Length, MaxLineBytes));
        }

        private bool OpenNext()
        {
            if (!_pending.TryDequeue(out var split)) return false;
            _path = split.Path;
            _offset = split.Offset;
            _stream = new FileStream(split.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            _stream.Seek(split.Offset, SeekOrigin.Begin);
            _start = _end = 0;
            _eof = false;
            return true;
        }

        private void CloseCurrent()
        {
            _stream?.Dispose();
            _stream = null;
        }

        public IReadOnlyList<FileSplit> SnapshotState(long checkpointId)
        {
            var state = new List<FileSplit>();
            if (_stream is not null) state.Add(new FileSplit(_path, _offset));
            state.AddRange(_pending);
            return state;
        }

        public void Dispose() => CloseCurrent();
    }
}
