namespace StreamShield;

/// <summary>
/// The job cannot be built: the message names the operator at fault and how to fix it. Thrown before anything
/// runs, so no data is touched.
/// </summary>
public sealed class JobBuildException(string message, Exception? inner = null) : Exception(message, inner);
