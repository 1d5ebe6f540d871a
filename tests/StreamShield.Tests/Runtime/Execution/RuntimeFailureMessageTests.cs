using StreamShield.Execution;
using StreamShield.Functions;
using StreamShield.Operators;
using StreamShield.Sinks;
using StreamShield.State;
using StreamShield.Tests.Api;

namespace StreamShield.Tests.Runtime.Execution;

/// <summary>
/// Bad records and failing user code fail the job through its restart strategy, with a message that names the
/// operator, says what was wrong and how to fix it, and (for user code) which record of which subtask failed.
/// </summary>
public sealed class RuntimeFailureMessageTests
{
    private static JobFailedException Fails(StreamEnvironment env, string name)
    {
        env.RestartStrategy = RestartStrategy.None();
        return Assert.Throws<JobFailedException>(() => env.Execute(name));
    }

    private static void AssertMentions(Exception error, params string[] fragments)
    {
        foreach (var f in fragments) Assert.True(error.Message.Contains(f, StringComparison.Ordinal), $"'{f}' is missing from: {error.Message}");
    }

    public sealed record Ev(string? Key, int Value);

    private static List<Ev> EventsWithANullKey() =>
        Enumerable.Range(0, 100).Select(i => new Ev(i == 57 ? null : "k" + i % 5, i)).ToList();

    [Theory]
    [InlineData(1)] // one consumer channel: the keyed operator itself meets the null key
    [InlineData(3)] // several: the producer's key-group partitioner meets it
    public void ANullKeyFailsTheJobNamingTheKeyedOperatorAndTheRule(int keyedParallelism)
    {
        var env = JobTesting.Environment(parallelism: 1);
        var sink = new CollectSink<int>();
        env.FromCollection(EventsWithANullKey())
            .KeyBy(e => e.Key!)
            .Process(new SumValues(), "SumPerKey").SetParallelism(keyedParallelism)
            .SinkTo(sink);
        var error = Fails(env, "null-key");

        AssertMentions(error, "SumPerKey", "Keys must not be null", "filter those records out before KeyBy");
        Assert.IsType<KeySelectorException>(error.InnerException);
        Assert.Empty(sink.Results);
    }

    private sealed class SumValues : KeyedProcessFunction<string, Ev, int>
    {
        public override void ProcessElement(Ev value, Context context, ICollector<int> output) => output.Collect(value.Value);
    }

    [Fact]
    public void ANullKeyInRollingReduceNamesTheReduce()
    {
        var env = JobTesting.Environment(parallelism: 1);
        env.FromCollection(EventsWithANullKey()).KeyBy(e => e.Key!).Reduce((a, b) => a with { Value = a.Value + b.Value }, "ReduceByKey").SinkTo(new CollectSink<Ev>());
        AssertMentions(Fails(env, "null-key-reduce"), "ReduceByKey", "Keys must not be null");
    }

    [Theory]
    [InlineData(false)] // the map runs in the source's chain
    [InlineData(true)]  // the map runs in its own subtask behind a channel
    public void UserCodeExceptionNamesOperatorSubtaskAndTheFailingRecordsPosition(bool ownSubtask)
    {
        var env = JobTesting.Environment(parallelism: 1);
        var mapped = env.FromSequence(1, 100)
            .Map(x => x == 37 ? throw new InvalidOperationException($"cannot map {x}") : x * 2, "Doubler");
        if (ownSubtask) mapped.StartNewChain();
        mapped.SinkTo(new CollectSink<long>());
        var error = Fails(env, "user-code");

        var failure = Assert.IsType<UserFunctionException>(error.InnerException);
        Assert.Equal("Doubler", failure.OperatorName);
        Assert.Equal(0, failure.Subtask);
        Assert.Equal(37, failure.RecordPosition);
        Assert.IsType<InvalidOperationException>(failure.InnerException);
        AssertMentions(error, "operator 'Doubler'", "(subtask 0)", "input record #37", "InvalidOperationException: cannot map 37");
    }

