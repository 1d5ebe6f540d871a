namespace StreamShield.Runtime.Checkpointing;

/// <summary>Checkpoint storage on a filesystem path (local disk or a shared mount).</summary>
internal sealed class FileSystemCheckpointStorage : ICheckpointStorage
{
    public const string MetadataFileName = "_metadata";

    /// <summary>Marks a discarded checkpoint whose directory stays because newer (incremental) checkpoints still use some of its files.</summary>
    public const string DiscardedMarkerName = "_discarded";

    /// <summary>At the root: the id and location of the checkpoint whose output the sinks last committed.</summary>
    public const string CommittedFileName = "_committed";

    public FileSystemCheckpointStorage(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string CreateLocation(long checkpointId, string? savepointTarget)
    {
        var dir = savepointTarget is null
            ? Path.Combine(Root, $"chk-{checkpointId}")
            : Path.Combine(Path.GetFullPath(savepointTarget), $"savepoint-{checkpointId}-{Guid.NewGuid().ToString("N")[..8]}");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); // leftover of an attempt that never completed
        Directory.CreateDirectory(dir);
        return dir;
    }

    public Stream CreateStateFile(string location, string fileName) =>
        new ChecksummingStream(new FileStream(Path.Combine(location, fileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024));

    public void WriteMetadata(string location, byte[] metadata)
    {
        var tmp = Path.Combine(location, MetadataFileName + ".inprogress");
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            fs.Write(metadata);
            fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, Path.Combine(location, MetadataFileName), overwrite: true);
    }

    public void RecordCommitted(long checkpointId, string location)
    {
        var file = Path.Combine(Root, CommittedFileName);
        var tmp = file + ".inprogress";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            fs.Write(System.Text.Encoding.UTF8.GetBytes($"{checkpointId.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n{Path.GetFullPath(location)}\n"));
            fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, file, overwrite: true);
    }

    public CommittedCheckpoint? ReadCommitted()
    {
        var file = Path.Combine(Root, CommittedFileName);
        if (!File.Exists(file)) return null;
        var lines = File.ReadAllLines(file);
        if (lines.Length < 2 || !long.TryParse(lines[0], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var id))
            throw new Serialization.CorruptDataException($"'{file}' is damaged: it should hold the id and location of the last committed checkpoint. Restore it from a backup, or delete it to accept recovery from the newest valid checkpoint (which may repeat committed output).");
        return new CommittedCheckpoint(id, lines[1]);
    }

    public IReadOnlyList<string> ListCheckpoints() => ListCheckpoints(Root);

    /// <summary>Checkpoint directories under <paramref name="root"/>, newest first: complete ones, or also those without metadata.</summary>
    public static IReadOnlyList<string> ListCheckpoints(string root, bool includeIncomplete = false) =>
        !Directory.Exists(root)
            ? Array.Empty<string>()
            : Directory.GetDirectories(root, "chk-*")
                .Select(d => (Dir: d, Id: long.TryParse(Path.GetFileName(d)[4..], out var id) ? id : -1))
                .Where(x => x.Id >= 0 && !File.Exists(Path.Combine(x.Dir, DiscardedMarkerName))
                    && (includeIncomplete || File.Exists(Path.Combine(x.Dir, MetadataFileName))))
                .OrderByDescending(x => x.Id)
                .Select(x => x.Dir)
                .ToList();

    public bool Discard(string location, IReadOnlySet<string>? keep = null)
    {
        try
        {
            if (!Directory.Exists(location)) return true;
            var files = Directory.GetFiles(location);
            if (keep is null || !files.Any(keep.Contains))
            {
                Directory.Delete(location, recursive: true);
                return true;
            }
            // The marker first, then the metadata: from here on the checkpoint is not restorable, nor listed as incomplete.
            File.WriteAllBytes(Path.Combine(location, DiscardedMarkerName), []);
            File.Delete(Path.Combine(location, MetadataFileName));
            foreach (var f in files)
                if (!keep.Contains(f) && Path.GetFileName(f) != DiscardedMarkerName) File.Delete(f);
            return false;
        }
        catch (IOException) { return false; } // a reader may still hold a file: retried at the next discard round
        catch (UnauthorizedAccessException) { return false; }
    }
}
