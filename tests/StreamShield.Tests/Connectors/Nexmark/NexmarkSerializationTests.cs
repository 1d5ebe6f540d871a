using StreamShield.Connectors.Nexmark;
using StreamShield.Serialization;

namespace StreamShield.Tests.Connectors.Nexmark;

/// <summary>Events and splits go through StreamShield's binary serializers: records between subtasks, splits in checkpoints.</summary>
public sealed class NexmarkSerializationTests
{
    [Fact]
    public void EventsRoundTripThroughTheirSerializerAndNeedNoCopies()
    {
        var serializer = TypeSerializers.For<Event>();
        Assert.True(serializer.IsImmutable);
        using var output = new DataOutput();
        var events = new NexmarkGenerator(NexmarkOptions.Default).Generate(0, 1_000).ToList();
        foreach (var e in events) serializer.Serialize(e, output);
        var input = new DataInput(output.ToArray());
        Assert.Equal(events, events.Select(_ => serializer.Deserialize(input)));
    }

    [Fact]
    public void SplitsRoundTripThroughTheSourcesSplitSerializer()
    {
        var serializer = ((StreamShield.Sources.ISource<Event, NexmarkSplit>)new NexmarkSource(NexmarkOptions.Default)).SplitSerializer;
        NexmarkSplit[] splits = [new(17, 4, long.MaxValue / 3, null), new(3, 1, 10, 1_700_000_000_000)];
        using var output = new DataOutput();
        foreach (var s in splits) serializer.Serialize(s, output);
        var input = new DataInput(output.ToArray());
        Assert.Equal(splits, splits.Select(_ => serializer.Deserialize(input)));
    }
}
