using StreamShield.Cluster.Model;

namespace StreamShield.Cluster.Coordinator;

/// <summary>
/// Where a savepoint asked for over REST may be written: under the coordinator's savepoint root (a relative directory
/// resolves there), or under a directory the operator allowed in configuration (<c>--allow-savepoint-dir</c>).
/// Anything else, "../" escapes included, is refused with 400: a REST caller must not make the coordinator write
/// wherever its process can.
/// </summary>
internal sealed class SavepointTargets
{
    private readonly string[] _allowed;

    public SavepointTargets(string root, IEnumerable<string>? allowed = null)
    {
        Root = Path.GetFullPath(root);
        _allowed = [Root, .. (allowed ?? []).Select(a => Path.IsPathRooted(a)
            ? Path.GetFullPath(a)
            : throw new ArgumentException($"Allowed savepoint directory '{a}' must be an absolute path."))];
    }

    /// <summary>The default savepoint directory; relative requests resolve under it.</summary>
    public string Root { get; }

    /// <summary>The absolute directory for a request (null: the root). Throws <see cref="ClusterRequestException"/> (400) if it is not allowed.</summary>
    public string Resolve(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested)) return Root;
        if (requested.Contains('\0')) throw new ClusterRequestException("A savepoint directory must not contain NUL characters.");
        var full = Path.GetFullPath(Path.IsPathRooted(requested) ? requested : Path.Combine(Root, requested));
        if (_allowed.Any(a => IsUnder(full, a))) return full;
        throw new ClusterRequestException(Path.IsPathRooted(requested)
            ? $"Savepoint directory '{requested}' is outside the coordinator's savepoint root '{Root}' and the directories it allows. Pass a path relative to the root, or start the coordinator with --allow-savepoint-dir {requested}."
            : $"Savepoint directory '{requested}' leaves the coordinator's savepoint root '{Root}'. Pass a path inside it.");
    }

    private static bool IsUnder(string path, string dir) =>
        path.Equals(dir, StringComparison.Ordinal) || path.StartsWith(dir.EndsWith(Path.DirectorySeparatorChar) ? dir : dir + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
