using System.Reflection;
using StreamShield.Runtime.Execution;

namespace StreamShield.Tests.Architecture;

/// <summary>
/// Dependencies point one way, Api ← Runtime ← Cli (see each project's ARCHITECTURE.md), checked on the compiled
/// assemblies' references: the API a job author compiles against pulls in no engine, and the engine no command line.
/// </summary>
public sealed class DependencyTests
{
    private const string Api = "StreamShield.Api";
    private const string Runtime = "StreamShield.Runtime";
    private static readonly string[] Cli = ["streamshield", "StreamShield.Cli"]; // the CLI's assembly is named after its command
    private const string Examples = "StreamShield.Examples";

    private static readonly Assembly ApiAssembly = typeof(StreamEnvironment).Assembly;
    private static readonly Assembly RuntimeAssembly = typeof(EmbeddedExecutor).Assembly;

    private static List<string> References(Assembly assembly) => assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

    private static bool IsFramework(string name) =>
        name is "netstandard" or "mscorlib" || name.StartsWith("System", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal);

    [Fact]
    public void TheAssembliesAreTheLayersTheTestAssumes()
    {
        Assert.Equal(Api, ApiAssembly.GetName().Name);
        Assert.Equal(Runtime, RuntimeAssembly.GetName().Name);
    }

    [Fact]
    public void ApiReferencesNeitherRuntimeNorCli()
    {
        var references = References(ApiAssembly);
        Assert.DoesNotContain(Runtime, references);
        foreach (var cli in Cli) Assert.DoesNotContain(cli, references, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(Examples, references);
    }

    [Fact]
    public void ApiDependsOnlyOnTheFramework()
    {
        var others = References(ApiAssembly).Where(n => !IsFramework(n)).ToList();
        Assert.True(others.Count == 0, $"{Api} references {string.Join(", ", others)}; the job author's API must stay free of engine and third-party dependencies.");
    }

    [Fact]
    public void RuntimeDoesNotReferenceCli()
    {
        var references = References(RuntimeAssembly);
        foreach (var cli in Cli) Assert.DoesNotContain(cli, references, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(Examples, references);
    }

    [Fact]
    public void RuntimeDependsOnlyOnTheApiAndTheFramework()
    {
        var references = References(RuntimeAssembly);
        Assert.Contains(Api, references);
        var others = references.Where(n => n != Api && !IsFramework(n)).ToList();
        Assert.True(others.Count == 0, $"{Runtime} references {string.Join(", ", others)}; only {Api} and the framework are expected.");
    }

    [Fact]
    public void The_engine_does_not_know_the_chaos_harness()
    {
        // Faults reach the engine through the OS and its fault points, never through a reference to the harness.
        var cluster = typeof(StreamShield.Cluster.Model.ClusterOverview).Assembly;
        foreach (var engine in new[] { ApiAssembly, RuntimeAssembly, cluster })
            Assert.DoesNotContain("StreamShield.Chaos", References(engine));
        var chaos = References(typeof(StreamShield.Chaos.Scenarios.Scenario).Assembly);
        foreach (var cli in Cli) Assert.DoesNotContain(cli, chaos, StringComparer.OrdinalIgnoreCase);
    }
}

