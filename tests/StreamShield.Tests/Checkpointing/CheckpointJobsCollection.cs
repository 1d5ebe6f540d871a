namespace StreamShield.Tests.Checkpointing;

/// <summary>Job tests that run embedded jobs with checkpoints: run one at a time, so timing-based progress does not starve.</summary>
[CollectionDefinition(nameof(CheckpointJobsCollection), DisableParallelization = true)]
public sealed class CheckpointJobsCollection;
