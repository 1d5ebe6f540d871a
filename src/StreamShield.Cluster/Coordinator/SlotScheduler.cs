namespace StreamShield.Cluster.Coordinator;

/// <summary>
/// Places a job's subtasks on worker slots with slot sharing, as Flink does by default: slot i holds subtask i of
/// every vertex, so a job needs as many slots as its widest vertex. Slots are taken spreading over workers
/// (most free slots first), so that losing one worker loses as little of the job as possible.
/// </summary>
internal static class SlotScheduler
{
    /// <summary>The worker for each slot-sharing group 0..required-1, or null if the free slots are not enough.</summary>
    public static IReadOnlyList<WorkerSession>? Place(int required, IReadOnlyCollection<WorkerSession> workers)
    {
        var free = workers.Where(w => w.IsAlive).ToDictionary(w => w, w => w.FreeSlots);
        if (free.Values.Sum() < required) return null;
        var placement = new List<WorkerSession>(required);
        for (var group = 0; group < required; group++)
        {
            var best = free.Where(kv => kv.Value > 0).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Id, StringComparer.Ordinal).First().Key;
            free[best]--;
            placement.Add(best);
        }
        return placement;
    }
}
