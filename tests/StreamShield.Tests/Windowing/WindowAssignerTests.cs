using StreamShield.Windowing;

namespace StreamShield.Tests.Windowing;

public sealed class WindowAssignerTests
{
    private static TimeSpan Ms(long ms) => TimeSpan.FromMilliseconds(ms);

    [Theory]
    [InlineData(0, 0, 5000)]
    [InlineData(4999, 0, 5000)]
    [InlineData(5000, 5000, 10000)]
    [InlineData(-1, -5000, 0)]
    public void TumblingEventTimeAssignsTheOneWindowContainingTheTimestamp(long timestamp, long start, long end)
    {
        var windows = TumblingEventTimeWindows.Of(Ms(5000)).AssignWindows(timestamp, currentProcessingTime: 123);
        Assert.Equal([new TimeWindow(start, end)], windows);
    }

    [Fact]
    public void TumblingEventTimeHonoursOffset()
    {
        var assigner = TumblingEventTimeWindows.Of(Ms(5000), Ms(1000));
        Assert.Equal([new TimeWindow(1000, 6000)], assigner.AssignWindows(1000, 0));
        Assert.Equal([new TimeWindow(-4000, 1000)], assigner.AssignWindows(999, 0));
        var negative = TumblingEventTimeWindows.Of(Ms(5000), Ms(-1000));
        Assert.Equal([new TimeWindow(4000, 9000)], negative.AssignWindows(4000, 0));
    }

    [Fact]
    public void TumblingProcessingTimeUsesTheClockNotTheTimestamp()
    {
        var assigner = TumblingProcessingTimeWindows.Of(Ms(1000));
        Assert.False(assigner.IsEventTime);
        Assert.Equal([new TimeWindow(7000, 8000)], assigner.AssignWindows(timestamp: long.MinValue, currentProcessingTime: 7500));
        Assert.Equal([new TimeWindow(7000, 8000)], assigner.AssignWindows(timestamp: 1, currentProcessingTime: 7999));
    }

    [Fact]
    public void SlidingEventTimeAssignsEveryWindowContainingTheTimestampLatestFirst()
    {
        var assigner = SlidingEventTimeWindows.Of(Ms(5000), Ms(1000));
        var windows = assigner.AssignWindows(2500, 0);
        Assert.Equal(
            [new TimeWindow(2000, 7000), new TimeWindow(1000, 6000), new TimeWindow(0, 5000), new TimeWindow(-1000, 4000), new TimeWindow(-2000, 3000)],
            windows);
        Assert.All(windows, w => Assert.InRange(2500L, w.Start, w.MaxTimestamp));
    }

    [Fact]
    public void SlidingWindowsWithSizeNotAMultipleOfSlide()
    {
        var windows = SlidingEventTimeWindows.Of(Ms(5), Ms(2)).AssignWindows(4, 0);
        Assert.Equal([new TimeWindow(4, 9), new TimeWindow(2, 7), new TimeWindow(0, 5)], windows);
    }

    [Fact]
    public void SlidingWithSlideLargerThanSizeLeavesGaps()
    {
        var assigner = SlidingEventTimeWindows.Of(Ms(2), Ms(5));
        Assert.Equal([new TimeWindow(5, 7)], assigner.AssignWindows(6, 0));
        Assert.Empty(assigner.AssignWindows(8, 0));
    }

    [Fact]
    public void SlidingProcessingTimeUsesTheClock()
    {
        var assigner = SlidingProcessingTimeWindows.Of(Ms(2000), Ms(1000), Ms(500));
        Assert.False(assigner.IsEventTime);
        Assert.Equal([new TimeWindow(2500, 4500), new TimeWindow(1500, 3500)], assigner.AssignWindows(0, 3000));
    }

    [Fact]
    public void SessionWindowsOpenGapLongWindowsAndMerge()
    {
        var events = EventTimeSessionWindows.WithGap(Ms(100));
        Assert.True(events.IsEventTime);
        Assert.True(events.IsMerging);
        Assert.Equal([new TimeWindow(42, 142)], events.AssignWindows(42, 0));

        var processing = ProcessingTimeSessionWindows.WithGap(Ms(100));
        Assert.False(processing.IsEventTime);
        Assert.True(processing.IsMerging);
        Assert.Equal([new TimeWindow(7, 107)], processing.AssignWindows(42, 7));
    }

