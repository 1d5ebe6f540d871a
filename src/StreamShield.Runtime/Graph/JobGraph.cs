using StreamShield.Graph;

namespace StreamShield.Runtime.Graph;

/// <summary>
/// The compiled job: vertices (chains of operators that run in one subtask thread) connected by edges
/// (channels with a partitioning). Built once per job from the transformations; each attempt deploys it.
/// </summary>
internal sealed class JobGraph(string jobName, IReadOnlyList<JobVertex> vertices, IReadOnlyList<JobEdge> edges)
{
    public string JobName { get; } = jobName;
    /// <summary>In topological order: producers before consumers.</summary>
    public IReadOnlyList<JobVertex> Vertices { get; } = vertices;
    public IReadOnlyList<JobEdge> Edges { get; } = edges;
    public int TotalSubtasks => Vertices.Sum(v => v.Parallelism);
}

/// <summary>A chain of operators with one parallelism; subtask i of it runs the chain on one thread.</summary>
internal sealed class JobVertex(int id, IReadOnlyList<ChainedOperator> operators, int parallelism, int maxParallelism)
{
    public int Id { get; } = id;
    public IReadOnlyList<ChainedOperator> Operators { get; } = operators;
    public int Parallelism { get; } = parallelism;
    public int MaxParallelism { get; } = maxParallelism;
    public string Name { get; } = string.Join(" -> ", operators.Select(o => o.Name));
    public bool IsSource => Operators[0].Transformation is SourceTransformation;
    public List<JobEdge> Inputs { get; } = new();
    public List<JobEdge> Outputs { get; } = new();
    public override string ToString() => $"{Name} (p={Parallelism})";
}

/// <summary>One operator inside a chain, and where its output goes inside the chain.</summary>
internal sealed class ChainedOperator(Transformation transformation, int index)
{
    public Transformation Transformation { get; } = transformation;
    public int Index { get; } = index;
    public string Name => Transformation.Name;
    public string Uid => Transformation.EffectiveUid;
    public KeyInfo? Key => (Transformation as OperatorTransformation)?.Key;

    /// <summary>Chained successors (indexes in the chain) fed by this operator's main output.</summary>
    public List<int> ChainedOutputs { get; } = new();
}

/// <summary>A connection between two vertices: from an operator of the producer chain (its main or a side output) to an input of the consumer's head.</summary>
internal sealed class JobEdge(JobVertex source, int sourceOperator, string? sideOutputTag, StreamType type, JobVertex target, int targetInput, PartitionerInfo partitioner)
{
    public JobVertex Source { get; } = source;
    public int SourceOperator { get; } = sourceOperator;
    public string? SideOutputTag { get; } = sideOutputTag;
    public StreamType Type { get; } = type;
    public JobVertex Target { get; } = target;
    public int TargetInput { get; } = targetInput;
    public PartitionerInfo Partitioner { get; } = partitioner;
    public override string ToString() => $"{Source.Name} -[{Partitioner.Kind}{(SideOutputTag is null ? "" : ", side " + SideOutputTag)}]-> {Target.Name}";
}
