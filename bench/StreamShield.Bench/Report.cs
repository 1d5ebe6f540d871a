namespace StreamShield.Bench;

/// <summary>Formats results as markdown: medians of repeated runs.</summary>
internal static class Report
{
    public static string Header() =>
        $"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}. Medians of repeated runs; each row in its own process." + Environment.NewLine + Environment.NewLine +
        "| run | records/s | records/s per core (CPU time) | peak working set | allocated bytes/record | checkpoints in window |" + Environment.NewLine +
        "|---|---:|---:|---:|---:|---:|";

    public static string Row(string name, List<Measurement> runs)
    {
        var checkpoints = runs.Select(r => r.CheckpointsCompleted).Order().ElementAt(runs.Count / 2);
        return $"| {name} | {Median(runs, r => r.RecordsPerSecond):N0} | {Median(runs, r => r.RecordsPerCoreSecond):N0} | {runs.Max(r => r.PeakWorkingSetBytes) / 1048576} MiB | {Median(runs, r => r.AllocatedBytesPerRecord):0.00} | {checkpoints} |";
    }

    private static double Median(List<Measurement> runs, Func<Measurement, double> f)
    {
        var v = runs.Select(f).Order().ToList();
        return v[v.Count / 2];
    }
}
