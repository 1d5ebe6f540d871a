using StreamShield.Runtime.State;
using StreamShield.Runtime.State.Heap;
using StreamShield.Serialization;
using StreamShield.State.Internal;

namespace StreamShield.Bench;

/// <summary>Memory of keyed heap state against a plain Dictionary holding the same keys and values, side by side.</summary>
internal static class StateMemory
{
    public static string Compare(int keys)
    {
        var before = Settle();
        var dict = new Dictionary<long, long>();
        for (long k = 0; k < keys; k++) dict[k] = k;
        var dictBytes = Settle() - before;

        before = Settle();
        var backend = new HeapKeyedStateBackend<long>("bench", 128, new KeyGroupRange(0, 127), TypeSerializers.For<long>(), () => 0, (_, _) => { });
        var table = backend.GetOrCreateTable("count", VoidNamespaceSerializer.Instance, TypeSerializers.For<long>());
        for (long k = 0; k < keys; k++)
        {
            backend.SetCurrentKey(k);
            table.Put(VoidNamespace.Instance, k);
        }
        var stateBytes = Settle() - before;
        GC.KeepAlive(dict);
        GC.KeepAlive(table);
        return $"Keyed heap state, {keys:N0} long keys → long values: {stateBytes / 1048576.0:0.0} MiB; Dictionary<long,long>: {dictBytes / 1048576.0:0.0} MiB; ratio {(double)stateBytes / dictBytes:0.00}x (target ≤ 2x).";
    }

    private static long Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true);
    }
}
