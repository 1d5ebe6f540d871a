using StreamShield.Connectors.Nexmark;

namespace StreamShield.Tests.Connectors.Nexmark;

/// <summary>Event times are spaced by the configured rate, follow the square and sine shapes, and never decrease in order.</summary>
public sealed class EventTimeTests
{
    private const long Base = NexmarkOptions.DefaultBaseTime;

    [Fact]
    public void AtTheDefaultRateTenEventsShareEachMillisecond()
    {
        var generator = new NexmarkGenerator(NexmarkOptions.Default);
        for (long n = 0; n < 100_000; n++) Assert.Equal(Base + n / 10, generator.TimestampOf(n));
        Assert.All(generator.Generate(0, 5_000).Select((e, n) => (e, n)), x => Assert.Equal(Base + x.n / 10, x.e.Timestamp));
    }

    [Theory]
    [InlineData(1_000, RateUnit.PerSecond, 1_000)]
    [InlineData(3, RateUnit.PerSecond, 1_000)]        // 333,333.3 µs apart: fractional delays do not drift
    [InlineData(7_000, RateUnit.PerSecond, 1_000)]
    [InlineData(600, RateUnit.PerMinute, 60_000)]
    public void EachRateUnitHoldsExactlyTheRateOfEvents(int rate, RateUnit unit, long unitMs)
    {
        var generator = new NexmarkGenerator(NexmarkOptions.Default with { FirstEventRate = rate, NextEventRate = rate, RateUnit = unit });
        var counts = CountPer(generator, unitMs, units: 5);
        Assert.All(counts, c => Assert.Equal(rate, c));
    }

    [Fact]
    public void SeveralGeneratorsShareTheRateOnParallelTimelines()
    {
        var generator = new NexmarkGenerator(NexmarkOptions.Default with { NumEventGenerators = 4, FirstEventRate = 1_000, NextEventRate = 1_000 });
        for (long n = 0; n < 4_000; n++) Assert.Equal(Base + n / 4 * 4, generator.TimestampOf(n)); // each generator: one event per 4 ms
        Assert.All(CountPer(generator, 1_000, units: 3), c => Assert.Equal(1_000, c));
    }

    [Fact]
    public void SquareShapeAlternatesBetweenTheTwoRatesEveryHalfPeriod()
    {
        var generator = new NexmarkGenerator(NexmarkOptions.Default with
        {
            RateShape = RateShape.Square,
            FirstEventRate = 10_000,
            NextEventRate = 1_000,
            RatePeriodSec = 10,
        });
        var perSecond = CountPer(generator, 1_000, units: 30);
        long[] cycle = [10_000, 10_000, 10_000, 10_000, 10_000, 1_000, 1_000, 1_000, 1_000, 1_000];
        Assert.Equal(cycle.Concat(cycle).Concat(cycle), perSecond);
    }

    [Fact]
    public void SineShapeSwingsFromTheFirstRateToTheNextAndBack()
    {
        var generator = new NexmarkGenerator(NexmarkOptions.Default with
        {
            RateShape = RateShape.Sine,
            FirstEventRate = 2_000,
            NextEventRate = 1_000,
            RatePeriodSec = 10,
        });
        // Whole-microsecond delays make each step a little shorter than a second, so count the middle 800 ms of
        // each second, which stays inside its step for the first cycles.
        var perSecond = CountPer(generator, 1_000, units: 20, from: 100, to: 900);
        for (var second = 0; second < perSecond.Count; second++)
        {
            var expected = 0.8 * (1_500 + 500 * Math.Cos(2 * Math.PI * (second % 10) / 10));
            Assert.InRange((double)perSecond[second], expected * 0.99, expected * 1.01);
        }
    }

    [Fact]
    public void TimestampsNeverDecreaseInEventNumberOrder()
    {
        var generator = new NexmarkGenerator(NexmarkOptions.Default with { RateShape = RateShape.Sine, FirstEventRate = 50_000, NextEventRate = 5_000, RatePeriodSec = 4 });
        var previous = long.MinValue;
        for (long n = 0; n < 300_000; n++)
        {
            var t = generator.TimestampOf(n);
            Assert.True(t >= previous, $"event {n} at {t} before event {n - 1} at {previous}");
            previous = t;
        }
    }

    [Fact]
    public void OutOfOrderGroupsShuffleTimestampsOnlyWithinTheGroup()
    {
        const int group = 64;
        var inOrder = new NexmarkGenerator(NexmarkOptions.Default with { FirstEventRate = 1_000, NextEventRate = 1_000 });
        var shuffled = new NexmarkGenerator(NexmarkOptions.Default with { FirstEventRate = 1_000, NextEventRate = 1_000, OutOfOrderGroupSize = group });
        var outOfOrder = 0;
        for (long start = 0; start < 20 * group; start += group)
        {
            var expected = Enumerable.Range(0, group).Select(i => inOrder.TimestampOf(start + i)).ToList();
            var actual = Enumerable.Range(0, group).Select(i => shuffled.Generate(start + i).Timestamp).ToList();
            Assert.Equal(expected, actual.Order());
            outOfOrder += actual.Zip(actual.Skip(1)).Count(p => p.Second < p.First);
        }
        Assert.True(outOfOrder > 100, "the groups should actually be out of order");
        Assert.Equal(TimeSpan.FromMilliseconds(group), WatermarkBound(NexmarkOptions.Default with { FirstEventRate = 1_000, NextEventRate = 1_000, OutOfOrderGroupSize = group }));
    }

    /// <summary>
    /// Events per <paramref name="unitMs"/> of event time, for the first <paramref name="units"/> units, counting only
    /// those from <paramref name="from"/> to before <paramref name="to"/> ms into each unit when given.
    /// </summary>
    private static List<long> CountPer(NexmarkGenerator generator, long unitMs, int units, long from = 0, long? to = null)
    {
        var counts = new long[units];
        for (long n = 0; ; n++)
        {
            var offset = generator.TimestampOf(n) - Base;
            var unit = offset / unitMs;
            if (unit >= units) return counts.ToList();
            var within = offset % unitMs;
            if (within >= from && within < (to ?? unitMs)) counts[unit]++;
        }
    }

    /// <summary>The out-of-orderness the source's default watermark strategy allows, read back through a generator.</summary>
    private static TimeSpan WatermarkBound(NexmarkOptions options)
    {
        var strategy = NexmarkSource.Watermarks(options);
        var generator = strategy.GeneratorFactory!();
        generator.OnEvent(default, 10_000);
        return TimeSpan.FromMilliseconds(10_000 - 1 - generator.CurrentWatermark);
    }
}
