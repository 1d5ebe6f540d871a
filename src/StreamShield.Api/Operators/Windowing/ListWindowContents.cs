using StreamShield.State;
using StreamShield.State.Internal;
using StreamShield.Windowing;

namespace StreamShield.Operators.Windowing;

/// <summary>Window contents kept as the list of all elements (for window functions that need every element).</summary>
internal sealed class ListWindowContents<T> : WindowContents<T, IReadOnlyList<T>>
{
    private ListStateHandle<TimeWindow, T> _state = null!;

    public override void Initialize<TKey>(KeyedStateFactory<TKey, TimeWindow> factory) =>
        _state = factory.List(new ListStateDescriptor<T>(StateName));

    public override TimeWindow Window { set => _state.Namespace = value; }

    public override void Add(T value) => _state.Add(value);

    public override bool TryGet(out IReadOnlyList<T> contents)
    {
        contents = _state.Get();
        return contents.Count > 0;
    }

    public override void Clear() => _state.Clear();

    public override void Merge(TimeWindow target, IReadOnlyList<TimeWindow> sources)
    {
        _state.Namespace = target;
        var merged = new List<T>(_state.Get());
        var any = false;
        foreach (var source in sources)
        {
            if (source == target) continue;
            _state.Namespace = source;
            var values = _state.Get();
            if (values.Count == 0) continue;
            merged.AddRange(values);
            _state.Clear();
            any = true;
        }
        _state.Namespace = target;
        if (any) _state.Update(merged);
    }
}
