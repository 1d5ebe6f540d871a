using System.Diagnostics;
using StreamShield.Runtime.Checkpointing;
using StreamShield.Runtime.Network;
using StreamShield.Runtime.State.Heap;

namespace StreamShield.Runtime.Tasks;

internal sealed partial class StreamTask
{
    /// <summary>Coordinator → source subtask: take a checkpoint now and inject its barrier.</summary>
    public void TriggerCheckpoint(long checkpointId) => Post(() =>
    {
        if (_state is TaskState.Running or TaskState.DataFinished) PerformCheckpoint(checkpointId);
    });

    public void NotifyCheckpointComplete(long checkpointId) => Post(() =>
    {
        var chain = _chain;
        if (chain is null || _state is TaskState.Failed or TaskState.Canceled) return;
        foreach (var op in chain.Operators) op.NotifyCheckpointComplete(checkpointId);
        foreach (var w in chain.Writers) w.NotifyCheckpointComplete(checkpointId);
    });

    public void NotifyCheckpointAborted(long checkpointId) => Post(() =>
    {
        var chain = _chain;
        if (chain is null || _state is TaskState.Failed or TaskState.Canceled) return;
        foreach (var op in chain.Operators) op.NotifyCheckpointAborted(checkpointId);
    });

    /// <summary>All input channels delivered the barrier (called on the subtask thread by the aligner).</summary>
    internal void OnBarriersAligned(long checkpointId) => PerformCheckpoint(checkpointId);

    internal void OnAlignmentAborted(long checkpointId) =>
        Owner.OnCheckpointDeclined(this, checkpointId, new InvalidOperationException($"Checkpoint {checkpointId} was superseded by a newer barrier during alignment in {Name}."));

    /// <summary>
    /// The synchronous part: operators bring their state up to date (sinks pre-commit), operator state is serialized,
    /// keyed state marks a version; then the barrier goes downstream and the keyed state is written asynchronously.
    /// </summary>
    private void PerformCheckpoint(long checkpointId)
    {
        var chain = _chain!;
        var start = Stopwatch.GetTimestamp();
        if (_checkpointFault is not null) Owner.Faults!.Hit(_checkpointFault, Deployment.Subtask, Owner.Attempt, $"checkpoint {checkpointId} of {Name}");
        var vertex = Deployment.Vertex;
        // Asked first: keyed state snapshots as a delta from the base checkpoint the coordinator names.
        var target = Owner.TargetOf(checkpointId);
        var operatorStates = new List<(int Index, IReadOnlyList<State.OperatorStateSnapshot> OperatorState, IKeyedStateSnapshot? Keyed)>();
        for (var i = 0; i < chain.Operators.Length; i++)
        {
            chain.Operators[i].SnapshotState(checkpointId);
            operatorStates.Add((i, chain.OperatorStates[i].Snapshot(), chain.KeyedBackends[i]?.Snapshot(checkpointId, target?.BaseCheckpointId)));
        }
        foreach (var w in chain.Writers) w.BroadcastEvent(BufferKind.Barrier, checkpointId);
        var syncDuration = Stopwatch.GetElapsedTime(start);

        var location = target?.Location;
        if (location is null)
        {
            foreach (var s in operatorStates) s.Keyed?.Dispose();
            // Aborted meanwhile, or its location never reached this process: decline, so the coordinator fails it now
            // instead of waiting for its timeout (declining one that is no longer pending changes nothing).
            Owner.OnCheckpointDeclined(this, checkpointId, new InvalidOperationException($"Checkpoint {checkpointId} has no location in {Name} (aborted, or its location was not announced)."));
            return;
        }
        var subtask = Deployment.Subtask;
        var attempt = Owner.Attempt;
        var faults = Owner.Faults;
        var snapshotFault = _snapshotFault;
        Owner.RunAsync(() =>
        {
            var asyncStart = Stopwatch.GetTimestamp();
            var states = new List<OperatorSubtaskState>();
            var files = new List<StateFileInfo>();
            long bytes = 0;
            try
            {
                if (snapshotFault is not null) faults!.Hit(snapshotFault, subtask, attempt, $"state snapshot {checkpointId} of {Name}");
                foreach (var (index, opState, keyed) in operatorStates)
                {
                    var co = vertex.Operators[index];
                    KeyedStateHandle? handle = null;
                    if (keyed is not null)
                    {
                        var fileName = $"{Sanitize(co.Uid)}-{subtask}.kstate";
                        Dictionary<int, (long, int)> offsets;
                        ulong checksum;
                        long length;
                        using (var stream = Owner.Storage.CreateStateFile(location, fileName))
                        {
                            offsets = keyed.WriteTo(stream);
                            length = stream.Length;
                            checksum = stream is ChecksummingStream cs ? cs.Checksum : 0;
                        }
                        var path = Path.GetFullPath(Path.Combine(location, fileName));
                        if (checksum == 0) checksum = Checksum.OfFile(path, out length);
                        bytes += length;
                        // The chain names this file and, for an incremental snapshot, files of older checkpoints.
                        var chain = keyed.Complete(path, length, checksum, offsets);
                        var names = chain.Files.Keys.ToList();
                        var fileIndex = names.Select((f, n) => (f, n)).ToDictionary(x => x.f, x => x.n, StringComparer.Ordinal);
                        foreach (var f in names) files.Add(new StateFileInfo(Path.GetRelativePath(location, f), chain.Files[f].Length, chain.Files[f].Checksum));
                        handle = new KeyedStateHandle(keyed.Range, names.Select(f => Path.GetRelativePath(location, f)).ToList(),
                            chain.KeyGroups.ToDictionary(kv => kv.Key,
                                kv => (IReadOnlyList<KeyGroupSegment>)kv.Value.Select(s => new KeyGroupSegment(fileIndex[s.File], s.Offset, s.Length)).ToList()));
                    }
                    bytes += opState.Sum(s => s.Entries.Sum(e => (long)e.Length));
                    states.Add(new OperatorSubtaskState(co.Uid, subtask, vertex.Parallelism, vertex.MaxParallelism, opState, handle));
                }
                Owner.OnCheckpointAcknowledged(this, checkpointId,
                    new TaskCheckpointAck(states, files, bytes, syncDuration, Stopwatch.GetElapsedTime(asyncStart)));
            }
            catch (Exception e)
            {
                Owner.OnCheckpointDeclined(this, checkpointId, e);
            }
            finally
            {
                foreach (var s in operatorStates) s.Keyed?.Dispose();
            }
        });
    }

    internal static string Sanitize(string s) => string.Concat(s.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
