using System.IO.Compression;
using System.Runtime.Loader;
using System.Text;
using StreamShield.Cluster.Model;
using StreamShield.Cluster.Packaging;
using StreamShield.Examples;
using StreamShield.Tests.Api;

namespace StreamShield.Tests.Cluster.Packaging;

/// <summary>Packing a job, storing it on the coordinator, and loading it the way workers do.</summary>
public sealed class JobPackagingTests : IDisposable
{
    private static readonly string ExamplesPath = typeof(WordCountJob).Assembly.Location;
    // Sorted by full name, as the store lists them (ClickLogJob was added to the examples with region failover).
    private static readonly string[] ExampleJobs = [typeof(ClickLogJob).FullName!, typeof(WindowedCountsJob).FullName!, typeof(WordCountJob).FullName!];

    private readonly PackagingTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Pack_zips_the_job_with_its_dependencies_and_a_manifest_but_not_the_engine()
    {
        using var packed = JobPackager.Pack(ExamplesPath, typeof(WordCountJob).FullName);

        Assert.Equal("StreamShield.Examples.dll", packed.AssemblyFileName);
        using (var archive = ZipFile.OpenRead(packed.ZipPath))
        {
            var names = archive.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("StreamShield.Examples.dll", names);
            Assert.Contains("StreamShield.Examples.pdb", names);
            Assert.Contains(JobManifest.FileName, names);
            Assert.DoesNotContain("StreamShield.Api.dll", names);
            Assert.DoesNotContain("StreamShield.Runtime.dll", names);
            Assert.DoesNotContain("StreamShield.Cluster.dll", names);
            Assert.All(names, n => Assert.DoesNotContain('/', n)); // top-level files only
            Assert.Equal(new JobManifest("StreamShield.Examples.dll", typeof(WordCountJob).FullName), JobManifest.Read(archive));
        }
        var zip = packed.ZipPath;
        packed.Dispose();
        Assert.False(File.Exists(zip));
    }

    [Fact]
    public void Pack_refuses_paths_that_are_not_an_existing_dll()
    {
        var notDll = Assert.Throws<ArgumentException>(() => JobPackager.Pack(Path.ChangeExtension(ExamplesPath, ".pdb"), null));
        Assert.Contains("is not a .dll", notDll.Message);
        var missing = Assert.Throws<FileNotFoundException>(() => JobPackager.Pack(Path.Combine(_files.Root, "Missing.dll"), null));
        Assert.Contains("does not exist", missing.Message);
    }

    [Fact]
    public void Packed_examples_store_load_and_build_each_job_on_an_environment()
    {
        var store = new JobArtifactStore(_files.StoreDirectory);
        using var packed = JobPackager.Pack(ExamplesPath, null);
        ArtifactInfo info;
        using (var upload = File.OpenRead(packed.ZipPath)) info = store.Store(upload);

        Assert.Matches("^[0-9a-f]{16}$", info.Id);
        Assert.Equal(new FileInfo(packed.ZipPath).Length, info.SizeBytes);
        Assert.Equal(ExampleJobs, info.EntryClasses);
        var stored = store.PathOf(info.Id);
        Assert.Equal(Path.Combine(Path.GetFullPath(_files.StoreDirectory), info.Id + ".zip"), stored);
        Assert.Equal(stored, store.PathOf(info.Id.ToUpperInvariant()));

        using (var loaded = JobClassLoader.Load(stored!, _files.ExtractRoot))
        {
            Assert.Equal(ExampleJobs, loaded.EntryClasses);
            foreach (var entryClass in loaded.EntryClasses)
            {
                var job = loaded.Create(entryClass);
                // The job's own code comes from the artifact (a collectible context), the engine from the host.
                Assert.Equal(entryClass, job.GetType().FullName);
                Assert.NotSame(typeof(WordCountJob).Assembly, job.GetType().Assembly);
                var context = AssemblyLoadContext.GetLoadContext(job.GetType().Assembly)!;
                Assert.True(context.IsCollectible);
                Assert.IsType<JobAssemblyContext>(context);
                var env = JobTesting.Environment();
                job.Build(env, []);
                Assert.False(string.IsNullOrEmpty(job.Name));
            }
            Assert.Equal(typeof(WordCountJob).FullName, loaded.Create("WordCountJob").GetType().FullName); // simple name

            var several = Assert.Throws<ClusterRequestException>(() => loaded.Create(null));
            Assert.Contains("several jobs", several.Message);
            Assert.Contains(typeof(WordCountJob).FullName!, several.Message);
            Assert.Contains(typeof(WindowedCountsJob).FullName!, several.Message);

            var unknown = Assert.Throws<ClusterRequestException>(() => loaded.Create("NoSuchJob"));
            Assert.Contains("no job class 'NoSuchJob'", unknown.Message);
            Assert.Contains(typeof(WordCountJob).FullName!, unknown.Message);
        }
        Assert.Empty(Directory.GetDirectories(_files.ExtractRoot)); // extracted files deleted on dispose
        Assert.Empty(Directory.GetDirectories(Path.Combine(_files.StoreDirectory, ".validate")));
    }

