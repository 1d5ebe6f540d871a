using StreamShield.Functions;
using StreamShield.Sinks;
using StreamShield.Windowing;

namespace StreamShield.Tests.Windowing;

/// <summary>Window joins and interval joins run embedded end to end, compared with LINQ joins.</summary>
public sealed class JoinJobTests
{
    public sealed record Order(string Customer, long Ts, int Id);

    public sealed record Payment(string Customer, long Ts, int Id);

    public sealed record Match(int Order, int Payment, long Ts);

    private static TimeSpan Ms(long ms) => TimeSpan.FromMilliseconds(ms);

    private static (StreamEnvironment Env, ManualClock Clock) Environment()
    {
        var clock = new ManualClock();
        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        env.Clock = clock;
        return (env, clock);
    }

    private static DataStream<T> Play<T>(StreamEnvironment env, ManualClock clock, IReadOnlyList<ScriptStep<T>> steps, string name)
    {
        var source = new ScriptedSource<T>(steps, clock, env.AutoWatermarkInterval);
        return env.FromSource(source, source.Watermarks, name).SetParallelism(1);
    }

    private static (List<Order>, List<Payment>, DataStream<Order>, DataStream<Payment>) Inputs(StreamEnvironment env, ManualClock clock, int seed)
    {
        var random = new Random(seed);
        var orders = Enumerable.Range(0, 600).Select(i => new Order("c" + random.Next(8), random.Next(0, 10_000), i)).ToList();
        var payments = Enumerable.Range(0, 600).Select(i => new Payment("c" + random.Next(8), random.Next(0, 10_000), 10_000 + i)).ToList();
        // Each input's own watermarks never pass its own later records, so with the minimum over both inputs no record
        // is late and no buffered record is cleaned up before its last partner arrives, whatever the interleaving.
        var orderStream = Play(env, clock, Scripts.BoundedDisorder(orders.Select(o => (o, o.Ts)), random, 100), "Orders");
        var paymentStream = Play(env, clock, Scripts.BoundedDisorder(payments.Select(p => (p, p.Ts)), random, 100), "Payments");
        return (orders, payments, orderStream, paymentStream);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TumblingWindowJoinEmitsEveryPairWithEqualKeysInTheSameWindow(int seed)
    {
        var (env, clock) = Environment();
        var (orders, payments, orderStream, paymentStream) = Inputs(env, clock, seed);
        var sink = new CollectSink<Stamped<Match>>();
        orderStream.Join(paymentStream)
            .Where(o => o.Customer).EqualTo(p => p.Customer)
            .Window(TumblingEventTimeWindows.Of(Ms(500)))
            .Apply((o, p) => new Match(o.Id, p.Id, 0))
            .Process(new StampFunction<Match>())
            .SinkTo(sink);
        env.Execute("window-join");

        var expected = (from o in orders
                        join p in payments on (o.Customer, o.Ts / 500) equals (p.Customer, p.Ts / 500)
                        select (o.Id, p.Id, o.Ts / 500 * 500 + 499)).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, sink.Results.Select(s => (s.Value.Order, s.Value.Payment, s.Timestamp)).Order().ToList());
    }

    [Fact]
    public void SlidingWindowJoinEmitsAPairOncePerSharedWindow()
    {
        var (env, clock) = Environment();
        var (orders, payments, orderStream, paymentStream) = Inputs(env, clock, 3);
        var sink = new CollectSink<Match>();
        orderStream.Join(paymentStream)
            .Where(o => o.Customer).EqualTo(p => p.Customer)
            .Window(SlidingEventTimeWindows.Of(Ms(400), Ms(200)))
            .Apply((o, p) => new Match(o.Id, p.Id, 0))
            .SinkTo(sink);
        env.Execute("sliding-window-join");

        // Windows [s, s + 400) for multiples s of 200: a pair joins once per window that contains both timestamps.
        static IEnumerable<long> Starts(long ts) => new[] { ts / 200 * 200, ts / 200 * 200 - 200 };
        var expected = (from o in orders
                        from p in payments
                        where o.Customer == p.Customer
                        from s in Starts(o.Ts).Intersect(Starts(p.Ts))
                        select (o.Id, p.Id)).Order().ToList();
        Assert.Equal(expected, sink.Results.Select(m => (m.Order, m.Payment)).Order().ToList());
    }

    private sealed class MatchFunction : ProcessJoinFunction<Order, Payment, Match>
    {
        public override void ProcessElement(Order left, Payment right, Context context, ICollector<Match> output)
        {
            if (context.LeftTimestamp != left.Ts || context.RightTimestamp != right.Ts) throw new InvalidOperationException("wrong timestamps");
            output.Collect(new Match(left.Id, right.Id, context.Timestamp));
        }
    }

    [Theory]
    [InlineData(4, -300, 100)]
    [InlineData(5, 0, 0)]
    [InlineData(6, 50, 250)]
    public void IntervalJoinEmitsEveryPairWithinTheBoundsOnce(int seed, long lower, long upper)
    {
        var (env, clock) = Environment();
        var (orders, payments, orderStream, paymentStream) = Inputs(env, clock, seed);
        var sink = new CollectSink<Stamped<Match>>();
        orderStream.KeyBy(o => o.Customer)
            .IntervalJoin(paymentStream.KeyBy(p => p.Customer))
            .Between(Ms(lower), Ms(upper))
            .Process(new MatchFunction())
            .Process(new StampFunction<Match>())
            .SinkTo(sink);
        env.Execute("interval-join");

        var expected = (from o in orders
                        join p in payments on o.Customer equals p.Customer
                        where p.Ts >= o.Ts + lower && p.Ts <= o.Ts + upper
                        select (o.Id, p.Id, Math.Max(o.Ts, p.Ts), Math.Max(o.Ts, p.Ts))).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, sink.Results.Select(s => (s.Value.Order, s.Value.Payment, s.Value.Ts, s.Timestamp)).Order().ToList());
    }
}
