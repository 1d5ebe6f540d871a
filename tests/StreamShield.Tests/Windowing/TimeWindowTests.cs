using StreamShield.Operators.Windowing;
using StreamShield.Serialization;
using StreamShield.Windowing;

namespace StreamShield.Tests.Windowing;

public sealed class TimeWindowTests
{
    [Fact]
    public void MaxTimestampIsOneBeforeEnd() => Assert.Equal(9, new TimeWindow(0, 10).MaxTimestamp);

    [Theory]
    [InlineData(0, 10, 5, 15, true)]   // overlap
    [InlineData(0, 10, 10, 20, true)]  // touching windows merge (Flink semantics)
    [InlineData(0, 10, 11, 20, false)] // gap
    [InlineData(0, 10, 2, 5, true)]    // containment
    [InlineData(5, 15, 0, 10, true)]   // symmetric
    [InlineData(20, 30, 0, 10, false)]
    public void IntersectsIncludesTouchingWindows(long s1, long e1, long s2, long e2, bool expected)
    {
        Assert.Equal(expected, new TimeWindow(s1, e1).Intersects(new TimeWindow(s2, e2)));
        Assert.Equal(expected, new TimeWindow(s2, e2).Intersects(new TimeWindow(s1, e1)));
    }

    [Fact]
    public void CoverSpansBothWindows()
    {
        Assert.Equal(new TimeWindow(0, 20), new TimeWindow(0, 10).Cover(new TimeWindow(5, 20)));
        Assert.Equal(new TimeWindow(-5, 10), new TimeWindow(0, 10).Cover(new TimeWindow(-5, 3)));
        Assert.Equal(new TimeWindow(0, 30), new TimeWindow(20, 30).Cover(new TimeWindow(0, 5)));
    }

    [Theory]
    [InlineData(0, 0, 10, 0)]
    [InlineData(9, 0, 10, 0)]
    [InlineData(10, 0, 10, 10)]
    [InlineData(-1, 0, 10, -10)]
    [InlineData(-10, 0, 10, -10)]
    [InlineData(-11, 0, 10, -20)]
    [InlineData(14, 5, 10, 5)]
    [InlineData(15, 5, 10, 15)]
    [InlineData(4, 5, 10, -5)]
    [InlineData(3, -2, 10, -2)]
    [InlineData(8, -2, 10, 8)]
    public void WindowStartWithOffsetAlignsForNegativeTimestampsAndOffsets(long timestamp, long offset, long size, long expected)
    {
        var start = TimeWindow.GetWindowStartWithOffset(timestamp, offset, size);
        Assert.Equal(expected, start);
        Assert.InRange(timestamp, start, start + size - 1);
    }

    [Fact]
    public void EqualityIsByValue()
    {
        Assert.Equal(new TimeWindow(1, 2), new TimeWindow(1, 2));
        Assert.NotEqual(new TimeWindow(1, 2), new TimeWindow(1, 3));
        Assert.Equal(new TimeWindow(1, 2).GetHashCode(), new TimeWindow(1, 2).GetHashCode());
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(long.MinValue, long.MinValue)]
    [InlineData(-5, long.MaxValue)]
    public void SerializerRoundTripsSixteenBytes(long start, long end)
    {
        var window = new TimeWindow(start, end);
        using var output = new DataOutput();
        TimeWindowSerializer.Instance.Serialize(window, output);
        var bytes = output.ToArray();
        Assert.Equal(16, bytes.Length);
        Assert.Equal(window, TimeWindowSerializer.Instance.Deserialize(new DataInput(bytes)));
    }

    [Fact]
    public void GeneralSerializerHandlesListsOfWindows()
    {
        var windows = new List<TimeWindow> { new(0, 10), new(20, 35) };
        var serializer = TypeSerializers.For<List<TimeWindow>>();
        using var output = new DataOutput();
        serializer.Serialize(windows, output);
        Assert.Equal(windows, serializer.Deserialize(new DataInput(output.ToArray())));
    }
}
