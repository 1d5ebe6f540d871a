using StreamShield.EventTime;
using StreamShield.Execution;
using StreamShield.Functions;
using StreamShield.Sinks;
using StreamShield.State;

namespace StreamShield.Tests.Checkpointing;

/// <summary>
/// The golden job of the checkpointing tests: sequence numbers 0..N-1 (event time = the number) keyed by n % Keys into
/// a <see cref="KeyedProcessFunction{TKey,TIn,TOut}"/> with keyed value and map state, event-time timers per key and
/// bucket and one per key at the end of input, and operator list state (records processed by the subtask, through
/// <see cref="ICheckpointedFunction"/>), into the transactional <see cref="FileSink{T}"/>. Every operator has a fixed
/// uid, so a rebuilt job restores the same state. The expected output is computed without the engine.
/// </summary>
/// <remarks>
/// Output lines: <c>r,{n}</c> per record; <c>t,{key},{bucket},{count}</c> when a bucket's timer fires;
/// <c>k,{key},{count},{sum}</c> per key at the end of input; <c>op,{processed}</c> once per subtask at the end of
/// input with the operator list state's total (these sum to N however state was split across rescales).
/// </remarks>
internal sealed class CountingJob(long records, double recordsPerSecond, string output)
{
    public const int Keys = 37;
    public const long BucketSize = 500;
    public const string KeyedUid = "counter";

    public long Records => records;
    public string Output => output;

    public void Build(StreamEnvironment env, string keyedUid = KeyedUid)
    {
        env.AutoWatermarkInterval = TimeSpan.FromMilliseconds(10);
        env.FromGenerator(n => n, records, recordsPerSecond,
                WatermarkStrategy<long>.ForMonotonousTimestamps().WithTimestampAssigner(n => n), "numbers").Uid("numbers")
            .Map(n => new Keyed(n % Keys, n), "to-keyed").Uid("to-keyed")
            .KeyBy(k => k.Key)
            .Process(new CountPerKey(), "count-per-key").Uid(keyedUid)
            .SinkTo(new FileSink<string>(output), "file-sink").Uid("file-sink");
    }

    /// <summary>The fault-free output without the <c>op,</c> lines (whose split depends on the parallelism), computed with LINQ.</summary>
    public IReadOnlyList<string> ExpectedLines()
    {
        var lines = new List<string>();
        for (long n = 0; n < records; n++) lines.Add($"r,{n}");
        var all = Enumerable.Range(0, checked((int)records)).Select(n => (long)n).ToList();
        foreach (var g in all.GroupBy(n => n % Keys))
        {
            lines.Add($"k,{g.Key},{g.Count()},{g.Sum()}");
            foreach (var b in g.GroupBy(n => n / BucketSize)) lines.Add($"t,{g.Key},{b.Key},{b.Count()}");
        }
        return lines;
    }