    [Fact]
    public void UserCodeExceptionAfterAFlatMapCountsTheSubtasksInputRecords()
    {
        var env = JobTesting.Environment(parallelism: 1);
        env.FromSequence(1, 50)
            .FlatMap(x => new[] { x, -x })
            .Filter(x => x == -20 ? throw new ArgumentException("bad value") : true, "Picky")
            .SinkTo(new CollectSink<long>());
        var error = Fails(env, "user-code-chain");

        var failure = Assert.IsType<UserFunctionException>(error.InnerException);
        Assert.Equal("Picky", failure.OperatorName);
        Assert.Equal(20, failure.RecordPosition); // the 20th record read by the subtask (its source's 20th) produced it
    }

    [Fact]
    public void UserCodeExceptionInAKeyedProcessFunctionNamesItsSubtask()
    {
        var env = JobTesting.Environment(parallelism: 1);
        env.FromSequence(0, 99).KeyBy(x => x % 4).Process(new FailOn(63), "Strict").SetParallelism(2).SinkTo(new CollectSink<long>());
        var error = Fails(env, "user-code-keyed");

        var failure = Assert.IsType<UserFunctionException>(error.InnerException);
        Assert.Equal("Strict", failure.OperatorName);
        // The subtask owning key 63 % 4 = 3 received the keys 3, 7, ..., 63 (and possibly others) before failing.
        Assert.True(failure.RecordPosition >= 16, $"position {failure.RecordPosition}");
        AssertMentions(error, "operator 'Strict'", $"(subtask {failure.Subtask})", $"input record #{failure.RecordPosition}", "no 63 please");
    }

    private sealed class FailOn(long bad) : KeyedProcessFunction<long, long, long>
    {
        public override void ProcessElement(long value, Context context, ICollector<long> output)
        {
            if (value == bad) throw new InvalidDataException($"no {bad} please");
            output.Collect(value);
        }
    }

    [Fact]
    public void AThrowingKeySelectorNamesTheKeyedOperator()
    {
        var env = JobTesting.Environment(parallelism: 1);
        env.FromSequence(1, 100).Map(x => x, "Upstream")
            .KeyBy<long>(x => x == 42 ? throw new FormatException("unparsable key") : x % 3)
            .Process(new FailOn(-1), "ByKey").SetParallelism(2)
            .SinkTo(new CollectSink<long>());
        var error = Fails(env, "throwing-key-selector");

        AssertMentions(error, "ByKey", "key selector", "FormatException: unparsable key");
    }

    [Fact]
    public void ACustomPartitionerReturningAnInvalidChannelNamesTheConsumerAndTheRange()
    {
        var env = JobTesting.Environment(parallelism: 1);
        env.FromSequence(1, 100)
            .PartitionCustom<long>((key, n) => key == 10 ? n : (int)(key % n), x => x)
            .Map(x => x, "Target").SetParallelism(3)
            .SinkTo(new CollectSink<long>());
        var error = Fails(env, "custom-partitioner");

        AssertMentions(error, "'Target", "returned channel 3", "there are 3", "return a value in [0, 3)");
    }

    private sealed class ThrowsOnClose : ProcessFunction<long, long>
    {
        public override void ProcessElement(long value, Context context, ICollector<long> output) => output.Collect(value);
        public override void Close() => throw new IOException("cannot flush the connection");
    }

    [Fact]
    public void AnExceptionInCloseFailsTheJobNamingTheOperatorInsteadOfCrashingTheProcess()
    {
        var env = JobTesting.Environment(parallelism: 2);
        env.FromSequence(1, 100).Process(new ThrowsOnClose(), "Closer").SinkTo(new CollectSink<long>());
        var error = Fails(env, "close-throws");

        var failure = Assert.IsType<UserFunctionException>(error.InnerException);
        Assert.Equal("Closer", failure.OperatorName);
        AssertMentions(error, "operator 'Closer'", "IOException: cannot flush the connection");
    }

