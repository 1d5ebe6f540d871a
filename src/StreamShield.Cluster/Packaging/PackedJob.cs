namespace StreamShield.Cluster.Packaging;

/// <summary>
/// A job packed by <see cref="JobPackager"/>: a temporary zip ready to upload. Dispose deletes the zip.
/// </summary>
/// <param name="ZipPath">The temporary zip (job assembly, dependencies, manifest).</param>
/// <param name="AssemblyFileName">File name of the job assembly inside the zip, as recorded in the manifest.</param>
/// <param name="EntryClass">The job class to run, if the caller named one.</param>
internal sealed record PackedJob(string ZipPath, string AssemblyFileName, string? EntryClass) : IDisposable
{
    /// <summary>Deletes the temporary zip (best effort: a leftover temp file is harmless).</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(ZipPath);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
