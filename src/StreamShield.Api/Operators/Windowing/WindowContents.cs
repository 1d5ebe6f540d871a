using StreamShield.State.Internal;
using StreamShield.Windowing;

namespace StreamShield.Operators.Windowing;

/// <summary>
/// The contents of windows in keyed state, under the backend's current key and the window as namespace: a reduced value,
/// an aggregate accumulator or a list of elements. <typeparamref name="TView"/> is what the window function gets when the
/// window fires. One instance per operator instance; only the subtask thread calls it.
/// </summary>
internal abstract class WindowContents<TIn, TView>
{
    /// <summary>The state's name in checkpoints.</summary>
    public const string StateName = "window-contents";

    /// <summary>Registers the state with the operator's keyed backend (from InitializeState).</summary>
    public abstract void Initialize<TKey>(KeyedStateFactory<TKey, TimeWindow> factory);

    /// <summary>Selects the window that the following calls read and write.</summary>
    public abstract TimeWindow Window { set; }

    /// <summary>Adds an element to the selected window (runs the user's reduce or aggregate).</summary>
    public abstract void Add(TIn value);

    /// <summary>The selected window's contents, false if it has none.</summary>
    public abstract bool TryGet(out TView contents);

    /// <summary>Removes the selected window's contents.</summary>
    public abstract void Clear();

    /// <summary>
    /// Session windows merged: moves the contents of <paramref name="sources"/> into <paramref name="target"/> (combined with
    /// what the target already holds, if it is not among the sources) and clears the sources. Leaves the selection undefined.
    /// </summary>
    public abstract void Merge(TimeWindow target, IReadOnlyList<TimeWindow> sources);
}
