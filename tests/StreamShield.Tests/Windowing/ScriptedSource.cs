using StreamShield.EventTime;
using StreamShield.Sources;

namespace StreamShield.Tests.Windowing;

/// <summary>One step of a <see cref="ScriptedSource{T}"/>.</summary>
internal abstract record ScriptStep<T>
{
    /// <summary>Emits a record with an event timestamp.</summary>
    public sealed record Record(T Value, long Timestamp) : ScriptStep<T>;

    /// <summary>Makes the source emit this watermark before the next record.</summary>
    public sealed record Watermark(long Value) : ScriptStep<T>;

    /// <summary>Moves the job's <see cref="ManualClock"/> forward.</summary>
    public sealed record AdvanceClock(long Millis) : ScriptStep<T>;

    /// <summary>Emits nothing until the condition holds (or 30 s of real time passed).</summary>
    public sealed record WaitUntil(Func<bool> Condition) : ScriptStep<T>;

    /// <summary>Emits nothing for a while of real time (lets downstream tasks catch up).</summary>
    public sealed record Pause(TimeSpan Duration) : ScriptStep<T>;
}

/// <summary>
/// A bounded, single-split source that plays a script of records and watermarks in order, so event-time tests are
/// deterministic: a watermark step publishes the watermark to the source's generator and advances the job's
/// <see cref="ManualClock"/> by the watermark interval, so the source's periodic watermark timer (checked by the task loop
/// before it polls the reader again) emits it right after the records before it. Run it with parallelism 1 and
/// <c>env.Clock</c> set to the same clock.
/// </summary>
internal sealed class ScriptedSource<T>(IReadOnlyList<ScriptStep<T>> steps, ManualClock clock, TimeSpan watermarkInterval) : ISource<T, int>
{
    private long _watermark = long.MinValue;

    private IReadOnlyList<ScriptStep<T>> Steps { get; } = steps;
    private ManualClock Clock { get; } = clock;
    private long IntervalMillis { get; } = (long)watermarkInterval.TotalMilliseconds;

    /// <summary>The watermark strategy to pass to FromSource with this source.</summary>
    public WatermarkStrategy<T> Watermarks => WatermarkStrategy<T>.ForGenerator(() => new Generator(this));

    public bool IsBounded => true;

    public IReadOnlyList<int> EnumerateSplits(int parallelism) => [0];

    public ISourceReader<T, int> CreateReader(SourceReaderContext context) => new Reader(this);

    private sealed class Generator(ScriptedSource<T> source) : WatermarkGenerator<T>
    {
        public override void OnEvent(T record, long timestamp) { }

        public override long CurrentWatermark => Interlocked.Read(ref source._watermark);
    }

    private sealed class Reader(ScriptedSource<T> source) : ISourceReader<T, int>
    {
        private readonly List<int> _splits = new();
        private long _waitingSince = -1;

        public void AddSplits(IReadOnlyList<int> splits) => _splits.AddRange(splits);

        public InputStatus PollNext(ISourceOutput<T> output)
        {
            if (_splits.Count == 0 || _splits[0] >= source.Steps.Count) return InputStatus.EndOfInput;
            var step = source.Steps[_splits[0]];
            switch (step)
            {
                case ScriptStep<T>.Record r:
                    output.Collect(r.Value, r.Timestamp);
                    break;
                case ScriptStep<T>.Watermark w:
                    Interlocked.Exchange(ref source._watermark, w.Value);
                    source.Clock.Advance(source.IntervalMillis);
                    break;
                case ScriptStep<T>.AdvanceClock a:
                    source.Clock.Advance(a.Millis);
                    break;
                case ScriptStep<T>.WaitUntil u:
                    if (_waitingSince < 0) _waitingSince = Environment.TickCount64;
                    if (!u.Condition() && Environment.TickCount64 - _waitingSince < 30_000) return InputStatus.NothingAvailable;
                    _waitingSince = -1;
                    break;
                case ScriptStep<T>.Pause p:
                    if (_waitingSince < 0) _waitingSince = Environment.TickCount64;
                    if (Environment.TickCount64 - _waitingSince < (long)p.Duration.TotalMilliseconds) return InputStatus.NothingAvailable;
                    _waitingSince = -1;
                    break;
            }
            _splits[0]++;
            return InputStatus.MoreAvailable;
        }

        public IReadOnlyList<int> SnapshotState(long checkpointId) => _splits.ToList();

        public void Dispose() { }
    }
}