    /// <summary>
    /// Compares committed lines with the fault-free output: every expected line exactly once, nothing else, and the
    /// <c>op,</c> totals summing to the record count. Returns a description of the differences, or null.
    /// </summary>
    public string? Diff(IReadOnlyList<string> committed)
    {
        var expected = ExpectedLines();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in expected) counts[e] = counts.GetValueOrDefault(e) + 1;
        var unexpected = new List<string>();
        long opTotal = 0;
        var opLines = 0;
        foreach (var line in committed)
        {
            if (line.StartsWith("op,", StringComparison.Ordinal))
            {
                opTotal += long.Parse(line[3..], System.Globalization.CultureInfo.InvariantCulture);
                opLines++;
                continue;
            }
            var left = counts.GetValueOrDefault(line);
            if (left > 0) counts[line] = left - 1;
            else unexpected.Add(line);
        }
        var missing = counts.Where(kv => kv.Value > 0).Select(kv => kv.Key).ToList();
        if (missing.Count == 0 && unexpected.Count == 0 && opTotal == records && opLines > 0) return null;
        return $"committed {committed.Count} lines for {expected.Count} expected (+op lines): missing {missing.Count} (e.g. {string.Join("; ", missing.Take(5))}), " +
               $"unexpected or duplicated {unexpected.Count} (e.g. {string.Join("; ", unexpected.Take(5))}), operator list state total {opTotal} in {opLines} op lines (expected {records})";
    }

    public readonly record struct Keyed(long Key, long Value);

    /// <summary>Counts per key and per (key, bucket) in keyed state; counts processed records per subtask in operator list state.</summary>
    private sealed class CountPerKey : KeyedProcessFunction<long, Keyed, string>, ICheckpointedFunction
    {
        private const long EndOfInput = long.MaxValue - 1;
        private IValueState<long> _count = null!;
        private IValueState<long> _sum = null!;
        private IMapState<long, long> _buckets = null!;
        private IOperatorListState<long> _processedState = null!;
        private long _carried;
        private long _processed;
        private bool _reported;

        public void InitializeState(IOperatorStateStore store, bool isRestored)
        {
            _processedState = store.GetListState<long>("processed");
            // After a rescale this subtask may hold any number of the old subtasks' entries (split redistribution).
            _carried = isRestored ? _processedState.Get().Sum() : 0;
        }

        public void SnapshotState(long checkpointId) => _processedState.Update([_carried + _processed]);

        public override void Open()
        {
            _count = RuntimeContext.GetState(new ValueStateDescriptor<long>("count"));
            _sum = RuntimeContext.GetState(new ValueStateDescriptor<long>("sum"));
            _buckets = RuntimeContext.GetMapState(new MapStateDescriptor<long, long>("buckets"));
        }

        public override void ProcessElement(Keyed value, Context context, ICollector<string> output)
        {
            if (_count.Value == 0) context.TimerService.RegisterEventTimeTimer(EndOfInput);
            _count.Update(_count.Value + 1);
            _sum.Update(_sum.Value + value.Value);
            var bucket = value.Value / BucketSize;
            if (!_buckets.TryGetValue(bucket, out var inBucket))
            {
                inBucket = 0;
                context.TimerService.RegisterEventTimeTimer((bucket + 1) * BucketSize - 1);
            }
            _buckets.Put(bucket, inBucket + 1);
            _processed++;
            output.Collect($"r,{value.Value}");
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<string> output)
        {
            if (timestamp == EndOfInput)
            {
                output.Collect($"k,{context.CurrentKey},{_count.Value},{_sum.Value}");
                if (!_reported)
                {
                    _reported = true;
                    output.Collect($"op,{_carried + _processed}");
                }
                return;
            }
            var bucket = (timestamp + 1) / BucketSize - 1;
            _buckets.TryGetValue(bucket, out var inBucket);
            _buckets.Remove(bucket);
            output.Collect($"t,{context.CurrentKey},{bucket},{inBucket}");
        }
    }
}

/// <summary>Helpers to drive embedded jobs from tests.</summary>
internal static class JobDriver
{
    /// <summary>Waits (polling, bounded by a generous guard) until <paramref name="condition"/> holds for the running job.</summary>
    public static async Task WaitUntil(IJobClient client, Func<IJobClient, bool> condition, string what)
    {
        var guard = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition(client))
        {
            if (client.Completion.IsCompleted)
                throw new InvalidOperationException($"The job ended ({client.Status}) before {what}.\n{Describe(client.Timeline)}");
            if (DateTime.UtcNow > guard)
                throw new TimeoutException($"Gave up waiting for {what}.\n{Describe(client.Timeline)}");
            await Task.Delay(5);
        }
    }

    /// <summary>Cancels the job and waits until it ended.</summary>
    public static Task<JobExecutionResult> CancelAndWait(IJobClient client)
    {
        client.Cancel();
        return Completed(client);
    }

    /// <summary>Waits for the job to end; a job still running after a generous guard is cancelled and reported with its timeline.</summary>
    public static async Task<JobExecutionResult> Completed(IJobClient client)
    {
        try
        {
            return await client.Completion.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            client.Cancel();
            throw new TimeoutException($"The job '{client.JobName}' did not end ({client.Status}).\n{Describe(client.Timeline)}");
        }
    }

    public static string Describe(IEnumerable<JobEvent> timeline) =>
        string.Join("\n", timeline.Select(e => $"  {e.Time:HH:mm:ss.fff} {e.Kind}: {e.Message}"));
}
