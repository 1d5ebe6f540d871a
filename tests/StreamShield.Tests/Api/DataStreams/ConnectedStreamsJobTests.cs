using StreamShield.EventTime;
using StreamShield.Functions;
using StreamShield.Sinks;
using StreamShield.Sources;
using StreamShield.State;

namespace StreamShield.Tests.Api.DataStreams;

/// <summary>Connect with a non-keyed CoProcessFunction, and keyed connected streams sharing state and timers.</summary>
public sealed class ConnectedStreamsJobTests
{
    private static readonly OutputTag<int> Lengths = new("lengths");

    private sealed class Describe : CoProcessFunction<long, string, string>
    {
        public override void ProcessElement1(long value, Context context, ICollector<string> output) => output.Collect($"n:{value}");

        public override void ProcessElement2(string value, Context context, ICollector<string> output)
        {
            output.Collect($"w:{value}");
            context.Output(Lengths, value.Length);
        }
    }

    [Fact]
    public void NonKeyedCoProcessFunctionSeesBothInputsAndEmitsSideOutputs()
    {
        var words = Enumerable.Range(0, 800).Select(i => new string('x', i % 13) + i).ToList();
        var env = JobTesting.Environment(parallelism: 2);
        var main = new CollectSink<string>();
        var lengths = new CollectSink<int>();
        var connected = env.FromSequence(1, 1200).SetParallelism(1)
            .Connect(env.FromCollection(words).SetParallelism(3))
            .Process(new Describe());
        connected.SinkTo(main);
        connected.GetSideOutput(Lengths).SinkTo(lengths);
        env.Execute("co-process");

        var expected = Enumerable.Range(1, 1200).Select(n => $"n:{n}").Concat(words.Select(w => $"w:{w}")).Order(StringComparer.Ordinal);
        Assert.Equal(expected, main.Results.Order(StringComparer.Ordinal));
        Assert.Equal(words.Select(w => w.Length).Order(), lengths.Results.Order());
    }

    public sealed record Order(int Customer, long Ts, int Amount);
    public sealed record Payment(int Customer, long Ts, int Amount);
    public sealed record Bucket(int Customer, long End, int Orders, long OrderTotal, int Payments, long PaymentTotal, long OutputTimestamp);

    /// <summary>
    /// Per customer and 100 ms bucket: counts and totals of orders and payments, in one map state shared by both
    /// inputs, emitted by one event-time timer at the bucket's end that either input may register first.
    /// </summary>
    private sealed class BucketTotals : CoProcessFunction<Order, Payment, Bucket>
    {
        private IMapState<long, (int Orders, long OrderTotal, int Payments, long PaymentTotal)> _buckets = null!;
        private IValueState<int> _customer = null!;

        public override void Open()
        {
            _buckets = RuntimeContext.GetMapState(new MapStateDescriptor<long, (int, long, int, long)>("buckets"));
            _customer = RuntimeContext.GetState(new ValueStateDescriptor<int>("customer", -1));
        }

        private static long EndOf(long ts) => ts / 100 * 100 + 99;

        public override void ProcessElement1(Order value, Context context, ICollector<Bucket> output)
        {
            var end = EndOf(value.Ts);
            _buckets.TryGetValue(end, out var b);
            _buckets.Put(end, (b.Orders + 1, b.OrderTotal + value.Amount, b.Payments, b.PaymentTotal));
            _customer.Update(value.Customer);
            context.TimerService.RegisterEventTimeTimer(end);
        }

        public override void ProcessElement2(Payment value, Context context, ICollector<Bucket> output)
        {
            var end = EndOf(value.Ts);
            _buckets.TryGetValue(end, out var b);
            _buckets.Put(end, (b.Orders, b.OrderTotal, b.Payments + 1, b.PaymentTotal + value.Amount));
            _customer.Update(value.Customer);
            context.TimerService.RegisterEventTimeTimer(end);
        }

        public override void OnTimer(long timestamp, Context context, ICollector<Bucket> output)
        {
            Assert.True(_buckets.TryGetValue(timestamp, out var b), $"timer {timestamp} of customer {_customer.Value} has no bucket");
            _buckets.Remove(timestamp);
            output.Collect(new Bucket(_customer.Value, timestamp, b.Orders, b.OrderTotal, b.Payments, b.PaymentTotal, context.Timestamp ?? long.MinValue));
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void KeyedCoProcessSharesStateAndEventTimeTimersAcrossBothInputs(int seed)
    {
        var random = new Random(seed);
        // Timestamps never decrease within each input, so no record is behind its input's watermark.
        var orders = Enumerable.Range(0, 3000).Select(i => new Order(random.Next(7), i / 2, random.Next(1, 100))).ToList();
        var payments = Enumerable.Range(0, 2000).Select(i => new Payment(random.Next(7), i * 3 / 4, random.Next(1, 50))).ToList();

        var env = JobTesting.Environment(parallelism: 2);
        env.AutoWatermarkInterval = TimeSpan.FromMilliseconds(5);
        var sink = new CollectSink<Bucket>();
        var orderStream = env.FromSource(new CollectionSource<Order>(orders),
            WatermarkStrategy<Order>.ForMonotonousTimestamps().WithTimestampAssigner(o => o.Ts), "Orders").SetParallelism(1);
        var paymentStream = env.FromSource(new CollectionSource<Payment>(payments),
            WatermarkStrategy<Payment>.ForMonotonousTimestamps().WithTimestampAssigner(p => p.Ts), "Payments").SetParallelism(1);
        orderStream.Connect(paymentStream).KeyBy(o => o.Customer, p => p.Customer).Process(new BucketTotals()).SinkTo(sink);
        env.Execute("keyed-co-process");

        var keys = orders.Select(o => (o.Customer, End: o.Ts / 100 * 100 + 99))
            .Concat(payments.Select(p => (p.Customer, End: p.Ts / 100 * 100 + 99))).Distinct();
        var expected = keys.Select(k =>
        {
            var os = orders.Where(o => o.Customer == k.Customer && o.Ts / 100 * 100 + 99 == k.End).ToList();
            var ps = payments.Where(p => p.Customer == k.Customer && p.Ts / 100 * 100 + 99 == k.End).ToList();
            return new Bucket(k.Customer, k.End, os.Count, os.Sum(o => (long)o.Amount), ps.Count, ps.Sum(p => (long)p.Amount), k.End);
        }).OrderBy(b => b.Customer).ThenBy(b => b.End).ToList();
        var actual = sink.Results.OrderBy(b => b.Customer).ThenBy(b => b.End).ToList();
        Assert.True(expected.SequenceEqual(actual),
            $"seed {seed}: expected {expected.Count} buckets, got {actual.Count}; first difference: " +
            $"{expected.Zip(actual).FirstOrDefault(p => p.First != p.Second)}");
        // Each customer's timers fire in timestamp order.
        foreach (var g in sink.Results.GroupBy(b => b.Customer))
            Assert.Equal(g.Select(b => b.End).Order(), g.Select(b => b.End));
    }
}
