using StreamShield.Operators;

namespace StreamShield.Graph;

/// <summary>
/// A node of the logical plan a job author builds through the DataStream API. The runtime compiles the
/// transformations reachable from the sinks into a JobGraph (chaining operators) and then an ExecutionGraph.
/// </summary>
internal abstract class Transformation(StreamEnvironment environment, string name, StreamType outputType)
{
    /// <summary>
    /// Position of this node in its environment's order of creation (1, 2, ...). It is per environment, not per
    /// process, so a generated uid (<see cref="EffectiveUid"/>) is a function of the job's Build alone: the
    /// coordinator and every worker, whatever they built before, name the same operator the same way.
    /// </summary>
    public int Id { get; } = environment.NextTransformationId();
    public StreamEnvironment Environment { get; } = environment;
    public string Name { get; set; } = name;
    public string? Uid { get; set; }

    /// <summary>Parallelism, or -1 for the environment's default.</summary>
    public int Parallelism { get; set; } = -1;

    public StreamType OutputType { get; } = outputType;

    /// <summary>False to start a new chain at this operator.</summary>
    public bool ChainingAllowed { get; set; } = true;

    public abstract IReadOnlyList<Transformation> Inputs { get; }

    /// <summary>The stable id used for state in checkpoints: the user's uid, else derived from the name and position.</summary>
    public string EffectiveUid => Uid ?? $"{Name}#{Id}";

    public override string ToString() => $"'{Name}' (#{Id})";
}

/// <summary>A source: a split-based <see cref="Sources.ISource{T,TSplit}"/> and a watermark strategy.</summary>
internal sealed class SourceTransformation(StreamEnvironment environment, string name, StreamType outputType, Func<StreamOperator> operatorFactory, bool bounded)
    : Transformation(environment, name, outputType)
{
    public Func<StreamOperator> OperatorFactory { get; } = operatorFactory;
    public bool IsBounded { get; } = bounded;
    public override IReadOnlyList<Transformation> Inputs => Array.Empty<Transformation>();
}

/// <summary>An operator with one or two inputs (sinks are operators with no consumers).</summary>
internal sealed class OperatorTransformation(
    StreamEnvironment environment, string name, StreamType outputType, IReadOnlyList<Transformation> inputs,
    Func<StreamOperator> operatorFactory, KeyInfo? key, bool isSink = false)
    : Transformation(environment, name, outputType)
{
    public override IReadOnlyList<Transformation> Inputs { get; } = inputs;
    public Func<StreamOperator> OperatorFactory { get; } = operatorFactory;

    /// <summary>Key selector and key type when the operator is keyed (state and timers); null otherwise.</summary>
    public KeyInfo? Key { get; } = key;

    public bool IsSink { get; } = isSink;
}

/// <summary>A change of partitioning between its input and its consumers (not an operator of its own).</summary>
internal sealed class PartitionTransformation(StreamEnvironment environment, Transformation input, PartitionerInfo partitioner)
    : Transformation(environment, $"{partitioner.Kind}", input.OutputType)
{
    public Transformation Input { get; } = input;
    public PartitionerInfo Partitioner { get; } = partitioner;
    public override IReadOnlyList<Transformation> Inputs => [Input];
}

/// <summary>The union of streams of one type (not an operator of its own).</summary>
internal sealed class UnionTransformation(StreamEnvironment environment, IReadOnlyList<Transformation> inputs)
    : Transformation(environment, "Union", inputs[0].OutputType)
{
    public override IReadOnlyList<Transformation> Inputs { get; } = inputs;
}

/// <summary>Selects a side output of its input (not an operator of its own).</summary>
internal sealed class SideOutputTransformation(StreamEnvironment environment, Transformation input, string tagId, StreamType type)
    : Transformation(environment, $"SideOutput({tagId})", type)
{
    public Transformation Input { get; } = input;
    public string TagId { get; } = tagId;
    public override IReadOnlyList<Transformation> Inputs => [Input];
}
