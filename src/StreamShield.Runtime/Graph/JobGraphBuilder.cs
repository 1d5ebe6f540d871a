using StreamShield.Graph;

namespace StreamShield.Runtime.Graph;

/// <summary>
/// Compiles the transformations reachable from the sinks into a <see cref="JobGraph"/>: resolves partitioning,
/// unions and side outputs into edges, chains operators connected by forward edges of equal parallelism, and
/// validates the job (parallelism vs. max parallelism, serializable record types, no cycles) with errors that
/// name the operator and the fix.
/// </summary>
internal static class JobGraphBuilder
{
    private sealed record PhysicalInput(Transformation Node, string? SideTag, PartitionerInfo? Partitioner, int InputIndex, StreamType Type);

    public static JobGraph Build(StreamEnvironment env, string jobName)
    {
        env.Checkpointing.Validate();
        var order = TopologicalOrder(env.Sinks);
        var physical = order.Where(t => t is SourceTransformation or OperatorTransformation).ToList();
        int Parallelism(Transformation t) => t.Parallelism > 0 ? t.Parallelism : env.Parallelism;

        foreach (var t in physical)
        {
            var p = Parallelism(t);
            if (p > env.MaxParallelism)
                throw new JobBuildException($"Operator {t} has parallelism {p}, above the job's max parallelism {env.MaxParallelism} (the number of key groups). Lower the operator's parallelism or raise StreamEnvironment.MaxParallelism.");
            ValidateType(t, t.OutputType);
            if (t is OperatorTransformation { Key: { } key }) ValidateKey(t, key);
        }

        var inputs = physical.ToDictionary(t => t, t => ResolveInputs(t));
        foreach (var (t, ins) in inputs)
            foreach (var i in ins)
            {
                ValidateType(i.Node, i.Type);
                if (i.Partitioner is { Kind: PartitionKind.Forward } && Parallelism(i.Node) != Parallelism(t))
                    throw new JobBuildException($"Forward partitioning between {i.Node} (parallelism {Parallelism(i.Node)}) and {t} (parallelism {Parallelism(t)}) needs equal parallelism. Give both the same parallelism or use Rebalance().");
                if (i.Partitioner?.Key is { } k) ValidateKey(t, k);
            }

        // Chain: t joins its single input's chain when the edge is a forward main-output edge of equal parallelism.
        var chainOf = new Dictionary<Transformation, List<Transformation>>();
        var consumers = physical.ToDictionary(t => t, _ => 0);
        foreach (var (_, ins) in inputs) foreach (var i in ins) consumers[i.Node]++;
        foreach (var t in physical)
        {
            var ins = inputs[t];
            if (ins.Count == 1 && t.ChainingAllowed && t is OperatorTransformation { Inputs.Count: 1 } && ins[0] is { SideTag: null } only
                && (only.Partitioner is null || only.Partitioner.Kind == PartitionKind.Forward)
                && Parallelism(only.Node) == Parallelism(t)
                && only.Node is not OperatorTransformation { IsSink: true })
            {
                var chain = chainOf[only.Node];
                chain.Add(t);
                chainOf[t] = chain;
            }
            else
            {
                chainOf[t] = new List<Transformation> { t };
            }
        }

        var vertices = new List<JobVertex>();
        var vertexOf = new Dictionary<Transformation, (JobVertex Vertex, int Index)>();
        foreach (var chain in physical.Select(t => chainOf[t]).Distinct())
        {
            var ops = chain.Select((t, i) => new ChainedOperator(t, i)).ToList();
            var v = new JobVertex(vertices.Count, ops, Parallelism(chain[0]), env.MaxParallelism);
            vertices.Add(v);
            for (var i = 0; i < chain.Count; i++) vertexOf[chain[i]] = (v, i);
        }

        var edges = new List<JobEdge>();
        foreach (var t in physical)
        {
            var (target, index) = vertexOf[t];
            foreach (var i in inputs[t])
            {
                var (source, sourceIndex) = vertexOf[i.Node];
                if (source == target)
                {
                    source.Operators[sourceIndex].ChainedOutputs.Add(index);
                    continue;
                }
                var partitioner = i.Partitioner ?? new PartitionerInfo(Parallelism(i.Node) == Parallelism(t) ? PartitionKind.Forward : PartitionKind.Rebalance);
                var edge = new JobEdge(source, sourceIndex, i.SideTag, i.Type, target, i.InputIndex, partitioner);
                edges.Add(edge);
                source.Outputs.Add(edge);
                target.Inputs.Add(edge);
            }
        }
        return new JobGraph(jobName, vertices, edges);
    }

    private static void ValidateType(Transformation t, StreamType type)
    {
        try { type.Validate(); }
        catch (Serialization.UnsupportedTypeException e)
        {
            throw new JobBuildException($"Operator {t} produces records of type {type.Type.FullName}, which cannot be serialized: {e.Message}", e);
        }
    }

    private static void ValidateKey(Transformation t, KeyInfo key)
    {
        try { key.Validate(); }
        catch (Serialization.UnsupportedTypeException e)
        {
            throw new JobBuildException($"Operator {t} is keyed by type {key.KeyType.FullName}, which cannot be serialized into state: {e.Message}", e);
        }
    }

    /// <summary>Follows partitioning, union and side-output nodes back to the physical operators feeding <paramref name="t"/>.</summary>
    private static List<PhysicalInput> ResolveInputs(Transformation t)
    {
        var result = new List<PhysicalInput>();
        for (var index = 0; index < t.Inputs.Count; index++)
            Resolve(t.Inputs[index], null, null, index, t.Inputs[index].OutputType, result);
        return result;
    }

    private static void Resolve(Transformation node, string? side, PartitionerInfo? partitioner, int inputIndex, StreamType type, List<PhysicalInput> result)
    {
        switch (node)
        {
            case PartitionTransformation p:
                Resolve(p.Input, side, partitioner ?? p.Partitioner, inputIndex, type, result);
                break;
            case UnionTransformation u:
                foreach (var i in u.Inputs) Resolve(i, side, partitioner, inputIndex, type, result);
                break;
            case SideOutputTransformation s:
                Resolve(s.Input, s.TagId, partitioner, inputIndex, s.OutputType, result);
                break;
            default:
                if (node is OperatorTransformation { IsSink: true })
                    throw new JobBuildException($"Sink {node} cannot be the input of another operator.");
                result.Add(new PhysicalInput(node, side, partitioner, inputIndex, type));
                break;
        }
    }

    private static List<Transformation> TopologicalOrder(IReadOnlyList<Transformation> sinks)
    {
        var order = new List<Transformation>();
        var state = new Dictionary<Transformation, int>(); // 1 = visiting, 2 = done
        void Visit(Transformation t, Stack<Transformation> path)
        {
            if (state.TryGetValue(t, out var s))
            {
                if (s == 1)
                    throw new JobBuildException($"The job graph has a cycle through {string.Join(" -> ", path.Reverse().Append(t))}. Streams must flow from sources to sinks without loops; break the cycle (iterations are not supported).");
                return;
            }
            state[t] = 1;
            path.Push(t);
            foreach (var i in t.Inputs) Visit(i, path);
            path.Pop();
            state[t] = 2;
            order.Add(t);
        }
        foreach (var s in sinks) Visit(s, new Stack<Transformation>());
        return order;
    }
}
