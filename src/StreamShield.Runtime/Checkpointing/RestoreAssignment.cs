using StreamShield.Runtime.State;
using StreamShield.Runtime.Tasks;

namespace StreamShield.Runtime.Checkpointing;

/// <summary>
/// Maps a checkpoint's state onto the subtasks of a (possibly rescaled) job: keyed state by key group into the
/// new key-group ranges; operator list state split among, or (union/broadcast) given to, the new subtasks.
/// </summary>
internal sealed class RestoreAssignment(CheckpointLoader.Loaded checkpoint)
{
    private readonly ILookup<string, OperatorSubtaskState> _byUid = checkpoint.Metadata.States.ToLookup(s => s.OperatorUid);

    public long CheckpointId => checkpoint.Metadata.CheckpointId;
    public string Location => checkpoint.Location;
    public IEnumerable<string> OperatorUids => _byUid.Select(g => g.Key);

    public RestoredOperatorState? For(string uid, string operatorName, int subtask, int parallelism, int maxParallelism)
    {
        var old = _byUid[uid].OrderBy(s => s.Subtask).ToList();
        if (old.Count == 0) return null;
        CheckMaxParallelism(uid, operatorName, maxParallelism);

        var range = KeyGroupRangeAssignment.RangeFor(maxParallelism, parallelism, subtask);
        var keyGroups = new List<(int, Func<IReadOnlyList<byte[]>>)>();
        foreach (var s in old)
        {
            if (s.Keyed is not { } handle) continue;
            var files = handle.Files.Select(f => Path.Combine(checkpoint.Location, f)).ToList();
            foreach (var (kg, segments) in handle.KeyGroups)
                if (range.Contains(kg)) keyGroups.Add((kg, () => segments.Select(seg => ReadSegment(files[seg.File], seg.Offset, seg.Length)).ToList()));
        }

        var operatorState = new Dictionary<string, OperatorStateSnapshot>(StringComparer.Ordinal);
        foreach (var name in old.SelectMany(s => s.OperatorState).Select(o => o.Name).Distinct())
        {
            var perSubtask = old.Select(s => s.OperatorState.FirstOrDefault(o => o.Name == name)).ToList();
            var mode = perSubtask.First(p => p is not null)!.Mode;
            IReadOnlyList<byte[]> entries = mode switch
            {
                OperatorStateMode.Union => perSubtask.Where(p => p is not null).SelectMany(p => p!.Entries).ToList(),
                OperatorStateMode.Broadcast => perSubtask.First(p => p is not null)!.Entries,
                _ when old.Count == parallelism && old[subtask].Subtask == subtask => perSubtask[subtask]?.Entries ?? Array.Empty<byte[]>(),
                _ => perSubtask.Where(p => p is not null).SelectMany(p => p!.Entries).Where((_, i) => i % parallelism == subtask).ToList(),
            };
            operatorState[name] = new OperatorStateSnapshot(name, mode, entries);
        }
        return new RestoredOperatorState(operatorState, keyGroups);
    }

    /// <summary>Throws if the operator's keyed state was checkpointed with another max parallelism (its key groups would not match).</summary>
    public void CheckMaxParallelism(string uid, string operatorName, int maxParallelism)
    {
        var old = _byUid[uid].FirstOrDefault(s => s.Keyed is not null);
        if (old is not null && old.MaxParallelism != maxParallelism)
            throw new JobBuildException($"Operator '{operatorName}' (uid '{uid}') was checkpointed with max parallelism {old.MaxParallelism} but the job now has {maxParallelism}. Max parallelism fixes the key groups and cannot change across a restore; set StreamEnvironment.MaxParallelism back to {old.MaxParallelism}.");
    }

    private static byte[] ReadSegment(string file, long offset, int length)
    {
        using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        fs.Seek(offset, SeekOrigin.Begin);
        var data = new byte[length];
        fs.ReadExactly(data);
        return data;
    }
}
