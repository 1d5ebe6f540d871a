using System.IO.Compression;

namespace StreamShield.Cluster.Packaging;

/// <summary>
/// Client side of job submission: zips a job assembly with the files next to it (its dependencies) and a
/// <see cref="JobManifest"/> naming the job assembly, so the coordinator can store it and workers can load it.
/// </summary>
internal static class JobPackager
{
    // What a class library's build output needs at run time. Documentation (.xml), satellite resource folders
    // and other subfolders are left out to keep the upload small; top-level files only.
    private static readonly string[] Patterns = ["*.dll", "*.deps.json", "*.runtimeconfig.json", "*.pdb"];

    /// <summary>
    /// Packs the job assembly at <paramref name="assemblyPath"/> and the top-level .dll, .deps.json,
    /// .runtimeconfig.json and .pdb files of its directory (except the engine's own assemblies, which the cluster
    /// provides) into a temporary zip. Throws <see cref="FileNotFoundException"/> or <see cref="ArgumentException"/>
    /// with what to fix if the path is not an existing .dll.
    /// </summary>
    public static PackedJob Pack(string assemblyPath, string? entryClass)
    {
        var path = Path.GetFullPath(assemblyPath);
        if (!path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"'{path}' is not a .dll. Pass the .dll built from the job's class library (bin/<Configuration>/net10.0/YourJob.dll).");
        if (!File.Exists(path))
            throw new FileNotFoundException($"Job assembly '{path}' does not exist. Build the job's project and pass the path to its .dll.", path);
        var fileName = Path.GetFileName(path);
        if (EngineAssemblies.IsEngineFile(fileName))
            throw new ArgumentException($"'{fileName}' is an engine assembly, not a job. Pass the .dll of the job's class library.");

        var directory = Path.GetDirectoryName(path)!;
        var files = Patterns
            .SelectMany(pattern => Directory.EnumerateFiles(directory, pattern, SearchOption.TopDirectoryOnly))
            .Distinct(StringComparer.Ordinal)
            .Where(f => !EngineAssemblies.IsEngineFile(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .ToList();

        var zipPath = Path.Combine(Path.GetTempPath(), $"streamshield-job-{Guid.NewGuid():N}.zip");
        try
        {
            using (var zip = new FileStream(zipPath, FileMode.CreateNew, FileAccess.Write))
            using (var archive = new ZipArchive(zip, ZipArchiveMode.Create))
            {
                foreach (var file in files)
                    archive.CreateEntryFromFile(file, Path.GetFileName(file), CompressionLevel.Optimal);
                new JobManifest(fileName, entryClass).WriteTo(archive);
            }
            return new PackedJob(zipPath, fileName, entryClass);
        }
        catch
        {
            File.Delete(zipPath);
            throw;
        }
    }
}
