using StreamShield.Functions;
using StreamShield.Windowing;

namespace StreamShield.Operators.Join;

/// <summary>
/// The window function of a window join: splits the window's tagged elements by input and emits the join function's
/// result for every pair (inner join, first input in the outer loop, each side in arrival order). Flink's
/// CoGroupWindowFunction with JoinCoGroupFunction.
/// </summary>
internal sealed class JoinProcessWindowFunction<T1, T2, TKey, TOut>(Func<T1, T2, TOut> join)
    : ProcessWindowFunction<TaggedUnion<T1, T2>, TOut, TKey>
{
    public override void Process(TKey key, Context context, IEnumerable<TaggedUnion<T1, T2>> elements, ICollector<TOut> output)
    {
        var left = new List<T1>();
        var right = new List<T2>();
        foreach (var element in elements)
        {
            if (element.IsOne) left.Add(element.One);
            else right.Add(element.Two);
        }
        if (left.Count == 0 || right.Count == 0) return;
        foreach (var l in left)
            foreach (var r in right)
                output.Collect(join(l, r));
    }
}
