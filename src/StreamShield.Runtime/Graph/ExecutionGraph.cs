using StreamShield.Graph;
using StreamShield.Runtime.Tasks;

namespace StreamShield.Runtime.Graph;

/// <summary>
/// The job graph expanded to parallel subtasks: one <see cref="ExecutionVertex"/> per subtask and one
/// <see cref="ExecutionChannel"/> per producer→consumer connection, following each edge's partitioning (forward:
/// i→i; rescale: a local subset; everything else: all-to-all). Deployment creates a channel and a task for each, and
/// failover reasons over it: <see cref="PipelinedRegions"/> are the sets of subtasks that must restart together.
/// </summary>
internal sealed class ExecutionGraph
{
    private readonly Dictionary<(int Vertex, int Subtask), ExecutionVertex> _byId = new();

    public ExecutionGraph(JobGraph graph)
    {
        JobGraph = graph;
        var vertices = new List<ExecutionVertex>();
        foreach (var v in graph.Vertices)
        {
            for (var s = 0; s < v.Parallelism; s++)
            {
                var ev = new ExecutionVertex(v, s);
                vertices.Add(ev);
                _byId[(v.Id, s)] = ev;
            }
        }
        Vertices = vertices;

        var channels = new List<ExecutionChannel>();
        foreach (var edge in graph.Edges)
        {
            for (var i = 0; i < edge.Source.Parallelism; i++)
            {
                foreach (var j in Consumers(edge.Partitioner.Kind, i, edge.Source.Parallelism, edge.Target.Parallelism))
                {
                    var channel = new ExecutionChannel(edge, _byId[(edge.Source.Id, i)], _byId[(edge.Target.Id, j)]);
                    channel.Producer.Outputs.Add(channel);
                    channel.Consumer.Inputs.Add(channel);
                    channels.Add(channel);
                }
            }
        }
        Channels = channels;
        PipelinedRegions = ComputeRegions();
    }

    public JobGraph JobGraph { get; }
    public IReadOnlyList<ExecutionVertex> Vertices { get; }
    public IReadOnlyList<ExecutionChannel> Channels { get; }

    /// <summary>
    /// Subtasks connected by channels. In a streaming job every channel is pipelined, so a region is a connected
    /// component: an embarrassingly parallel job (all forward edges) has one region per pipeline, an all-to-all
    /// shuffle joins everything into one region (as in Flink's region failover).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<ExecutionVertex>> PipelinedRegions { get; }

    public ExecutionVertex this[int vertexId, int subtask] => _byId[(vertexId, subtask)];

    /// <summary>Consumer subtasks of producer <paramref name="i"/>: one for forward, a local subset for rescale, all otherwise.</summary>
    internal static IEnumerable<int> Consumers(PartitionKind kind, int i, int p, int c) => kind switch
    {
        PartitionKind.Forward => [i],
        PartitionKind.Rescale when p >= c => [(int)((long)i * c / p)],
        PartitionKind.Rescale => Enumerable.Range((int)((long)i * c / p), Math.Max(1, (int)((long)(i + 1) * c / p) - (int)((long)i * c / p))),
        _ => Enumerable.Range(0, c),
    };

    private List<IReadOnlyList<ExecutionVertex>> ComputeRegions()
    {
        var parent = new Dictionary<ExecutionVertex, ExecutionVertex>();
        ExecutionVertex Find(ExecutionVertex v)
        {
            while (parent[v] != v) v = parent[v] = parent[parent[v]];
            return v;
        }
        foreach (var v in Vertices) parent[v] = v;
        foreach (var c in Channels)
        {
            var a = Find(c.Producer);
            var b = Find(c.Consumer);
            if (a != b) parent[a] = b;
        }
        return Vertices.GroupBy(Find).Select(g => (IReadOnlyList<ExecutionVertex>)g.ToList()).ToList();
    }
}

/// <summary>One parallel subtask of a job vertex.</summary>
internal sealed class ExecutionVertex(JobVertex vertex, int subtask)
{
    public JobVertex Vertex { get; } = vertex;
    public int Subtask { get; } = subtask;
    public SubtaskId Id { get; } = new(vertex.Id, subtask);
    public List<ExecutionChannel> Inputs { get; } = new();
    public List<ExecutionChannel> Outputs { get; } = new();
    public string Name => $"{Vertex.Name} ({Subtask + 1}/{Vertex.Parallelism})";
    public override string ToString() => Name;
}

/// <summary>A connection from a producer subtask to a consumer subtask along one job edge.</summary>
internal sealed class ExecutionChannel(JobEdge edge, ExecutionVertex producer, ExecutionVertex consumer)
{
    public JobEdge Edge { get; } = edge;
    public ExecutionVertex Producer { get; } = producer;
    public ExecutionVertex Consumer { get; } = consumer;
    public string Name => $"{Producer.Vertex.Id}.{Producer.Subtask}-{Consumer.Vertex.Id}.{Consumer.Subtask}";
}
