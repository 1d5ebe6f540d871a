using StreamShield.Sources;

namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// Reads the Nexmark splits of one subtask: generates their events merged in event-number order, a bounded batch
/// per poll, and when rate-limited only those already due on <paramref name="clock"/>. Subtask thread only.
/// </summary>
internal sealed class NexmarkSourceReader(NexmarkGenerator generator, bool rateLimited, TimeProvider clock) : ISourceReader<Event, NexmarkSplit>
{
    private const int BatchSize = 512;

    private readonly List<Cursor> _cursors = [];

    /// <summary>A split being read: its position moves as events are emitted.</summary>
    private sealed class Cursor(NexmarkSplit split)
    {
        public long Next = split.NextEventNumber;
        public readonly long Stride = split.Stride;
        public readonly long End = split.EndEventNumber;
        public long? WallclockBase = split.WallclockBaseTime;

        public NexmarkSplit ToSplit() => new(Next, Stride, End, WallclockBase);
    }

    public void AddSplits(IReadOnlyList<NexmarkSplit> splits)
    {
        foreach (var split in splits)
        {
            if (split.Stride < 1) throw new ArgumentException($"A Nexmark split's stride must be positive: {split}.", nameof(splits));
            if (!split.IsFinished) _cursors.Add(new Cursor(split));
        }
    }

    public InputStatus PollNext(ISourceOutput<Event> output)
    {
        var now = rateLimited ? clock.GetUtcNow().ToUnixTimeMilliseconds() : 0;
        var emitted = 0;
        while (emitted < BatchSize)
        {
            var cursor = Earliest();
            if (cursor is null) return emitted > 0 ? InputStatus.MoreAvailable : InputStatus.EndOfInput;
            if (rateLimited)
            {
                var start = cursor.WallclockBase ??= now;
                if (start + generator.DueOffsetMs(cursor.Next) > now) break;
            }
            output.Collect(generator.Generate(cursor.Next));
            cursor.Next += cursor.Stride;
            if (cursor.Next >= cursor.End) _cursors.Remove(cursor);
            emitted++;
        }
        return emitted > 0 ? InputStatus.MoreAvailable : InputStatus.NothingAvailable;
    }

    /// <summary>The cursor with the smallest next event number, or null when all are finished.</summary>
    private Cursor? Earliest()
    {
        if (_cursors.Count <= 1) return _cursors.Count == 0 ? null : _cursors[0];
        var earliest = _cursors[0];
        for (var i = 1; i < _cursors.Count; i++)
            if (_cursors[i].Next < earliest.Next) earliest = _cursors[i];
        return earliest;
    }

    public IReadOnlyList<NexmarkSplit> SnapshotState(long checkpointId)
    {
        var splits = new NexmarkSplit[_cursors.Count];
        for (var i = 0; i < splits.Length; i++) splits[i] = _cursors[i].ToSplit();
        return splits;
    }

    public void Dispose() { }
}
