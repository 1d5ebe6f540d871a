using System.Runtime.CompilerServices;
using StreamShield.Cluster.Packaging;
using StreamShield.Examples;
using StreamShield.Tests.Api;

namespace StreamShield.Tests.Cluster.Packaging;

/// <summary>A worker loads many jobs over its life: each one's code must be collectible once it is disposed.</summary>
public sealed class JobUnloadTests : IDisposable
{
    private readonly PackagingTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Loaded_jobs_are_collected_after_dispose()
    {
        using var packed = JobPackager.Pack(typeof(WordCountJob).Assembly.Location, null);
        var contexts = new List<WeakReference>();
        for (var i = 0; i < 20; i++) contexts.Add(LoadCreateAndDispose(packed.ZipPath, _files.ExtractRoot));

        for (var i = 0; i < 10 && contexts.Any(c => c.IsAlive); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.Equal(0, contexts.Count(c => c.IsAlive));
        Assert.Empty(Directory.GetDirectories(_files.ExtractRoot));
    }

    // Not inlined, so no reference to the job, its types or its context survives in this frame's locals.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference LoadCreateAndDispose(string zipPath, string extractRoot)
    {
        using var loaded = JobClassLoader.Load(zipPath, extractRoot);
        var job = loaded.Create(typeof(WordCountJob).FullName);
        job.Build(JobTesting.Environment(), []);
        return new WeakReference(System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(job.GetType().Assembly));
    }
}
