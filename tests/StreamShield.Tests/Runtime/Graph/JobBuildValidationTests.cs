using StreamShield.Functions;
using StreamShield.Sinks;
using StreamShield.Tests.Api;

namespace StreamShield.Tests.Runtime.Graph;

/// <summary>
/// Jobs that cannot run fail at Execute with a <see cref="JobBuildException"/> whose message names the operator or
/// setting at fault and says how to fix it; nothing runs.
/// </summary>
public sealed class JobBuildValidationTests
{
    private static JobBuildException BuildFails(StreamEnvironment env) => Assert.Throws<JobBuildException>(() => env.Execute("invalid"));

    private static void AssertMentions(Exception error, params string[] fragments)
    {
        foreach (var f in fragments) Assert.True(error.Message.Contains(f, StringComparison.Ordinal), $"'{f}' is missing from: {error.Message}");
    }

    [Fact]
    public void AJobWithoutSinksFailsAndSaysToAddOne()
    {
        var env = JobTesting.Environment();
        env.FromSequence(1, 10).Map(x => x + 1);
        AssertMentions(BuildFails(env), "no sinks", "Add a sink");
        AssertMentions(Assert.Throws<JobBuildException>(() => env.ExecuteAsync("invalid")), "no sinks");
    }

    [Fact]
    public void AnOperatorParallelismAboveMaxParallelismNamesTheOperatorAndBothFixes()
    {
        var env = JobTesting.Environment();
        env.MaxParallelism = 4;
        var sink = new CollectSink<long>();
        env.FromSequence(1, 10).Map(x => x, "TooWide").SetParallelism(8).SinkTo(sink).SetParallelism(1);
        AssertMentions(BuildFails(env), "'TooWide'", "parallelism 8", "max parallelism 4",
            "Lower the operator's parallelism", "raise StreamEnvironment.MaxParallelism");
        Assert.Empty(sink.Results);
    }

    public sealed record WithObject(int Id, object Payload);
    public sealed record WithHandle(int Id, IntPtr Handle);
    public sealed record Nested(int Id, WithHandle Inner);
    public interface IShape { double Area { get; } }
    public sealed record Square(double Side) : IShape { public double Area => Side * Side; }

    [Fact]
    public void ARecordWithAnObjectMemberNamesTheOperatorAndTheMember()
    {
        var env = JobTesting.Environment();
        env.FromSequence(1, 10).Map(x => new WithObject((int)x, x), "ToWithObject").SinkTo(new CollectSink<WithObject>());
        AssertMentions(BuildFails(env), "'ToWithObject'", "WithObject.Payload", "System.Object", "To fix it", "declare a concrete type");
    }

    [Fact]
    public void ARecordWithANativeHandleNamesTheOperatorAndTheMemberPath()
    {
        var env = JobTesting.Environment();
        env.FromSequence(1, 10).Map(x => new Nested((int)x, new WithHandle(1, IntPtr.Zero)), "ToNested").SinkTo(new CollectSink<Nested>());
        AssertMentions(BuildFails(env), "'ToNested'", "Nested.Inner.Handle", "System.IntPtr", "TypeSerializers.Register");
    }

    [Fact]
    public void AnInterfaceRecordTypeNamesTheOperatorAndSaysToUseAConcreteType()
    {
        var env = JobTesting.Environment();
        env.FromSequence(1, 10).Map<IShape>(x => new Square(x), "ToShape").SinkTo(new CollectSink<IShape>());
        AssertMentions(BuildFails(env), "'ToShape'", "IShape", "interface", "declare a concrete class, record or struct");
    }

    [Fact]
    public void AnUnsupportedKeyTypeNamesTheKeyedOperator()
    {
        var env = JobTesting.Environment();
        env.FromSequence(1, 10).KeyBy(x => (object)x).Reduce((a, b) => a + b, "SumByObject").SinkTo(new CollectSink<long>());
        AssertMentions(BuildFails(env), "'SumByObject'", "keyed by type System.Object", "declare a concrete type");
    }

    [Fact]
    public void ForwardBetweenDifferentParallelismsNamesBothOperatorsAndSuggestsRebalance()
    {
        var env = JobTesting.Environment();
        env.FromSequence(1, 10).Map(x => x, "Narrow").SetParallelism(2).Forward().Map(x => x, "Wide").SetParallelism(3).SinkTo(new CollectSink<long>());
        AssertMentions(BuildFails(env), "Forward partitioning", "'Narrow'", "(parallelism 2)", "'Wide'", "(parallelism 3)", "use Rebalance()");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void ACheckpointIntervalBelowTenMillisecondsIsRejected(int ms)
    {
        var env = JobTesting.Environment();
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(ms));
        env.FromSequence(1, 10).SinkTo(new CollectSink<long>());
        AssertMentions(BuildFails(env), "at least 10 ms", "CheckpointConfig.Interval");
    }

    [Fact]
    public void InvalidCheckpointLimitsAreRejected()
    {
        var env = JobTesting.Environment();
        env.FromSequence(1, 10).SinkTo(new CollectSink<long>());
        env.Checkpointing.MaxConcurrentCheckpoints = 0;
        AssertMentions(BuildFails(env), "MaxConcurrentCheckpoints must be at least 1");
        env.Checkpointing.MaxConcurrentCheckpoints = 1;
        env.Checkpointing.RetainedCheckpoints = 0;
        AssertMentions(BuildFails(env), "RetainedCheckpoints must be at least 1");
        env.Checkpointing.RetainedCheckpoints = 1;
        env.Checkpointing.TolerableCheckpointFailures = -1;
        AssertMentions(BuildFails(env), "TolerableCheckpointFailures must not be negative");
    }

