using System.Reflection;
using StreamShield.Cluster.Model;

namespace StreamShield.Cluster.Packaging;

/// <summary>
/// A job artifact loaded by <see cref="JobClassLoader.Load"/>: its job classes, ready to instantiate. Dispose unloads
/// the job's code and deletes its extracted files; the code is only collected once no instance of its types (jobs,
/// functions, records) is referenced any more.
/// </summary>
internal sealed class LoadedJob : IDisposable
{
    private readonly string _assemblyName;
    private readonly string _directory;
    private JobAssemblyContext? _context;
    private Dictionary<string, Type>? _jobs;

    internal LoadedJob(JobAssemblyContext context, string directory, string assemblyName, string? manifestEntryClass, IReadOnlyList<Type> jobTypes)
    {
        _context = context;
        ContextReference = new WeakReference(context);
        ManifestEntryClass = manifestEntryClass;
        _directory = directory;
        _assemblyName = assemblyName;
        _jobs = jobTypes.ToDictionary(t => t.FullName!, StringComparer.Ordinal);
        EntryClasses = [.. _jobs.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>Full names of the artifact's job classes (public, implementing <see cref="IStreamJob"/>, with a public parameterless constructor).</summary>
    public IReadOnlyList<string> EntryClasses { get; }

    /// <summary>Tracks the load context after <see cref="Dispose"/>: alive until the runtime has collected the job's code.</summary>
    public WeakReference ContextReference { get; }

    /// <summary>The entry class the artifact's manifest names (chosen when it was packed), used when none is given; may be null.</summary>
    public string? ManifestEntryClass { get; }

    /// <summary>
    /// Creates the job <paramref name="entryClass"/> (full or simple class name); if it is null, the manifest's entry
    /// class, else the only job.
    /// Throws <see cref="ClusterRequestException"/> listing the job classes if the choice is missing or ambiguous.
    /// </summary>
    public IStreamJob Create(string? entryClass)
    {
        var jobs = _jobs ?? throw new ObjectDisposedException(nameof(LoadedJob));
        var type = Resolve(jobs, string.IsNullOrWhiteSpace(entryClass) ? ManifestEntryClass : entryClass);
        try
        {
            return (IStreamJob)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new ClusterRequestException($"The constructor of job class {type.FullName} failed: {e.InnerException.GetType().Name}: {e.InnerException.Message}");
        }
    }

    /// <summary>
    /// The job class <paramref name="entryClass"/> names (see <see cref="Create"/>), without creating it. Throws
    /// <see cref="ClusterRequestException"/> listing the job classes if the choice is missing or ambiguous.
    /// </summary>
    public string ResolveEntryClass(string? entryClass)
    {
        var jobs = _jobs ?? throw new ObjectDisposedException(nameof(LoadedJob));
        return Resolve(jobs, string.IsNullOrWhiteSpace(entryClass) ? ManifestEntryClass : entryClass).FullName!;
    }

    private Type Resolve(Dictionary<string, Type> jobs, string? entryClass)
    {
        if (jobs.Count == 0)
            throw new ClusterRequestException($"'{_assemblyName}' contains no job: add a public class implementing {typeof(IStreamJob).FullName} with a public parameterless constructor.");
        if (string.IsNullOrWhiteSpace(entryClass))
        {
            if (jobs.Count == 1) return jobs.Values.Single();
            throw new ClusterRequestException($"'{_assemblyName}' contains several jobs ({string.Join(", ", EntryClasses)}); name the one to run as the entry class.");
        }
        if (jobs.TryGetValue(entryClass, out var exact)) return exact;
        // A simple class name is accepted when it names exactly one job: "WordCountJob" for "Examples.WordCountJob".
        var bySimpleName = jobs.Values.Where(t => t.Name == entryClass).ToList();
        if (bySimpleName.Count == 1) return bySimpleName[0];
        throw new ClusterRequestException($"'{_assemblyName}' has no job class '{entryClass}'. Its job classes are: {string.Join(", ", EntryClasses)}.");
    }

    /// <summary>
    /// Unloads the job's load context and deletes its extracted directory. Best effort: a file that cannot be
    /// deleted now (briefly locked, e.g. by a virus scanner) is left behind rather than failing the caller.
    /// </summary>
    public void Dispose()
    {
        var context = Interlocked.Exchange(ref _context, null);
        if (context is null) return;
        _jobs = null; // Drop our references to the job's types so the context can be collected.
        context.Unload();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
                return;
            }
            catch (Exception e) when ((e is IOException or UnauthorizedAccessException) && attempt < 3)
            {
                Thread.Sleep(50 * (attempt + 1));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return;
            }
        }
    }
}
