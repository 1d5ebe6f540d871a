using System.Reflection;
using System.Runtime.Loader;

namespace StreamShield.Cluster.Packaging;

/// <summary>
/// A collectible load context for one job's assemblies, so a worker can run many jobs over its lifetime and free
/// each one's code when it ends. The job's own assemblies come from its extracted directory; the engine, the
/// shared framework and anything the host has already loaded come from the default context, so that engine types
/// (<see cref="IStreamJob"/>, <see cref="StreamEnvironment"/>, records crossing the API) have one identity.
/// </summary>
internal sealed class JobAssemblyContext : AssemblyLoadContext
{
    // Directories of the shared frameworks (Microsoft.NETCore.App, Microsoft.AspNetCore.App): their assemblies must
    // come from the default context even if the job ships a copy (e.g. a self-contained publish), or two copies
    // of System.Runtime types would exist. Null in a single-file host, where assemblies have no location.
    private static readonly string? SharedFrameworkRoot = FindSharedFrameworkRoot();

    private readonly string _directory;

    /// <summary>A context loading the job's dependencies from <paramref name="directory"/>.</summary>
    public JobAssemblyContext(string name, string directory)
        : base(name, isCollectible: true)
    {
        _directory = directory;
    }

    /// <summary>
    /// Loads an assembly of the job from its file. Reads the bytes (and the .pdb next to it, for line numbers in
    /// stack traces) instead of loading from the path: nothing stays memory-mapped or locked, so the extracted
    /// files can be deleted and the context fully unloaded.
    /// </summary>
    public Assembly LoadFromFile(string path)
    {
        using var assembly = new MemoryStream(File.ReadAllBytes(path), writable: false);
        var pdbPath = Path.ChangeExtension(path, ".pdb");
        if (!File.Exists(pdbPath)) return LoadFromStream(assembly);
        using var pdb = new MemoryStream(File.ReadAllBytes(pdbPath), writable: false);
        return LoadFromStream(assembly, pdb);
    }

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name;
        if (name is null || EngineAssemblies.IsEngine(name)) return null; // null: the default context resolves it.

        // Already loaded by the host: share it (whatever its version), so types the job exchanges with the host
        // (e.g. a library both use) are the same types.
        foreach (var loaded in Default.Assemblies)
        {
            if (string.Equals(loaded.GetName().Name, name, StringComparison.OrdinalIgnoreCase)) return loaded;
        }

        var candidate = Path.Combine(_directory, name + ".dll");
        if (File.Exists(candidate) && !IsSharedFrameworkAssembly(name)) return LoadFromFile(candidate);
        return null; // Framework assemblies not loaded yet, or not shipped with the job: the default context's probing.
    }

    private static bool IsSharedFrameworkAssembly(string name)
    {
        if (SharedFrameworkRoot is null) return false;
        var trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string;
        if (trusted is null) return false;
        foreach (var path in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (path.StartsWith(SharedFrameworkRoot, StringComparison.Ordinal)
                && string.Equals(Path.GetFileNameWithoutExtension(path), name, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    private static string? FindSharedFrameworkRoot()
    {
        // <dotnet>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll -> <dotnet>/shared/
        var coreLib = typeof(object).Assembly.Location;
        if (string.IsNullOrEmpty(coreLib)) return null;
        var shared = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(coreLib)));
        return shared is null ? null : shared + Path.DirectorySeparatorChar;
    }
}
