using StreamShield.Runtime.Tasks;

namespace StreamShield.Cluster.Coordinator;

/// <summary>
/// One deployment of a group of a job's subtasks onto worker slots (the whole graph under full restart, one
/// pipelined region under region failover): where each subtask runs, their reported states, and which workers
/// still hold resources of it. Reports for an attempt that is over are ignored.
/// </summary>
internal sealed class ClusterAttempt
{
    private readonly Dictionary<SubtaskId, RemoteSubtask> _subtasks = new();
    private readonly HashSet<WorkerSession> _holding;
    private readonly Dictionary<WorkerSession, int> _slots;
    private readonly object _lock = new();

    /// <param name="attempt">The job's attempt number (increases with every deployment).</param>
    /// <param name="group">The subtasks deployed together.</param>
    /// <param name="slotOwners">The worker of each slot-sharing group (by subtask index) the group uses.</param>
    public ClusterAttempt(int attempt, IReadOnlyList<Runtime.Graph.ExecutionVertex> group, IReadOnlyDictionary<int, WorkerSession> slotOwners)
    {
        Attempt = attempt;
        Group = group;
        foreach (var ev in group)
        {
            var worker = slotOwners[ev.Subtask];
            _subtasks[ev.Id] = new RemoteSubtask(this, ev.Id, ev.Name, ev.Vertex.IsSource, ev.Vertex.Outputs.Count == 0, worker);
        }
        _slots = slotOwners.Values.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());
        _holding = _slots.Keys.ToHashSet();
        foreach (var (w, n) in _slots) w.UseSlots(n);
    }

    public int Attempt { get; }
    public IReadOnlyList<Runtime.Graph.ExecutionVertex> Group { get; }

    /// <summary>Unique across attempts and runs: names of sink files and transactions derive from it.</summary>
    public string AttemptId { get; } = $"{Guid.NewGuid():N}"[..10];
    public IReadOnlyCollection<RemoteSubtask> Subtasks => _subtasks.Values;
    public IReadOnlyCollection<WorkerSession> Workers => _slots.Keys;
    public volatile bool Over;
    /// <summary>1 once the attempt's counters were added to the job's totals.</summary>
    public int Accounted;
    public readonly ManualResetEventSlim AllReleased = new(false);

    public RemoteSubtask? Find(int vertexId, int subtask) => _subtasks.GetValueOrDefault(new SubtaskId(vertexId, subtask));

    public bool Uses(WorkerSession worker) => _slots.ContainsKey(worker);

    /// <summary>A worker released the attempt's subtasks (or died): its slots are free again. True when no worker holds any.</summary>
    public bool Release(WorkerSession worker)
    {
        lock (_lock)
        {
            if (!_holding.Remove(worker)) return _holding.Count == 0;
            worker.FreeSlotsUsed(_slots[worker]);
            if (_holding.Count == 0) AllReleased.Set();
            return _holding.Count == 0;
        }
    }

    public bool AllIn(params TaskState[] states) => _subtasks.Values.All(s => states.Contains(s.State));
}
