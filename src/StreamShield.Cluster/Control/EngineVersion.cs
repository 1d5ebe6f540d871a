using System.Reflection;

namespace StreamShield.Cluster.Control;

/// <summary>The engine version a worker and its coordinator must agree on (the Runtime assembly's informational version).</summary>
internal static class EngineVersion
{
    public static string Current { get; } =
        typeof(Runtime.Graph.JobGraph).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(Runtime.Graph.JobGraph).Assembly.GetName().Version?.ToString() ?? "0";
}