    private sealed class FailingCheckpointedFunction(bool failInInitialize) : ProcessFunction<long, long>, ICheckpointedFunction
    {
        public void InitializeState(IOperatorStateStore store, bool isRestored)
        {
            if (failInInitialize) throw new InvalidOperationException("state store unavailable");
        }

        public void SnapshotState(long checkpointId) => throw new InvalidOperationException($"cannot snapshot checkpoint {checkpointId}");

        public override void ProcessElement(long value, Context context, ICollector<long> output) => output.Collect(value);
    }

    [Theory]
    [InlineData(true, "state store unavailable")]
    [InlineData(false, "cannot snapshot checkpoint")]
    public void AnExceptionInOperatorStateHooksNamesTheOperator(bool failInInitialize, string message)
    {
        var env = JobTesting.Environment(parallelism: 1);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(10));
        env.FromGenerator(n => n, count: 2000, recordsPerSecond: 10_000)
            .Process(new FailingCheckpointedFunction(failInInitialize), "Stateful")
            .SinkTo(new CollectSink<long>());
        var error = Fails(env, "state-hooks");

        var failure = Assert.IsType<UserFunctionException>(error.InnerException);
        Assert.Equal("Stateful", failure.OperatorName);
        AssertMentions(error, "operator 'Stateful'", $"InvalidOperationException: {message}");
    }

    private sealed class TwoTagsOneId : ProcessFunction<long, long>
    {
        public override void ProcessElement(long value, Context context, ICollector<long> output)
        {
            context.Output(new OutputTag<string>("extra"), $"s{value}");
            if (value == 5) context.Output(new OutputTag<int>("extra"), (int)value);
        }
    }

    [Fact]
    public void OutputTagsOfDifferentTypesSharingAnIdFailNamingTheTagAndTheFix()
    {
        var env = JobTesting.Environment(parallelism: 1);
        var strings = new CollectSink<string>();
        env.FromSequence(1, 10).Process(new TwoTagsOneId(), "Tagger").GetSideOutput(new OutputTag<string>("extra")).SinkTo(strings);
        var error = Fails(env, "tag-clash");

        var failure = Assert.IsType<UserFunctionException>(error.InnerException);
        Assert.Equal("Tagger", failure.OperatorName);
        Assert.Equal(5, failure.RecordPosition);
        AssertMentions(error, "Side output 'extra'", "System.Int32", "System.String", "Give each its own id");
    }

    [Fact]
    public void A_throwing_user_function_keeps_its_whole_exception_in_the_timeline_and_the_result()
    {
        var env = JobTesting.Environment(parallelism: 1);
        env.RestartStrategy = RestartStrategy.None();
        env.FromSequence(1, 100).Map(n => ParsePrice(n), "ParsePrices").SinkTo(new CollectSink<long>());
        var result = JobTesting.Run(env, "stack-trace");

        var failed = Assert.Single(result.Timeline, e => e.Kind == JobEventKind.TaskFailed);
        Assert.DoesNotContain('\n', failed.Message); // the summary stays one line
        Assert.Contains("ParsePrices", failed.Message);
        var detail = failed.Detail ?? "";
        // Type, message, the user's frames, and the inner exception with its own message.
        Assert.Contains(typeof(UserFunctionException).FullName!, detail);
        Assert.Contains("price of record 42 is not a number", detail);
        Assert.Contains(nameof(ParsePrice), detail);
        Assert.Contains("---> System.FormatException: not a number", detail);
        Assert.Contains(nameof(ParsePrice), result.Failure?.ToString());
    }

    private static long ParsePrice(long n) =>
        n == 42 ? throw new InvalidOperationException($"price of record {n} is not a number", new FormatException("not a number")) : n;
}

