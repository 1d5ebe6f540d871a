using StreamShield.EventTime;
using StreamShield.Sources;

namespace StreamShield.Operators;

/// <summary>
/// Hosts a source reader: assigns it splits (restored or freshly enumerated), polls it from the subtask loop,
/// stamps timestamps and generates watermarks, and checkpoints the reader's splits with their positions as
/// operator list state (so they redistribute on rescale).
/// </summary>
internal sealed class SourceOperator<T, TSplit>(ISource<T, TSplit> source, WatermarkStrategy<T> strategy, TimeSpan watermarkInterval)
    : StreamOperator, ISourceOutput<T>, ISourceOperator
{
    private const string SplitsStateName = "source-splits";
    private ISourceReader<T, TSplit> _reader = null!;
    private State.IOperatorListState<TSplit> _splitsState = null!;
    private IOutput<T> _output = null!;
    private WatermarkGenerator<T>? _watermarks;
    private Func<T, long>? _timestamps;
    private long _lastEmittedWatermark = long.MinValue;
    private long _lastRecordTime;
    private bool _idle;
    private long _emitted;
    private bool _ended;

    internal void SetOutput(IOutput<T> output) => _output = output;

    internal override void SetOutputObject(object output) => _output = (IOutput<T>)output;

    internal override object GetInput(int index) => throw new InvalidOperationException("A source has no inputs.");

    public bool IsBounded => source.IsBounded;

    public long RecordsEmitted => _emitted;

    public override void InitializeState(bool isRestored)
    {
        _splitsState = Context.GetListState(SplitsStateName, source.SplitSerializer, union: false);
        _reader = source.CreateReader(new SourceReaderContext(Context.SubtaskIndex, Context.Parallelism, Context.Clock));
        if (isRestored)
        {
            _reader.AddSplits(_splitsState.Get().ToList());
        }
        else
        {
            var all = source.EnumerateSplits(Context.Parallelism);
            var mine = new List<TSplit>();
            for (var i = Context.SubtaskIndex; i < all.Count; i += Context.Parallelism) mine.Add(all[i]);
            _reader.AddSplits(mine);
        }
    }

    public override void Open()
    {
        _watermarks = strategy.GeneratorFactory?.Invoke();
        _timestamps = strategy.TimestampAssigner;
        _lastRecordTime = Context.CurrentProcessingTime;
        if (_watermarks is not null)
            Context.RegisterProcessingTimer(Context.CurrentProcessingTime + (long)watermarkInterval.TotalMilliseconds, OnWatermarkTimer);
    }

    /// <summary>Polls the reader once. Called by the subtask loop while output has room.</summary>
    public InputStatus EmitNext()
    {
        if (_ended) return InputStatus.EndOfInput;
        InputStatus status;
        try { status = _reader.PollNext(this); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); throw; }
        if (status == InputStatus.EndOfInput)
        {
            _ended = true;
            if (_idle) { _idle = false; _output.EmitWatermarkStatus(false); }
            // The final watermark makes every event-time window and timer downstream fire.
            _output.EmitWatermark(Watermark.Max);
        }
        return status;
    }

    public void Collect(T record)
    {
        if (_timestamps is null) { Emit(record, StreamRecord.NoTimestamp); return; }
        long ts;
        try { ts = _timestamps(record); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); throw; }
        Emit(record, ts);
    }

    public void Collect(T record, long timestamp) => Emit(record, timestamp);

    private void Emit(T record, long timestamp)
    {
        _emitted++;
        if (_idle) { _idle = false; _output.EmitWatermarkStatus(false); }
        if (_watermarks is not null && timestamp != StreamRecord.NoTimestamp) _watermarks.OnEvent(record, timestamp);
        _output.Collect(record, timestamp);
    }

    private long _emittedAtLastTimer = -1;

    private void OnWatermarkTimer(long now)
    {
        if (_ended || _watermarks is null) return;
        var wm = _watermarks.CurrentWatermark;
        if (wm > _lastEmittedWatermark)
        {
            _lastEmittedWatermark = wm;
            _output.EmitWatermark(wm);
        }
        if (_emitted != _emittedAtLastTimer) { _emittedAtLastTimer = _emitted; _lastRecordTime = now; }
        else if (!_idle && strategy.IdleTimeout is { } idle && now - _lastRecordTime >= (long)idle.TotalMilliseconds)
        {
            _idle = true;
            _output.EmitWatermarkStatus(true);
        }
        Context.RegisterProcessingTimer(now + (long)watermarkInterval.TotalMilliseconds, OnWatermarkTimer);
    }

    public override void SnapshotState(long checkpointId) => _splitsState.Update(_reader.SnapshotState(checkpointId));

    public override void NotifyCheckpointComplete(long checkpointId) => _reader.NotifyCheckpointComplete(checkpointId);

    public override void Close() => _reader?.Dispose();
}

/// <summary>The runtime's view of a source operator, independent of its record type.</summary>
internal interface ISourceOperator
{
    InputStatus EmitNext();
    bool IsBounded { get; }
    long RecordsEmitted { get; }
}
