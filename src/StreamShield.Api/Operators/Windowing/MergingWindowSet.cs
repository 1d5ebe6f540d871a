using StreamShield.State.Internal;
using StreamShield.Windowing;

namespace StreamShield.Operators.Windowing;

/// <summary>
/// The active (not yet purged) windows of the current key for a merging assigner (session windows), kept in keyed state
/// as a list under a fixed namespace that no real window uses. Active windows never intersect each other: adding a window
/// merges it with every active window it intersects into their cover. Flink's MergingWindowSet, without its indirection
/// from windows to state windows: merged contents move into the cover's namespace.
/// </summary>
/// <remarks>
/// Usage per record or timer: <see cref="Load"/> after the current key is set, then queries and changes, then
/// <see cref="Persist"/>. The list read from state is never mutated (a snapshot may share it); changes build a new list.
/// </remarks>
internal sealed class MergingWindowSet
{
    /// <summary>The state's name in checkpoints.</summary>
    public const string StateName = "merging-window-set";

    /// <summary>The namespace the set is stored under: no assigner produces an empty window at long.MinValue.</summary>
    private static readonly TimeWindow SetNamespace = new(long.MinValue, long.MinValue);

    private static readonly Comparison<TimeWindow> ByStart = (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End);

    private readonly ValueStateHandle<TimeWindow, List<TimeWindow>?> _state;
    private readonly List<TimeWindow> _merged = new();
    private IReadOnlyList<TimeWindow> _windows = Array.Empty<TimeWindow>();
    private bool _changed;

    public MergingWindowSet(ValueStateHandle<TimeWindow, List<TimeWindow>?> state)
    {
        _state = state;
        _state.Namespace = SetNamespace;
    }

    /// <summary>The active windows of the current key (for tests and diagnostics).</summary>
    public IReadOnlyList<TimeWindow> Windows => _windows;

    /// <summary>Reads the current key's active windows.</summary>
    public void Load()
    {
        _windows = (IReadOnlyList<TimeWindow>?)_state.Value ?? Array.Empty<TimeWindow>();
        _changed = false;
    }

    public bool Contains(TimeWindow window)
    {
        foreach (var w in _windows)
            if (w == window) return true;
        return false;
    }

    /// <summary>
    /// Adds <paramref name="newWindow"/> and merges intersecting windows. For each cover that replaces windows which were
    /// active before (not just the new window inside one active window), calls <paramref name="merge"/> with the cover and
    /// those previously active windows, so the caller moves their contents and timers. Returns the window the new one
    /// ended up in: itself, or the cover it merged into.
    /// </summary>
    public TimeWindow AddWindow(TimeWindow newWindow, Action<TimeWindow, IReadOnlyList<TimeWindow>> merge)
    {
        // Fast path: inside an active window (which, as active windows never intersect, is the only one it touches).
        foreach (var w in _windows)
            if (w.Start <= newWindow.Start && newWindow.End <= w.End) return w;

        var sorted = new List<TimeWindow>(_windows.Count + 1);
        sorted.AddRange(_windows);
        sorted.Add(newWindow);
        sorted.Sort(ByStart);

        var next = new List<TimeWindow>(sorted.Count);
        var result = newWindow;
        var i = 0;
        while (i < sorted.Count)
        {
            var cover = sorted[i];
            var j = i + 1;
            while (j < sorted.Count && cover.Intersects(sorted[j])) cover = cover.Cover(sorted[j++]);
            if (j - i > 1)
            {
                _merged.Clear();
                var containsNew = false;
                for (var k = i; k < j; k++)
                {
                    if (!containsNew && sorted[k] == newWindow) containsNew = true;
                    else _merged.Add(sorted[k]);
                }
                if (containsNew) result = cover;
                if (!(_merged.Count == 1 && _merged[0] == cover)) merge(cover, _merged);
            }
            next.Add(cover);
            i = j;
        }
        _windows = next;
        _changed = true;
        return result;
    }

    /// <summary>Removes a window that was purged (cleanup) or is late.</summary>
    public void Retire(TimeWindow window)
    {
        if (!Contains(window)) return;
        var next = new List<TimeWindow>(_windows.Count);
        foreach (var w in _windows)
            if (w != window) next.Add(w);
        _windows = next;
        _changed = true;
    }

    /// <summary>Writes the current key's active windows back to state if they changed.</summary>
    public void Persist()
    {
        if (!_changed) return;
        _changed = false;
        if (_windows.Count == 0) _state.Clear();
        else _state.Update(_windows as List<TimeWindow> ?? new List<TimeWindow>(_windows));
    }
}
