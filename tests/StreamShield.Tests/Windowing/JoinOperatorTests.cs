using StreamShield.Functions;
using StreamShield.Operators.Join;
using StreamShield.Serialization;
using StreamShield.Windowing;

namespace StreamShield.Tests.Windowing;

/// <summary>Interval join and window join operators, driven directly against an in-memory keyed backend (no runtime).</summary>
public sealed class JoinOperatorTests
{
    public sealed record Order(string Key, long Ts, int Id);

    public sealed record Payment(string Key, long Ts, int Id);

    public sealed record Pair(int Order, int Payment, long LeftTs, long RightTs, long Ts);

    private static readonly OutputTag<Order> LateOrders = new("late-orders");
    private static readonly OutputTag<Payment> LatePayments = new("late-payments");

    private static TimeSpan Ms(long ms) => TimeSpan.FromMilliseconds(ms);

    private sealed class PairUp : ProcessJoinFunction<Order, Payment, Pair>
    {
        public override void ProcessElement(Order left, Payment right, Context context, ICollector<Pair> output) =>
            output.Collect(new Pair(left.Id, right.Id, context.LeftTimestamp, context.RightTimestamp, context.Timestamp));
    }

    private static TwoInputOperatorHarness<string, Order, Payment, Pair> IntervalJoin(
        long lower, long upper, Func<IntervalJoined<Order, Payment, string>, IntervalJoined<Order, Payment, string>>? configure = null)
    {
        var env = StreamEnvironment.Create();
        var orders = env.FromCollection(Array.Empty<Order>()).KeyBy(o => o.Key);
        var payments = env.FromCollection(Array.Empty<Payment>()).KeyBy(p => p.Key);
        var joined = orders.IntervalJoin(payments).Between(Ms(lower), Ms(upper));
        return new(((configure ?? (j => j))(joined)).Process(new PairUp()));
    }

    [Fact]
    public void IntervalJoinPairsRecordsWithinInclusiveBoundsFromEitherSide()
    {
        var h = IntervalJoin(-2, 3);
        foreach (var ts in new long[] { 7, 8, 13, 14 }) h.Right(new Payment("k", ts, (int)ts), ts);
        h.Right(new Payment("other", 10, 99), 10);
        h.Left(new Order("k", 10, 1), 10);
        h.Right(new Payment("k", 11, 11), 11); // arrives after the order: joins too
        Assert.Equal(
            [new Pair(1, 8, 10, 8, 10), new Pair(1, 11, 10, 11, 11), new Pair(1, 13, 10, 13, 13)],
            h.Output.Values.OrderBy(p => p.Payment));
        Assert.All(h.Output.Records, r => Assert.Equal(r.Value.Ts, r.Timestamp));
    }

    [Fact]
    public void IntervalJoinExclusiveBoundsLeaveOutTheEnds()
    {
        var h = IntervalJoin(-2, 3, j => j.LowerBoundExclusive().UpperBoundExclusive());
        foreach (var ts in new long[] { 8, 9, 12, 13 }) h.Right(new Payment("k", ts, (int)ts), ts);
        h.Left(new Order("k", 10, 1), 10);
        Assert.Equal([9, 12], h.Output.Values.Select(p => p.Payment).Order());
    }

    [Fact]
    public void IntervalJoinSendsRecordsBehindTheWatermarkToSideOutputs()
    {
        var h = IntervalJoin(0, 5, j => j.SideOutputLeftLateData(LateOrders).SideOutputRightLateData(LatePayments));
        h.Watermark(20);
        h.Left(new Order("k", 19, 1), 19);
        h.Right(new Payment("k", 18, 2), 18);
        h.Left(new Order("k", 20, 3), 20); // at the watermark: not late
        h.Right(new Payment("k", 22, 4), 22);
        Assert.Equal([new Pair(3, 4, 20, 22, 22)], h.Output.Values);
        Assert.Equal(["late-orders", "late-payments"], h.Output.SideOutputs.Select(s => s.Tag));
    }

    [Fact]
    public void IntervalJoinCleansUpBuffersOnceNoRecordCanJoinThem()
    {
        var h = IntervalJoin(-5, 10);
        h.Left(new Order("k", 100, 1), 100);
        h.Right(new Payment("k", 100, 2), 100);
        h.Watermark(104);
        Assert.Equal(2, h.Backend.TimerCount);
        h.Watermark(105); // right record at 100 can only join orders up to 105 (100 - lowerBound)
        Assert.Equal(1, h.Backend.TimerCount);
        h.Watermark(110); // left record at 100 joins payments up to 110
        Assert.Equal(0, h.Backend.TimerCount);
        Assert.Equal(0, h.Backend.EntryCount("left-buffer"));
        Assert.Equal(0, h.Backend.EntryCount("right-buffer"));
        Assert.Single(h.Output.Records);
    }

