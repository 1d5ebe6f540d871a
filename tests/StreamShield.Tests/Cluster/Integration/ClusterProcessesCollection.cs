namespace StreamShield.Tests.Cluster.Integration;

/// <summary>
/// Tests that start coordinator and worker processes run alone, one after another: on a 2-core machine, parallel
/// tests would starve the processes' heartbeats and turn a healthy worker into a "hung" one.
/// </summary>
[CollectionDefinition(nameof(ClusterProcessesCollection), DisableParallelization = true)]
public sealed class ClusterProcessesCollection;
