using System.IO.Compression;
using System.Text.Json;
using StreamShield.Cluster.Model;

namespace StreamShield.Cluster.Packaging;

/// <summary>
/// The small JSON entry (<see cref="FileName"/>) at the root of a job artifact zip that says which of its
/// assemblies is the job (the others are its dependencies) and, optionally, which job class to run by default.
/// </summary>
internal sealed record JobManifest(string Assembly, string? EntryClass)
{
    /// <summary>Name of the manifest entry in the zip.</summary>
    public const string FileName = "streamshield-job.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes this manifest as the <see cref="FileName"/> entry of <paramref name="archive"/>.</summary>
    public void WriteTo(ZipArchive archive)
    {
        var entry = archive.CreateEntry(FileName, CompressionLevel.Fastest);
        using var stream = entry.Open();
        JsonSerializer.Serialize(stream, this, Json);
    }

    /// <summary>
    /// Reads the manifest of <paramref name="archive"/>. Zips made by hand may lack one: then the only top-level
    /// .dll that is not an engine assembly is the job. Throws <see cref="ClusterRequestException"/> naming what is
    /// missing and how to fix it.
    /// </summary>
    public static JobManifest Read(ZipArchive archive)
    {
        var entry = archive.GetEntry(FileName);
        if (entry is null)
        {
            var dlls = archive.Entries
                .Where(e => !e.FullName.Contains('/') && !e.FullName.Contains('\\')
                            && e.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                            && !EngineAssemblies.IsEngineFile(e.Name))
                .Select(e => e.Name).ToList();
            return dlls.Count switch
            {
                0 => throw new ClusterRequestException(
                    $"The artifact has no {FileName} manifest and no job assembly (.dll) at its root. Package the job with `streamshield` (it zips the job's build output with a manifest), or zip the job's .dll and its dependencies at the root of the zip."),
                1 => new JobManifest(dlls[0], null),
                _ => throw new ClusterRequestException(
                    $"The artifact has no {FileName} manifest and several assemblies ({string.Join(", ", dlls)}), so the job assembly is ambiguous. Package the job with `streamshield`, or add {FileName} with {{\"assembly\": \"YourJob.dll\"}}."),
            };
        }

        JobManifest? manifest;
        try
        {
            using var stream = entry.Open();
            manifest = JsonSerializer.Deserialize<JobManifest>(stream, Json);
        }
        catch (JsonException e)
        {
            throw new ClusterRequestException($"The artifact's {FileName} is not valid JSON ({e.Message}). It must look like {{\"assembly\": \"YourJob.dll\", \"entryClass\": null}}.");
        }
        if (manifest is null || string.IsNullOrWhiteSpace(manifest.Assembly))
            throw new ClusterRequestException($"The artifact's {FileName} does not name the job assembly. It must look like {{\"assembly\": \"YourJob.dll\", \"entryClass\": null}}.");
        // Only a plain file name: the manifest must not point outside the extracted directory.
        if (manifest.Assembly != Path.GetFileName(manifest.Assembly) || !manifest.Assembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            throw new ClusterRequestException($"The artifact's {FileName} names '{manifest.Assembly}' as the job assembly; it must be the file name of a .dll at the root of the zip.");
        if (archive.GetEntry(manifest.Assembly) is null)
            throw new ClusterRequestException($"The artifact's {FileName} names '{manifest.Assembly}' as the job assembly, but the zip has no such file at its root. Include the job's .dll in the zip.");
        return manifest;
    }
}