    [Fact]
    public void AnUnknownConfigurationKeyIsNamedWithTheKnownKeys()
    {
        var env = JobTesting.Environment();
        env.Configuration["network.credits"] = "4";
        env.FromSequence(1, 10).SinkTo(new CollectSink<long>());
        AssertMentions(BuildFails(env), "Unknown configuration key 'network.credits'", "network.credits-per-channel", "fault.<point>");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("lots")]
    public void AnInvalidConfigurationValueNamesTheSettingAndTheAllowedRange(string value)
    {
        var env = JobTesting.Environment();
        env.Configuration["network.credits-per-channel"] = value;
        env.FromSequence(1, 10).SinkTo(new CollectSink<long>());
        AssertMentions(BuildFails(env), $"'network.credits-per-channel = {value}'", "must be an integer ≥ 1");
    }

    [Theory]
    [InlineData("fault.task.explode", "throw", "Unknown fault-injection point 'task.explode'", "Known points: task.process")]
    [InlineData("fault.task.process", "throw:after=ten", "'fault.task.process = throw:after=ten' is invalid", "option 'after=ten' has a malformed number")]
    [InlineData("fault.task.process", "crash:after=1", "unknown action 'crash'", "use throw or delay")]
    [InlineData("fault.storage.write", "throw:every=3", "unknown option 'every'", "use after, afterms, times")]
    [InlineData("fault.channel.send", "throw:after", "option 'after' is not name=value", "Example: 'throw:after=1000:subtask=0'")]
    [InlineData("fault.task.checkpoint", "", "it is empty", "Example:")]
    public void AMalformedFaultSettingNamesTheSettingAndShowsAnExample(string key, string value, string problem, string fix)
    {
        var env = JobTesting.Environment();
        env.Configuration[key] = value;
        var sink = new CollectSink<long>();
        env.FromSequence(1, 10).SinkTo(sink);
        AssertMentions(BuildFails(env), problem, fix);
        Assert.Empty(sink.Results);
    }

    private sealed class UsesKeyedState : ProcessFunction<long, long>
    {
        public override void Open() => RuntimeContext.GetState(new StreamShield.State.ValueStateDescriptor<long>("count"));
        public override void ProcessElement(long value, Context context, ICollector<long> output) => output.Collect(value);
    }

    [Fact]
    public void KeyedStateOnANonKeyedStreamNamesTheOperatorAndSaysToKeyIt()
    {
        var env = JobTesting.Environment();
        env.RestartStrategy = RestartStrategy.None();
        env.FromSequence(1, 10).Process(new UsesKeyedState(), "Counter").SinkTo(new CollectSink<long>());
        var error = Assert.Throws<StreamShield.Execution.JobFailedException>(() => env.Execute("keyed-state-unkeyed"));
        AssertMentions(error, "'Counter'", "keyed state 'count'", "Call KeyBy(...) before this operator");
    }

    [Fact]
    public void OperatorSettingsOnStreamsThatAreNotOperatorsFailInsteadOfBeingIgnored()
    {
        var env = JobTesting.Environment();
        var numbers = env.FromSequence(1, 10, "Numbers");
        var doubled = numbers.Map(x => x * 2, "Double");

        AssertMentions(Assert.Throws<InvalidOperationException>(() => numbers.Rebalance().SetParallelism(4)),
            "SetParallelism applies to operators", "the Rebalance partitioning of 'Numbers'", "Call SetParallelism on the operator that produces the stream");
        AssertMentions(Assert.Throws<InvalidOperationException>(() => doubled.KeyBy(x => x % 3).Name("by remainder")),
            "Name applies to operators", "the KeyBy partitioning of 'Double'");
        AssertMentions(Assert.Throws<InvalidOperationException>(() => numbers.Union(doubled).Uid("merged")),
            "Uid applies to operators", "a union of 2 streams");
        AssertMentions(Assert.Throws<InvalidOperationException>(() => doubled.Process(new UsesKeyedState(), "P").GetSideOutput(new OutputTag<long>("s")).StartNewChain()),
            "StartNewChain applies to operators", "side output 's' of 'P'");
        // On operators they apply.
        Assert.Same(doubled, doubled.SetParallelism(3).Name("Twice").Uid("twice").StartNewChain());
    }
}

/// <summary>The graph builder refuses cycles; the public API cannot build one, so the test wires one through internals.</summary>
public sealed class CyclicGraphTests
{
    [Fact]
    public void ACyclicGraphFailsAtBuildAndNamesTheOperatorsOnTheCycle()
    {
        var env = StreamEnvironment.Create();
        var source = env.FromSequence(1, 10);
        var inputs = new List<StreamShield.Graph.Transformation> { source.Transformation };
        var union = new StreamShield.Graph.UnionTransformation(env, inputs);
        var looped = new DataStream<long>(env, union).Map(x => x + 1, "Loop back");
        inputs.Add(looped.Transformation); // Union → "Loop back" → Union
        looped.SinkTo(new CollectSink<long>());
        var e = Assert.Throws<JobBuildException>(() => env.Execute("cyclic"));
        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
        Assert.Contains("'Loop back'", e.Message, StringComparison.Ordinal);
        Assert.Contains("break the cycle", e.Message, StringComparison.Ordinal);
    }
}
