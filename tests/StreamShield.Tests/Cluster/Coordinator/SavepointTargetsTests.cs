using StreamShield.Cluster.Coordinator;
using StreamShield.Cluster.Model;

namespace StreamShield.Tests.Cluster.Coordinator;

/// <summary>A REST caller may have savepoints written under the savepoint root or a directory the operator allowed, nowhere else.</summary>
public sealed class SavepointTargetsTests
{
    private static readonly SavepointTargets Targets = new("/srv/ss/savepoints", ["/backups/savepoints"]);

    [Theory]
    [InlineData(null, "/srv/ss/savepoints")]
    [InlineData("", "/srv/ss/savepoints")]
    [InlineData("nightly", "/srv/ss/savepoints/nightly")]
    [InlineData("a/../b", "/srv/ss/savepoints/b")]
    [InlineData("/srv/ss/savepoints/x", "/srv/ss/savepoints/x")]
    [InlineData("/backups/savepoints", "/backups/savepoints")]
    [InlineData("/backups/savepoints/job-1", "/backups/savepoints/job-1")]
    public void Directories_under_the_root_or_an_allowed_directory_resolve(string? requested, string expected) =>
        Assert.Equal(expected, Targets.Resolve(requested));

    [Theory]
    [InlineData("../../tmp/x", "leaves the coordinator's savepoint root")]
    [InlineData("..", "leaves the coordinator's savepoint root")]
    [InlineData("/tmp/x", "--allow-savepoint-dir /tmp/x")]
    [InlineData("/srv/ss/savepoints-evil", "outside the coordinator's savepoint root")]
    [InlineData("/backups/savepoints/../../etc", "outside the coordinator's savepoint root")]
    public void Anything_else_is_refused_with_400_and_the_fix(string requested, string expected)
    {
        var error = Assert.Throws<ClusterRequestException>(() => Targets.Resolve(requested));
        Assert.Equal(400, error.StatusCode);
        Assert.Contains(expected, error.Message);
    }
}