    [Fact]
    public void The_entry_class_chosen_when_packing_is_the_default_and_must_exist()
    {
        var store = new JobArtifactStore(_files.StoreDirectory);
        using var packed = JobPackager.Pack(ExamplesPath, typeof(WordCountJob).FullName);
        var info = store.Store(File.OpenRead(packed.ZipPath));
        using (var loaded = JobClassLoader.Load(store.PathOf(info.Id)!, _files.ExtractRoot))
        {
            Assert.Equal(typeof(WordCountJob).FullName, loaded.Create(null).GetType().FullName);
            Assert.Equal(typeof(WindowedCountsJob).FullName, loaded.Create(typeof(WindowedCountsJob).FullName).GetType().FullName);
        }

        using var wrong = JobPackager.Pack(ExamplesPath, "Nope");
        var e = Assert.Throws<ClusterRequestException>(() => store.Store(File.OpenRead(wrong.ZipPath)));
        Assert.Contains("no job class 'Nope'", e.Message);
        Assert.Contains(typeof(WordCountJob).FullName!, e.Message);
    }

    [Fact]
    public void Storing_the_same_upload_twice_yields_the_same_id_and_one_file()
    {
        var store = new JobArtifactStore(_files.StoreDirectory);
        using var packed = JobPackager.Pack(ExamplesPath, null);
        var first = store.Store(File.OpenRead(packed.ZipPath));
        var second = store.Store(File.OpenRead(packed.ZipPath));
        Assert.Equal(first.Id, second.Id);
        Assert.Equal([first.Id + ".zip"], Directory.GetFiles(_files.StoreDirectory).Select(f => Path.GetFileName(f)).ToArray());
    }

    [Fact]
    public void Rejects_a_text_file_renamed_to_dll()
    {
        var store = new JobArtifactStore(_files.StoreDirectory);
        var text = Encoding.UTF8.GetBytes("this is not an assembly");
        var withManifest = _files.Zip("Job.dll", ("Job.dll", text));
        var e = Assert.Throws<ClusterRequestException>(() => store.Store(File.OpenRead(withManifest)));
        Assert.Equal(400, e.StatusCode);
        Assert.Contains("'Job.dll' is not a .NET assembly", e.Message);

        var withoutManifest = _files.Zip(null, ("Job.dll", text));
        e = Assert.Throws<ClusterRequestException>(() => store.Store(File.OpenRead(withoutManifest)));
        Assert.Contains("'Job.dll' is not a .NET assembly", e.Message);
        AssertNothingStored();
    }

    [Fact]
    public void Rejects_an_upload_that_is_not_a_zip()
    {
        var store = new JobArtifactStore(_files.StoreDirectory);
        var e = Assert.Throws<ClusterRequestException>(() => store.Store(new MemoryStream(File.ReadAllBytes(ExamplesPath))));
        Assert.Contains("not a zip file", e.Message);
        e = Assert.Throws<ClusterRequestException>(() => store.Store(new MemoryStream()));
        Assert.Contains("empty", e.Message);
        AssertNothingStored();
    }

    [Fact]
    public void Rejects_a_zip_without_manifest_or_dll()
    {
        var store = new JobArtifactStore(_files.StoreDirectory);
        var zip = _files.Zip(null, ("README.txt", Encoding.UTF8.GetBytes("hello")));
        var e = Assert.Throws<ClusterRequestException>(() => store.Store(File.OpenRead(zip)));
        Assert.Contains("no streamshield-job.json manifest and no job assembly", e.Message);
        AssertNothingStored();
    }