    [Fact]
    public void NonSessionAssignersDoNotMerge()
    {
        Assert.False(TumblingEventTimeWindows.Of(Ms(1)).IsMerging);
        Assert.False(SlidingEventTimeWindows.Of(Ms(2), Ms(1)).IsMerging);
        Assert.False(TumblingProcessingTimeWindows.Of(Ms(1)).IsMerging);
        Assert.False(SlidingProcessingTimeWindows.Of(Ms(2), Ms(1)).IsMerging);
    }

    [Fact]
    public void EventTimeAssignersRefuseRecordsWithoutTimestamp()
    {
        var e = Assert.Throws<InvalidOperationException>(() => TumblingEventTimeWindows.Of(Ms(10)).AssignWindows(long.MinValue, 0));
        Assert.Contains("AssignTimestampsAndWatermarks", e.Message);
        Assert.Throws<InvalidOperationException>(() => SlidingEventTimeWindows.Of(Ms(10), Ms(5)).AssignWindows(long.MinValue, 0));
        Assert.Throws<InvalidOperationException>(() => EventTimeSessionWindows.WithGap(Ms(10)).AssignWindows(long.MinValue, 0));
    }

    [Fact]
    public void FactoriesValidateLikeFlink()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TumblingEventTimeWindows.Of(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => TumblingEventTimeWindows.Of(TimeSpan.FromTicks(100))); // below 1 ms
        Assert.Throws<ArgumentException>(() => TumblingEventTimeWindows.Of(Ms(10), Ms(10)));
        Assert.Throws<ArgumentException>(() => TumblingProcessingTimeWindows.Of(Ms(10), Ms(-10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SlidingEventTimeWindows.Of(Ms(10), TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => SlidingEventTimeWindows.Of(Ms(-1), Ms(5)));
        Assert.Throws<ArgumentException>(() => SlidingProcessingTimeWindows.Of(Ms(10), Ms(5), Ms(5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => EventTimeSessionWindows.WithGap(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProcessingTimeSessionWindows.WithGap(Ms(-3)));
    }

    [Fact]
    public void PropertiesAndNamesReflectConfiguration()
    {
        var sliding = SlidingEventTimeWindows.Of(Ms(5000), Ms(1000), Ms(200));
        Assert.Equal(Ms(5000), sliding.Size);
        Assert.Equal(Ms(1000), sliding.Slide);
        Assert.Equal(Ms(200), sliding.Offset);
        Assert.Equal("SlidingEventTimeWindows(5000, 1000)", sliding.ToString());
        Assert.Equal("TumblingEventTimeWindows(60000)", TumblingEventTimeWindows.Of(TimeSpan.FromMinutes(1)).ToString());
        Assert.Equal(Ms(30), EventTimeSessionWindows.WithGap(Ms(30)).Gap);
    }

    [Fact]
    public void BuiltInsConvertToGenericAssignersForAnyRecordType()
    {
        WindowAssigner<string> forStrings = EventTimeSessionWindows.WithGap(Ms(10));
        WindowAssigner<long> forLongs = TumblingProcessingTimeWindows.Of(Ms(10));
        Assert.True(forStrings.IsMerging);
        Assert.True(forStrings.IsEventTime);
        Assert.Equal([new TimeWindow(5, 15)], forStrings.AssignWindows("x", 5, 0));
        Assert.False(forLongs.IsEventTime);
        Assert.Equal([new TimeWindow(20, 30)], forLongs.AssignWindows(99, 5, 25));
    }

    [Fact]
    public void RandomTimestampsFallInEveryAssignedSlidingWindowAndNoOther()
    {
        var random = new Random(20240611);
        for (var i = 0; i < 2000; i++)
        {
            var size = random.Next(1, 50);
            var slide = random.Next(1, 50);
            var offset = random.Next(-slide + 1, slide);
            var timestamp = random.NextInt64(-10_000, 10_000);
            var windows = SlidingEventTimeWindows.Of(Ms(size), Ms(slide), Ms(offset)).AssignWindows(timestamp, 0);

            // Independently: every window start ≡ offset (mod slide) whose [start, start + size) contains the timestamp.
            var expected = new List<TimeWindow>();
            for (var start = timestamp - size - slide; start <= timestamp; start++)
                if (((start - offset) % slide + slide) % slide == 0 && start <= timestamp && timestamp < start + size)
                    expected.Add(new TimeWindow(start, start + size));
            Assert.Equal(expected.OrderBy(w => w.Start), windows.OrderBy(w => w.Start));
        }
    }
}
