using System.Diagnostics;
using StreamShield.Functions;
using StreamShield.Runtime.State;
using StreamShield.Runtime.State.Heap;
using StreamShield.Serialization;
using StreamShield.State;
using StreamShield.State.Internal;
using StreamShield.Windowing;

namespace StreamShield.Bench;

/// <summary>Micro-measurements of the keyed state and timer paths a window operator uses per record (diagnostics).</summary>
internal static class Micro
{
    private sealed class Count : IAggregateFunction<long, long, long>
    {
        public long CreateAccumulator() => 0;
        public long Add(long value, long accumulator) => accumulator + 1;
        public long GetResult(long accumulator) => accumulator;
        public long Merge(long a, long b) => a + b;
    }

    private sealed class Target : ITimerTarget<long, TimeWindow>
    {
        public long Fired;
        public void OnEventTime(long key, TimeWindow ns, long timestamp) => Fired++;
        public void OnProcessingTime(long key, TimeWindow ns, long timestamp) { }
    }

    private sealed class Target2 : ITimerTarget<long, VoidNamespace>
    {
        public long Fired;
        public void OnEventTime(long key, VoidNamespace ns, long timestamp) => Fired++;
        public void OnProcessingTime(long key, VoidNamespace ns, long timestamp) { }
    }

    public static string Run()
    {
        var backend = new HeapKeyedStateBackend<long>("micro", 128, new KeyGroupRange(0, 127), TypeSerializers.For<long>(), () => 0, (_, _) => { });
        var factory = new KeyedStateFactory<long, TimeWindow>(backend, StreamShield.Operators.Windowing.TimeWindowSerializer.Instance, () => 0);
        var agg = factory.Aggregating(new AggregatingStateDescriptor<long, long, long>("agg", new Count()));
        var target = new Target();
        var timers = backend.GetTimerService("t", StreamShield.Operators.Windowing.TimeWindowSerializer.Instance, target);
        const int N = 2_000_000;
        var sw = Stopwatch.StartNew();
        for (long n = 0; n < N; n++) backend.SetCurrentKey(n % 10_000);
        var tKey = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        for (long n = 0; n < N; n++)
        {
            backend.SetCurrentKey(n % 10_000);
            agg.Namespace = new TimeWindow(n / 1_000_000 * 1000, n / 1_000_000 * 1000 + 1000);
            agg.Add(n);
        }
        var tState = sw.Elapsed.TotalMilliseconds - tKey;
        sw.Restart();
        for (long n = 0; n < N; n++)
        {
            backend.SetCurrentKey(n % 10_000);
            var w = new TimeWindow(n / 1_000_000 * 1000, n / 1_000_000 * 1000 + 1000);
            timers.RegisterEventTimeTimer(w, w.MaxTimestamp);
        }
        var tTimers = sw.Elapsed.TotalMilliseconds - tKey;
        var vt = new Target2();
        var vtimers = backend.GetTimerService("v", VoidNamespaceSerializer.Instance, vt);
        sw.Restart();
        for (long n = 0; n < N; n++)
        {
            var e = Jobs.EventAt(n);
            backend.SetCurrentKey(e.Key);
            vtimers.RegisterEventTimeTimer(VoidNamespace.Instance, e.Timestamp / 1000 * 1000 + 999);
            if (n % 200_000 == 0) backend.AdvanceWatermark(e.Timestamp - 1);
        }
        var tVoid = sw.Elapsed.TotalMilliseconds;
        Console.WriteLine($"void-namespace timers with watermarks: {tVoid * 1e6 / N:0} ns per record, fired {vt.Fired}");
        sw.Restart();
        backend.AdvanceWatermark(long.MaxValue);
        var tFire = sw.Elapsed.TotalMilliseconds;
        return $"per record: key {tKey * 1e6 / N:0} ns, aggregating state {tState * 1e6 / N:0} ns, timer registration {tTimers * 1e6 / N:0} ns; firing {target.Fired} timers {tFire:0} ms";
    }
}