    [Theory]
    [InlineData(1, -50L, 20L)]
    [InlineData(2, 0L, 0L)]
    [InlineData(3, 10L, 40L)]
    [InlineData(4, -40L, -10L)]
    public void IntervalJoinOfOutOfOrderStreamsMatchesLinq(int seed, long lower, long upper)
    {
        var random = new Random(seed);
        const int bound = 25;
        var orders = Enumerable.Range(0, 300).Select(i => new Order("k" + random.Next(6), random.Next(0, 3000), i)).ToList();
        var payments = Enumerable.Range(0, 300).Select(i => new Payment("k" + random.Next(6), random.Next(0, 3000), i)).ToList();
        var arrivals = orders.Select(o => (Ts: o.Ts, Left: (Order?)o, Right: (Payment?)null))
            .Concat(payments.Select(p => (Ts: p.Ts, Left: (Order?)null, Right: (Payment?)p)))
            .OrderBy(a => a.Ts + random.Next(0, bound + 1))
            .ToList();

        var h = IntervalJoin(lower, upper);
        var maxSeen = long.MinValue;
        foreach (var a in arrivals)
        {
            if (a.Left is { } o) h.Left(o, o.Ts);
            else h.Right(a.Right!, a.Right!.Ts);
            maxSeen = Math.Max(maxSeen, a.Ts);
            if (random.Next(3) == 0) h.Watermark(maxSeen - bound - 1);
        }
        h.Watermark(long.MaxValue);

        var expected = (from o in orders
                        join p in payments on o.Key equals p.Key
                        where p.Ts >= o.Ts + lower && p.Ts <= o.Ts + upper
                        select new Pair(o.Id, p.Id, o.Ts, p.Ts, Math.Max(o.Ts, p.Ts)))
            .OrderBy(p => p.Order).ThenBy(p => p.Payment).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, h.Output.Values.OrderBy(p => p.Order).ThenBy(p => p.Payment).ToList());
        Assert.Equal(0, h.Backend.EntryCount("left-buffer"));
        Assert.Equal(0, h.Backend.EntryCount("right-buffer"));
    }

    [Fact]
    public void IntervalJoinRefusesReversedBounds() =>
        Assert.Throws<ArgumentException>(() => IntervalJoin(5, 4));

    [Fact]
    public void WindowJoinEmitsTheCrossProductOfEqualKeysPerWindow()
    {
        var env = StreamEnvironment.Create();
        var orders = env.FromCollection(Array.Empty<Order>());
        var payments = env.FromCollection(Array.Empty<Payment>());
        var joined = orders.Join(payments).Where(o => o.Key).EqualTo(p => p.Key)
            .Window(TumblingEventTimeWindows.Of(Ms(10)))
            .Apply((o, p) => $"{o.Id}-{p.Id}");
        var h = new OperatorHarness<string, TaggedUnion<Order, Payment>, string>(joined);
        void L(string key, long ts, int id) => h.Element(TaggedUnion<Order, Payment>.FromOne(new Order(key, ts, id)), ts);
        void R(string key, long ts, int id) => h.Element(TaggedUnion<Order, Payment>.FromTwo(new Payment(key, ts, id)), ts);
        L("a", 1, 1);
        R("a", 2, 10);
        L("a", 3, 2);
        R("a", 9, 11);
        R("b", 4, 12); // no order with key b
        L("a", 12, 3); // next window
        R("a", 15, 13);
        L("a", 19, 4);
        h.Watermark(100);
        Assert.Equal(["1-10", "1-11", "2-10", "2-11", "3-13", "4-13"], h.Output.Values.Order());
        Assert.Equal([9L, 9L, 9L, 9L, 19L, 19L], h.Output.Records.Select(r => r.Timestamp).Order());
    }

    [Fact]
    public void TaggedUnionRoundTripsThroughTheSerializer()
    {
        var serializer = TypeSerializers.For<TaggedUnion<Order, long>>();
        foreach (var value in new[] { TaggedUnion<Order, long>.FromOne(new Order("x", 5, 1)), TaggedUnion<Order, long>.FromTwo(42) })
        {
            using var output = new DataOutput();
            serializer.Serialize(value, output);
            var copy = serializer.Deserialize(new DataInput(output.ToArray()));
            Assert.Equal(value.IsOne, copy.IsOne);
            Assert.Equal(value.One, copy.One);
            Assert.Equal(value.Two, copy.Two);
        }
    }
}
