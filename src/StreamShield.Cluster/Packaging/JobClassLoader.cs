using System.IO.Compression;
using System.Reflection;
using StreamShield.Cluster.Model;

namespace StreamShield.Cluster.Packaging;

/// <summary>
/// Loads a job artifact (a zip made by <see cref="JobPackager"/>) into its own collectible
/// <see cref="JobAssemblyContext"/>: used by the coordinator to validate uploads and list their job classes, and
/// by workers to instantiate the job they run.
/// </summary>
internal static class JobClassLoader
{
    /// <summary>Largest total uncompressed size accepted, so a small "zip bomb" upload cannot fill the disk.</summary>
    public const long MaxExtractedBytes = 512L * 1024 * 1024;

    /// <summary>
    /// Largest expansion of one entry (uncompressed ÷ compressed size) above <see cref="RatioCheckedFromBytes"/>:
    /// assemblies and their dependencies compress 2-5×; a zip bomb expands a thousandfold.
    /// </summary>
    public const double MaxExpansionRatio = 100;

    /// <summary>Entries smaller than this are not ratio-checked (a small file of zeros is harmless).</summary>
    public const long RatioCheckedFromBytes = 1L << 20;

    /// <summary>
    /// Extracts <paramref name="artifactZipPath"/> into a fresh subdirectory of <paramref name="extractRoot"/> and
    /// loads the manifest's job assembly. Throws <see cref="ClusterRequestException"/> naming the problem and the
    /// fix if the artifact is not a zip, has no job assembly, or the assembly is not a loadable .NET assembly.
    /// The result may have no entry classes; <see cref="LoadedJob.Create"/> then explains.
    /// </summary>
    public static LoadedJob Load(string artifactZipPath, string extractRoot)
    {
        var directory = Path.Combine(Path.GetFullPath(extractRoot), Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        JobAssemblyContext? context = null;
        try
        {
            var manifest = Extract(artifactZipPath, directory);
            var assemblyPath = Path.Combine(directory, manifest.Assembly);
            JobAssemblyInspector.Check(manifest.Assembly, File.ReadAllBytes(assemblyPath));

            context = new JobAssemblyContext($"job:{manifest.Assembly}:{Path.GetFileName(directory)}", directory);
            Assembly assembly;
            try
            {
                assembly = context.LoadFromFile(assemblyPath);
            }
            catch (BadImageFormatException e)
            {
                throw new ClusterRequestException($"'{manifest.Assembly}' cannot be loaded as a .NET assembly ({e.Message}). Name the .dll built from the job's C# class library as the job assembly.");
            }
            return new LoadedJob(context, directory, manifest.Assembly, manifest.EntryClass, FindJobTypes(assembly, manifest.Assembly));
        }
        catch
        {
            context?.Unload();
            TryDelete(directory);
            throw;
        }
    }

    private static JobManifest Extract(string zipPath, string directory)
    {
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException)
        {
            throw new ClusterRequestException("The artifact is not a zip file. Upload a zip of the job's build output (the job .dll and its dependencies), as `streamshield` packages it.");
        }
        using (archive)
        {
            var manifest = JobManifest.Read(archive);
            long total = 0;
            var root = directory + Path.DirectorySeparatorChar;
            foreach (var entry in archive.Entries)
            {
                total += entry.Length;
                if (total > MaxExtractedBytes)
                    throw new ClusterRequestException($"The artifact expands to more than {MaxExtractedBytes / (1024 * 1024)} MB. Ship only the job's assembly and its dependencies.");
                if (entry.Length >= RatioCheckedFromBytes && entry.Length > MaxExpansionRatio * Math.Max(1, entry.CompressedLength))
                    throw new ClusterRequestException($"The artifact's entry '{entry.FullName}' expands {entry.Length / (double)Math.Max(1, entry.CompressedLength):0}-fold ({entry.CompressedLength} to {entry.Length} bytes), more than {MaxExpansionRatio:0}-fold: that is a zip bomb, not a job. Ship only the job's assembly and its dependencies.");
                var target = Path.GetFullPath(Path.Combine(directory, entry.FullName));
                if (!target.StartsWith(root, StringComparison.Ordinal))
                    throw new ClusterRequestException($"The artifact's entry '{entry.FullName}' points outside the artifact's directory. Zip the job's files with paths relative to the zip's root.");
                if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\')) // a directory entry
                {
                    Directory.CreateDirectory(target);
                    continue;
                }
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                try
                {
                    entry.ExtractToFile(target, overwrite: true);
                }
                catch (InvalidDataException e)
                {
                    throw new ClusterRequestException($"The artifact's entry '{entry.FullName}' is corrupt ({e.Message}). Package the job again and re-upload it.");
                }
            }
            return manifest;
        }
    }

    /// <summary>Public, concrete classes implementing <see cref="IStreamJob"/> with a public parameterless constructor.</summary>
    private static List<Type> FindJobTypes(Assembly assembly, string assemblyFileName)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            // Some types reference a missing dependency; the others may still be jobs. If none is, say why.
            types = e.Types;
            if (!types.Any(IsJob))
            {
                var cause = e.LoaderExceptions.FirstOrDefault(x => x is not null)?.Message ?? e.Message;
                throw new ClusterRequestException($"The types of '{assemblyFileName}' cannot be loaded: {cause} Include the job's dependencies in the artifact (package the job's whole build output directory).");
            }
        }
        return types.Where(IsJob).Select(t => t!).ToList();
    }

    private static bool IsJob(Type? type) =>
        type is { IsClass: true, IsAbstract: false, IsVisible: true, ContainsGenericParameters: false }
        && typeof(IStreamJob).IsAssignableFrom(type)
        && type.GetConstructor(Type.EmptyTypes) is not null;

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
