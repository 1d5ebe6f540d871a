using StreamShield.State;
using StreamShield.State.Internal;
using StreamShield.Windowing;

namespace StreamShield.Operators.Windowing;

/// <summary>Window contents folded with a reduce function as elements arrive: one value per window.</summary>
internal sealed class ReducingWindowContents<T>(Func<T, T, T> reduce) : WindowContents<T, T>
{
    private ReducingStateHandle<TimeWindow, T> _state = null!;

    public override void Initialize<TKey>(KeyedStateFactory<TKey, TimeWindow> factory) =>
        _state = factory.Reducing(new ReducingStateDescriptor<T>(StateName, reduce));

    public override TimeWindow Window { set => _state.Namespace = value; }

    public override void Add(T value) => _state.Add(value);

    public override bool TryGet(out T contents)
    {
        if (_state.HasValue)
        {
            contents = _state.Get();
            return true;
        }
        contents = default!;
        return false;
    }

    public override void Clear() => _state.Clear();

    public override void Merge(TimeWindow target, IReadOnlyList<TimeWindow> sources)
    {
        var merged = default(T)!;
        var any = false;
        foreach (var source in sources)
        {
            _state.Namespace = source;
            if (!_state.HasValue) continue;
            var value = _state.Get();
            _state.Clear();
            merged = any ? reduce(merged, value) : value;
            any = true;
        }
        _state.Namespace = target;
        if (any) _state.Add(merged);
    }
}
