using StreamShield.Functions;
using StreamShield.State;
using StreamShield.State.Internal;
using StreamShield.Windowing;

namespace StreamShield.Operators.Windowing;

/// <summary>
/// Flink's WindowOperator with the default triggers: assigns each record to windows, keeps each window's contents in keyed
/// state (namespace = the window), and evaluates a window when it fires. Event-time windows fire when the watermark reaches
/// <see cref="TimeWindow.MaxTimestamp"/>; processing-time windows when the clock does. Results carry the window's max
/// timestamp.
/// </summary>
/// <remarks>
/// <para><b>Lateness (event time).</b> A window's state lives until its cleanup time, MaxTimestamp + allowed lateness, when a
/// timer purges it. An element for a window whose max timestamp is behind the watermark but whose cleanup time is not
/// re-fires the window at once with the updated contents. An element whose windows are all past cleanup is late: it goes to
/// the late-data side output if one is set, else it is dropped and counted in <see cref="NumLateRecordsDropped"/>.</para>
/// <para><b>Merging (sessions).</b> The active windows of each key are kept by a <see cref="MergingWindowSet"/>. When a new
/// window bridges active ones, their contents are merged into the cover's namespace (reduce, aggregate Merge, or list
/// concatenation), their timers are deleted and the cover's registered.</para>
/// <para><b>Timers.</b> Trigger and cleanup timers share one timer service with the window as namespace; equal timers
/// deduplicate, so with zero lateness a window's firing and its cleanup are one timer.</para>
/// </remarks>
internal sealed class WindowOperator<TKey, TIn, TView, TOut> : OneInputStreamOperator<TIn, TOut>, ITimerTarget<TKey, TimeWindow>
{
    private readonly WindowAssigner<TIn> _assigner;
    private readonly Func<TIn, TKey> _keySelector;
    private readonly WindowContents<TIn, TView> _contents;
    private readonly InternalWindowFunction<TView, TOut, TKey> _function;
    private readonly long _allowedLateness;
    private readonly OutputTag<TIn>? _lateDataTag;
    private readonly bool _isEventTime;
    private readonly List<TimeWindow> _assigned = new(4);
    private readonly Action<TimeWindow, IReadOnlyList<TimeWindow>> _mergeCallback;

    private IKeyedStateBackend<TKey> _backend = null!;
    private IInternalTimerService<TimeWindow> _timers = null!;
    private MergingWindowSet? _mergingWindows;
    private TimestampedCollector<TOut> _collector = null!;
    private WindowContext _windowContext = null!;

