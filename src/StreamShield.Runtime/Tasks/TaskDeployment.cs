using StreamShield.Runtime.Checkpointing;
using StreamShield.Runtime.Execution;
using StreamShield.Runtime.Graph;
using StreamShield.Runtime.Network;
using StreamShield.Runtime.State;

namespace StreamShield.Runtime.Tasks;

/// <summary>Identifies a subtask within a job: its vertex and parallel index.</summary>
internal readonly record struct SubtaskId(int VertexId, int Subtask);

/// <summary>State to restore into one operator of a subtask.</summary>
internal sealed record RestoredOperatorState(
    IReadOnlyDictionary<string, OperatorStateSnapshot> OperatorState,
    IReadOnlyList<(int KeyGroup, Func<IReadOnlyList<byte[]>> Load)> KeyGroups);

/// <summary>Everything a subtask needs to run: its place in the graph, its channels, its restored state.</summary>
internal sealed class TaskDeployment(
    JobVertex vertex, int subtask, LocalChannel[][] inputChannels, OutputChannel[][] outputChannels, TaskSignal signal,
    Func<string, RestoredOperatorState?> restore, bool isRestored, string spillDirectory, long retainedOutputMemoryLimit, long retainedOutputSpillLimit = 0)
{
    public JobVertex Vertex { get; } = vertex;
    public int Subtask { get; } = subtask;
    public SubtaskId Id { get; } = new(vertex.Id, subtask);
    /// <summary>Per input edge of the vertex (same order as <see cref="JobVertex.Inputs"/>): the channels from each producer subtask.</summary>
    public LocalChannel[][] InputChannels { get; } = inputChannels;
    /// <summary>Per output edge (same order as <see cref="JobVertex.Outputs"/>): the channels to each consumer subtask.</summary>
    public OutputChannel[][] OutputChannels { get; } = outputChannels;
    public TaskSignal Signal { get; } = signal;
    public Func<string, RestoredOperatorState?> Restore { get; } = restore;
    public bool IsRestored { get; } = isRestored;
    public string SpillDirectory { get; } = spillDirectory;
    /// <summary>Memory per channel for retained output before spilling; 0 turns retention off.</summary>
    public long RetainedOutputMemoryLimit { get; } = retainedOutputMemoryLimit;
    /// <summary>Disk per channel for retained output past the memory limit; 0 keeps it in memory only (abandoned past the limit until the next checkpoint).</summary>
    public long RetainedOutputSpillLimit { get; } = retainedOutputSpillLimit;
    public string Name { get; } = $"{vertex.Name} ({subtask + 1}/{vertex.Parallelism})";
    /// <summary>Whether keyed state may be snapshotted incrementally (<see cref="Execution.JobSettings.IncrementalKey"/>).</summary>
    public bool IncrementalSnapshots { get; init; } = true;

    /// <summary>
    /// The deployment of subtask <paramref name="ev"/>: its channels per edge in subtask order (the order partitioners
    /// index into), taken from <paramref name="inputOf"/> and <paramref name="outputOf"/> (in-memory channels
    /// embedded; remote ones on a cluster), and its share of <paramref name="restore"/>.
    /// </summary>
    public static TaskDeployment Create(ExecutionVertex ev, Func<ExecutionChannel, LocalChannel> inputOf, Func<ExecutionChannel, OutputChannel> outputOf,
        TaskSignal signal, RestoreAssignment? restore, JobSettings settings)
    {
        var vertex = ev.Vertex;
        var subtask = ev.Subtask;
        var inputs = vertex.Inputs.Select(e => ev.Inputs.Where(c => c.Edge == e).OrderBy(c => c.Producer.Subtask).Select(inputOf).ToArray()).ToArray();
        var outputs = vertex.Outputs.Select(e => ev.Outputs.Where(c => c.Edge == e).OrderBy(c => c.Consumer.Subtask).Select(outputOf).ToArray()).ToArray();
        Func<string, RestoredOperatorState?> restoreFn = restore is null
            ? _ => null
            : uid => restore.For(uid, vertex.Operators.First(o => o.Uid == uid).Name, subtask, vertex.Parallelism, vertex.MaxParallelism);
        return new TaskDeployment(vertex, subtask, inputs, outputs, signal, restoreFn, restore is not null,
            settings.SpillDirectory, settings.RetainedOutputMemoryPerChannel, settings.RetainedOutputSpillPerChannel)
        { IncrementalSnapshots = settings.IncrementalSnapshots };
    }
}
