using StreamShield.Functions;
using StreamShield.Windowing;

namespace StreamShield.Operators.Windowing;

/// <summary>Calls a <see cref="ProcessWindowFunction{TIn,TOut,TKey}"/> with all buffered elements of the window.</summary>
internal sealed class InternalIterableProcessWindowFunction<TIn, TOut, TKey>(ProcessWindowFunction<TIn, TOut, TKey> function)
    : InternalWindowFunction<IReadOnlyList<TIn>, TOut, TKey>
{
    private readonly ProcessWindowContext<TIn, TOut, TKey> _context = new();

    public override RichFunction UserFunction => function;

    public override void Process(TKey key, TimeWindow window, InternalWindowContext context, IReadOnlyList<TIn> contents, ICollector<TOut> output)
    {
        _context.Current = window;
        _context.Inner = context;
        function.Process(key, _context, contents, output);
    }
}
