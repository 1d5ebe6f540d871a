using System.Text;

namespace StreamShield.Bench;

/// <summary>Collects results and prints them as a markdown table of medians.</summary>
internal sealed class Report
{
    private readonly StringBuilder _table = new();
    private readonly StringBuilder _text = new();

    public Report()
    {
        _table.AppendLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}. Medians of repeated runs.");
        _table.AppendLine();
        _table.AppendLine("| run | records/s | records/s per core (CPU time) | peak working set | allocated bytes/record | checkpoints in window |");
        _table.AppendLine("|---|---:|---:|---:|---:|---:|");
    }

    public void Add(string name, List<Measurement> runs)
    {
        var m = runs.OrderBy(r => r.RecordsPerCoreSecond).ElementAt(runs.Count / 2);
        _table.AppendLine($"| {name} | {Median(runs, r => r.RecordsPerSecond):N0} | {Median(runs, r => r.RecordsPerCoreSecond):N0} | {runs.Max(r => r.PeakWorkingSetBytes) / 1048576} MiB | {Median(runs, r => r.AllocatedBytesPerRecord):0.00} | {m.CheckpointsCompleted} |");
    }

    public void AddText(string text) => _text.AppendLine().AppendLine(text);

    private static double Median(List<Measurement> runs, Func<Measurement, double> f)
    {
        var v = runs.Select(f).Order().ToList();
        return v[v.Count / 2];
    }

    public void Print(string? file)
    {
        var text = _table + Environment.NewLine + _text;
        Console.WriteLine(text);
        if (file is not null) File.WriteAllText(file, text);
    }
}
