using System.Security.Cryptography;
using StreamShield.Cluster.Model;

namespace StreamShield.Cluster.Packaging;

/// <summary>
/// The coordinator's store of uploaded job artifacts: validates each upload (it must be a zip holding a loadable
/// job) and keeps it as &lt;directory&gt;/&lt;id&gt;.zip, where the id is derived from its content, so uploading the
/// same job twice yields the same id and one file.
/// </summary>
internal sealed class JobArtifactStore
{
    /// <summary>Default upload size cap.</summary>
    public const long DefaultMaxBytes = 512L * 1024 * 1024;

    private const int IdLength = 16;

    private readonly string _directory;
    private readonly long _maxBytes;

    /// <summary>A store keeping artifacts in <paramref name="directory"/> (created if missing).</summary>
    public JobArtifactStore(string directory, long maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _directory = Path.GetFullPath(directory);
        _maxBytes = maxBytes;
        Directory.CreateDirectory(_directory);
    }

    /// <summary>
    /// Stores the uploaded zip after validating it by loading it (into a collectible context that is unloaded
    /// again). Throws <see cref="ClusterRequestException"/> (400) naming the problem and the fix if the upload is too
    /// large, not a zip, has no job assembly, or the assembly is not a .NET job for this runtime.
    /// </summary>
    public ArtifactInfo Store(Stream zip)
    {
        // The upload goes to a temp file in the store's directory first, so the final rename is on one volume.
        var temp = Path.Combine(_directory, $".upload-{Guid.NewGuid():N}.tmp");
        try
        {
            var (size, id) = CopyAndHash(zip, temp);
            IReadOnlyList<string> entryClasses;
            using (var loaded = JobClassLoader.Load(temp, Path.Combine(_directory, ".validate")))
            {
                entryClasses = loaded.EntryClasses;
                if (entryClasses.Count == 0)
                    throw new ClusterRequestException($"The artifact's job assembly contains no job: add a public class implementing {typeof(IStreamJob).FullName} with a public parameterless constructor.");
                // An entry class chosen at packing time must exist; an error now beats one at submit time.
                if (loaded.ManifestEntryClass is not null) loaded.ResolveEntryClass(null);
            }

            var target = Path.Combine(_directory, id + ".zip");
            try
            {
                File.Move(temp, target);
            }
            catch (IOException) when (File.Exists(target))
            {
                // Same content uploaded before (or concurrently): the stored file is identical.
            }
            return new ArtifactInfo(id, size, entryClasses);
        }
        finally
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>
    /// Path of a stored artifact's zip, or null if there is none. The id must be hexadecimal (as <see cref="Store"/>
    /// makes them) so that a request cannot name a file outside the store's directory.
    /// </summary>
    public string? PathOf(string id)
    {
        if (id is not { Length: IdLength } || !id.All(char.IsAsciiHexDigit)) return null;
        var path = Path.Combine(_directory, id.ToLowerInvariant() + ".zip");
        return File.Exists(path) ? path : null;
    }

    private (long Size, string Id) CopyAndHash(Stream source, string path)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long size = 0;
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            int read;
            while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                size += read;
                if (size > _maxBytes)
                    throw new ClusterRequestException($"The artifact is larger than the limit of {_maxBytes / (1024 * 1024.0):0.#} MB. Ship only the job's assembly and its dependencies (not data files), or raise the coordinator's artifact size limit.");
                hash.AppendData(buffer, 0, read);
                file.Write(buffer, 0, read);
            }
        }
        if (size == 0)
            throw new ClusterRequestException("The artifact is empty. Upload a zip of the job's build output (the job .dll and its dependencies).");
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset())[..IdLength]);
    }
}
