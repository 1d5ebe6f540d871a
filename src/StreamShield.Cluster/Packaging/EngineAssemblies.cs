namespace StreamShield.Cluster.Packaging;

/// <summary>
/// The engine's own assemblies. A job references them, but they must never be loaded from the job's files: types
/// such as <see cref="IStreamJob"/> and <see cref="StreamEnvironment"/> must have one identity, the host's.
/// </summary>
internal static class EngineAssemblies
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "StreamShield.Api",
        "StreamShield.Runtime",
        "StreamShield.Cluster",
    };

    /// <summary>True if <paramref name="assemblyName"/> (simple name, no extension) is an engine assembly.</summary>
    public static bool IsEngine(string? assemblyName) => assemblyName is not null && Names.Contains(assemblyName);

    /// <summary>True if <paramref name="fileName"/> is an engine assembly's .dll, .pdb or .xml documentation.</summary>
    public static bool IsEngineFile(string fileName) => IsEngine(Path.GetFileNameWithoutExtension(fileName));
}