    [Fact]
    public void Rejects_a_manifest_naming_a_missing_assembly()
    {
        var store = new JobArtifactStore(_files.StoreDirectory);
        var zip = _files.Zip("Missing.dll", ("Other.dll", [1, 2, 3]));
        var e = Assert.Throws<ClusterRequestException>(() => store.Store(File.OpenRead(zip)));
        Assert.Contains("names 'Missing.dll' as the job assembly, but the zip has no such file", e.Message);
    }

    [Fact]
    public void Rejects_an_assembly_without_a_job()
    {
        var store = new JobArtifactStore(_files.StoreDirectory);
        // A library with one public class and no job (the Nexmark connector no longer qualifies: it holds NexmarkJob).
        var library = _files.Zip("Library.dll", ("Library.dll", PackagingTestFiles.AssemblyTargeting("Library", $".NETCoreApp,Version=v{Environment.Version.Major}.0")));
        var e = Assert.Throws<ClusterRequestException>(() => store.Store(File.OpenRead(library)));
        Assert.Contains("contains no job", e.Message);
        Assert.Contains("StreamShield.IStreamJob", e.Message);
        Assert.Contains("public parameterless constructor", e.Message);
        AssertNothingStored();
    }

    [Fact]
    public void Rejects_assemblies_built_for_another_framework()
    {
        var store = new JobArtifactStore(_files.StoreDirectory);
        var netFramework = _files.Zip("OldJob.dll", ("OldJob.dll", PackagingTestFiles.AssemblyTargeting("OldJob", ".NETFramework,Version=v4.8")));
        var e = Assert.Throws<ClusterRequestException>(() => store.Store(File.OpenRead(netFramework)));
        Assert.Contains("targets .NET Framework 4.8", e.Message);
        Assert.Contains($"the cluster runs on .NET {Environment.Version}", e.Message);

        var future = _files.Zip("NewJob.dll", ("NewJob.dll", PackagingTestFiles.AssemblyTargeting("NewJob", ".NETCoreApp,Version=v99.0")));
        e = Assert.Throws<ClusterRequestException>(() => store.Store(File.OpenRead(future)));
        Assert.Contains("targets .NET 99.0", e.Message);
        Assert.Contains($"the cluster runs on .NET {Environment.Version}", e.Message);
        AssertNothingStored();
    }

    [Fact]
    public void Rejects_uploads_above_the_size_limit()
    {
        var store = new JobArtifactStore(_files.StoreDirectory, maxBytes: 1024 * 1024);
        var e = Assert.Throws<ClusterRequestException>(() => store.Store(new MemoryStream(new byte[2 * 1024 * 1024])));
        Assert.Contains("larger than the limit of 1 MB", e.Message);
        AssertNothingStored();
    }

    [Fact]
    public void Rejects_a_zip_bomb_before_extracting_it()
    {
        var store = new JobArtifactStore(_files.StoreDirectory);
        // 64 MB of zeros deflates to about 64 KB: a thousandfold expansion, where real assemblies manage 2-5.
        var bomb = _files.Zip("Job.dll", ("Job.dll", PackagingTestFiles.AssemblyTargeting("Job", $".NETCoreApp,Version=v{Environment.Version.Major}.0")),
            ("padding.bin", new byte[64 * 1024 * 1024]));
        Assert.True(new FileInfo(bomb).Length < 1024 * 1024);
        var e = Assert.Throws<ClusterRequestException>(() => store.Store(File.OpenRead(bomb)));
        Assert.Contains("'padding.bin' expands", e.Message);
        Assert.Contains("zip bomb", e.Message);
        AssertNothingStored();
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_files.StoreDirectory, ".validate"))); // nothing left extracted
    }

    [Fact]
    public void PathOf_accepts_only_hex_ids_of_stored_artifacts()
    {
        var store = new JobArtifactStore(_files.StoreDirectory);
        File.WriteAllText(Path.Combine(_files.Root, "secret.zip"), "x");
        Assert.Null(store.PathOf("../secret"));
        Assert.Null(store.PathOf("..%2Fsecret00000"));
        Assert.Null(store.PathOf(""));
        Assert.Null(store.PathOf("0123456789abcdef")); // well-formed but unknown
    }

    private void AssertNothingStored() =>
        Assert.Empty(Directory.GetFiles(_files.StoreDirectory));
}