    public WindowOperator(
        WindowAssigner<TIn> assigner, Func<TIn, TKey> keySelector, WindowContents<TIn, TView> contents,
        InternalWindowFunction<TView, TOut, TKey> function, long allowedLateness, OutputTag<TIn>? lateDataTag)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(allowedLateness);
        _assigner = assigner;
        _keySelector = keySelector;
        _contents = contents;
        _function = function;
        _isEventTime = assigner.IsEventTime;
        _allowedLateness = _isEventTime ? allowedLateness : 0;
        _lateDataTag = lateDataTag;
        _mergeCallback = MergeWindows;
    }

    /// <summary>Late elements dropped because no late-data side output was set (Flink's numLateRecordsDropped).</summary>
    internal long NumLateRecordsDropped { get; private set; }

    /// <summary>The active session windows of the current key, or null for non-merging assigners (for tests).</summary>
    internal IReadOnlyList<TimeWindow>? ActiveWindowsOfCurrentKey
    {
        get
        {
            if (_mergingWindows is null) return null;
            _mergingWindows.Load();
            return _mergingWindows.Windows;
        }
    }

    public override void InitializeState(bool isRestored)
    {
        _backend = Context.Keyed<TKey>();
        var context = Context;
        var factory = new KeyedStateFactory<TKey, TimeWindow>(_backend, TimeWindowSerializer.Instance, () => context.CurrentProcessingTime);
        _contents.Initialize(factory);
        if (_assigner.IsMerging)
            _mergingWindows = new MergingWindowSet(factory.Value(new ValueStateDescriptor<List<TimeWindow>?>(MergingWindowSet.StateName)));
        _timers = _backend.GetTimerService("window-timers", TimeWindowSerializer.Instance, this);
        if (_function.UserFunction is { } user)
            FunctionLifecycle.Initialize(user, this, new KeyedRuntimeContext<TKey>(Context), isRestored);
    }

    public override void Open()
    {
        _collector = new TimestampedCollector<TOut>(Output);
        _windowContext = new WindowContext(this);
        if (_function.UserFunction is { } user) FunctionLifecycle.Open(user, this);
    }

    public override void Close()
    {
        if (_function.UserFunction is { } user) FunctionLifecycle.Close(user, this);
    }

    public override void SnapshotState(long checkpointId)
    {
        if (_function.UserFunction is { } user) FunctionLifecycle.Snapshot(user, this, checkpointId);
    }

    public override void ProcessElement(TIn value, long timestamp)
    {
        TKey key;
        _assigned.Clear();
        try
        {
            key = _keySelector(value);
            _assigner.AssignInto(value, timestamp, _timers.CurrentProcessingTime, _assigned);
        }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); throw; }
        _backend.SetCurrentKey(key);

        var skipped = _mergingWindows is null ? AddToWindows(key, value) : AddToMergingWindows(key, value, _mergingWindows);

        if (skipped && IsElementLate(timestamp))
        {
            if (_lateDataTag is not null) Output.CollectSide(_lateDataTag, value, timestamp);
            else NumLateRecordsDropped++;
        }
    }

    /// <summary>Adds the element to its (non-merging) windows; returns true if every window was late.</summary>
    private bool AddToWindows(TKey key, TIn value)
    {
        var skipped = true;
        foreach (var window in _assigned)
        {
            if (IsWindowLate(window)) continue;
            skipped = false;
            _contents.Window = window;
            Add(value);
            if (OnElementTrigger(window)) Emit(key, window);
            RegisterCleanupTimer(window);
        }
        return skipped;
    }

    /// <summary>Adds the element to its windows, merging them with the key's active windows; returns true if all were late.</summary>
    private bool AddToMergingWindows(TKey key, TIn value, MergingWindowSet merging)
    {
        var skipped = true;
        merging.Load();
        foreach (var window in _assigned)
        {
            var actual = merging.AddWindow(window, _mergeCallback);
            if (IsWindowLate(actual))
            {
                merging.Retire(actual);
                continue;
            }
            skipped = false;
            _contents.Window = actual;
            Add(value);
            if (OnElementTrigger(actual)) Emit(key, actual);
            RegisterCleanupTimer(actual);
        }
        merging.Persist();
        return skipped;
    }

    private void Add(TIn value)
    {
        try { _contents.Add(value); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); }
    }

    /// <summary>Windows <paramref name="sources"/> (active before) merge into <paramref name="target"/>: move contents and timers.</summary>
    private void MergeWindows(TimeWindow target, IReadOnlyList<TimeWindow> sources)
    {
        // Flink refuses event-time merges whose result is already late (a buggy assigner); its processing-time variant of the
        // check is left out, as it can trip on a clock that moved between assignment and merge.
        if (_isEventTime && CleanupTime(target) <= _timers.CurrentWatermark)
            throw new InvalidOperationException(
                $"Window operator '{Context.OperatorName}': merging windows produced {target}, which is already past its cleanup time. " +
                "A merging assigner must not let a merged window end before the windows it covers.");

        // The default triggers' onMerge: the cover fires at its max timestamp unless that has passed.
        if (_isEventTime)
        {
            if (target.MaxTimestamp > _timers.CurrentWatermark) _timers.RegisterEventTimeTimer(target, target.MaxTimestamp);
        }
        else if (target.MaxTimestamp > _timers.CurrentProcessingTime)
        {
            _timers.RegisterProcessingTimeTimer(target, target.MaxTimestamp);
        }

        foreach (var source in sources)
        {
            if (source == target) continue;
            DeleteTimer(source, source.MaxTimestamp);
            var cleanup = CleanupTime(source);
            if (cleanup != source.MaxTimestamp && cleanup != long.MaxValue) DeleteTimer(source, cleanup);
        }

        try { _contents.Merge(target, sources); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); }
    }

    /// <summary>The default trigger's onElement: true to fire now (a late-but-allowed element in event time).</summary>
    private bool OnElementTrigger(TimeWindow window)
    {
        if (_isEventTime)
        {
            if (window.MaxTimestamp <= _timers.CurrentWatermark) return true;
            _timers.RegisterEventTimeTimer(window, window.MaxTimestamp);
        }
        else
        {
            _timers.RegisterProcessingTimeTimer(window, window.MaxTimestamp);
        }
        return false;
    }

    void ITimerTarget<TKey, TimeWindow>.OnEventTime(TKey key, TimeWindow window, long timestamp)
    {
        if (_mergingWindows is { } merging)
        {
            merging.Load();
            if (!merging.Contains(window)) return; // merged away or already purged
        }
        _contents.Window = window;
        if (_isEventTime && timestamp == window.MaxTimestamp) Emit(key, window);
        if (_isEventTime && timestamp == CleanupTime(window)) ClearAllState(window);
    }

    void ITimerTarget<TKey, TimeWindow>.OnProcessingTime(TKey key, TimeWindow window, long timestamp)
    {
        if (_mergingWindows is { } merging)
        {
            merging.Load();
            if (!merging.Contains(window)) return;
        }
        _contents.Window = window;
        if (!_isEventTime) Emit(key, window);
        if (!_isEventTime && timestamp == CleanupTime(window)) ClearAllState(window);
    }

    /// <summary>Evaluates the window (its contents are selected) if it has contents.</summary>
    private void Emit(TKey key, TimeWindow window)
    {
        try
        {
            if (!_contents.TryGet(out var contents)) return;
            _collector.Timestamp = window.MaxTimestamp;
            _function.Process(key, window, _windowContext, contents, _collector);
        }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); }
    }

    private void ClearAllState(TimeWindow window)
    {
        _contents.Clear();
        if (_mergingWindows is { } merging)
        {
            merging.Retire(window);
            merging.Persist();
        }
    }

    /// <summary>When the window's state is purged: MaxTimestamp + allowed lateness in event time (long.MaxValue on overflow), MaxTimestamp in processing time.</summary>
    private long CleanupTime(TimeWindow window)
    {
        if (!_isEventTime) return window.MaxTimestamp;
        var cleanup = window.MaxTimestamp + _allowedLateness;
        return cleanup >= window.MaxTimestamp ? cleanup : long.MaxValue;
    }

    private void RegisterCleanupTimer(TimeWindow window)
    {
        var cleanup = CleanupTime(window);
        if (cleanup == long.MaxValue) return; // the final watermark fires the window; nothing to purge after it
        if (_isEventTime) _timers.RegisterEventTimeTimer(window, cleanup);
        else _timers.RegisterProcessingTimeTimer(window, cleanup);
    }

    private void DeleteTimer(TimeWindow window, long timestamp)
    {
        if (_isEventTime) _timers.DeleteEventTimeTimer(window, timestamp);
        else _timers.DeleteProcessingTimeTimer(window, timestamp);
    }

    private bool IsWindowLate(TimeWindow window) => _isEventTime && CleanupTime(window) <= _timers.CurrentWatermark;

    private bool IsElementLate(long timestamp) =>
        _isEventTime && timestamp != StreamRecord.NoTimestamp && timestamp + _allowedLateness <= _timers.CurrentWatermark;

    public override void ProcessWatermark(long watermark)
    {
        _backend.AdvanceWatermark(watermark);
        Output.EmitWatermark(watermark);
    }

    private sealed class WindowContext(WindowOperator<TKey, TIn, TView, TOut> op) : InternalWindowContext
    {
        public override long CurrentWatermark => op._timers.CurrentWatermark;
        public override long CurrentProcessingTime => op._timers.CurrentProcessingTime;
        public override void Output<T>(OutputTag<T> tag, T value) => op.Output.CollectSide(tag, value, op._collector.Timestamp);
    }
}
