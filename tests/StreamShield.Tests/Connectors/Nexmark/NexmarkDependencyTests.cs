using StreamShield.Connectors.Nexmark;

namespace StreamShield.Tests.Connectors.Nexmark;

/// <summary>The connector is written against the job author's API only (see its ARCHITECTURE.md), so a job can use it without the engine.</summary>
public sealed class NexmarkDependencyTests
{
    [Fact]
    public void TheConnectorReferencesOnlyTheApiAndTheFramework()
    {
        var assembly = typeof(NexmarkSource).Assembly;
        Assert.Equal("StreamShield.Connectors.Nexmark", assembly.GetName().Name);
        var others = assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => n != "StreamShield.Api" && n is not ("netstandard" or "mscorlib") && !n.StartsWith("System", StringComparison.Ordinal) && !n.StartsWith("Microsoft.", StringComparison.Ordinal))
            .ToList();
        Assert.True(others.Count == 0, $"the Nexmark connector references {string.Join(", ", others)}");
        Assert.Contains("StreamShield.Api", assembly.GetReferencedAssemblies().Select(a => a.Name));
    }
}
