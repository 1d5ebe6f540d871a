using StreamShield.Operators.Join;
using StreamShield.Windowing;

namespace StreamShield;

/// <summary>
/// A window join of two streams being defined (<see cref="DataStream{T}.Join{T2}"/>): Flink's JoinedStreams. Name the key
/// of each side with <see cref="Where{TKey}"/> and <see cref="WhereClause{TKey}.EqualTo"/>, the windows with
/// <see cref="EqualToClause{TKey}.Window"/>, and the result with <see cref="WithWindow{TKey}.Apply{TOut}"/>.
/// </summary>
/// <remarks>
/// Built as in Flink: both inputs are tagged into one union stream, keyed by their key, windowed, and each window's elements
/// of both sides are buffered in state until it fires; then every pair with equal keys is joined. State is proportional to
/// the records of open windows. Results carry the window's <see cref="TimeWindow.MaxTimestamp"/>.
/// </remarks>
public sealed class JoinedStreams<T1, T2>
{
    private readonly DataStream<T1> _first;
    private readonly DataStream<T2> _second;

    internal JoinedStreams(DataStream<T1> first, DataStream<T2> second)
    {
        if (first.Environment != second.Environment)
            throw new JobBuildException("Join: both streams must belong to the same StreamEnvironment.");
        _first = first;
        _second = second;
    }

    /// <summary>The key of the first input's records.</summary>
    public WhereClause<TKey> Where<TKey>(Func<T1, TKey> keySelector)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        return new WhereClause<TKey>(this, keySelector);
    }

    /// <summary>A join with the first input's key chosen.</summary>
    public sealed class WhereClause<TKey>
    {
        private readonly JoinedStreams<T1, T2> _streams;
        private readonly Func<T1, TKey> _key1;

        internal WhereClause(JoinedStreams<T1, T2> streams, Func<T1, TKey> key1)
        {
            _streams = streams;
            _key1 = key1;
        }

        /// <summary>The key of the second input's records; records join when the keys are equal.</summary>
        public EqualToClause<TKey> EqualTo(Func<T2, TKey> keySelector)
        {
            ArgumentNullException.ThrowIfNull(keySelector);
            return new EqualToClause<TKey>(_streams, _key1, keySelector);
        }
    }

    /// <summary>A join with both keys chosen.</summary>
    public sealed class EqualToClause<TKey>
    {
        private readonly JoinedStreams<T1, T2> _streams;
        private readonly Func<T1, TKey> _key1;
        private readonly Func<T2, TKey> _key2;

        internal EqualToClause(JoinedStreams<T1, T2> streams, Func<T1, TKey> key1, Func<T2, TKey> key2)
        {
            _streams = streams;
            _key1 = key1;
            _key2 = key2;
        }

        /// <summary>The windows within which records join (a record-independent assigner, e.g. <see cref="TumblingEventTimeWindows"/>).</summary>
        public WithWindow<TKey> Window(WindowAssigner assigner)
        {
            ArgumentNullException.ThrowIfNull(assigner);
            return new WithWindow<TKey>(_streams, _key1, _key2, assigner);
        }
    }

    /// <summary>A fully specified window join; <see cref="Apply{TOut}"/> adds it to the job.</summary>
    public sealed class WithWindow<TKey>
    {
        private readonly JoinedStreams<T1, T2> _streams;
        private readonly Func<T1, TKey> _key1;
        private readonly Func<T2, TKey> _key2;
        private readonly WindowAssigner _assigner;
        private TimeSpan _allowedLateness;

        internal WithWindow(JoinedStreams<T1, T2> streams, Func<T1, TKey> key1, Func<T2, TKey> key2, WindowAssigner assigner)
        {
            _streams = streams;
            _key1 = key1;
            _key2 = key2;
            _assigner = assigner;
        }

        /// <summary>As <see cref="WindowedStream{T,TKey}.AllowedLateness"/>: late records within the lateness re-fire the window, joining again.</summary>
        public WithWindow<TKey> AllowedLateness(TimeSpan lateness)
        {
            if (lateness < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lateness), lateness, "The allowed lateness cannot be negative.");
            _allowedLateness = lateness;
            return this;
        }

        /// <summary>Emits <paramref name="join"/>(left, right) for every pair of records with equal keys in the same window.</summary>
        public DataStream<TOut> Apply<TOut>(Func<T1, T2, TOut> join, string name = "Window Join")
        {
            ArgumentNullException.ThrowIfNull(join);
            var key1 = _key1;
            var key2 = _key2;
            var left = _streams._first.Map(static v => TaggedUnion<T1, T2>.FromOne(v), $"{name}: Tag Left");
            var right = _streams._second.Map(static v => TaggedUnion<T1, T2>.FromTwo(v), $"{name}: Tag Right");
            return left.Union(right)
                .KeyBy(u => u.IsOne ? key1(u.One) : key2(u.Two))
                .Window(_assigner)
                .AllowedLateness(_allowedLateness)
                .Process(new JoinProcessWindowFunction<T1, T2, TKey, TOut>(join), name);
        }
    }
}
