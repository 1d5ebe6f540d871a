using System.Globalization;

namespace StreamShield.Chaos.Runs;

/// <summary>
/// Reads what <see cref="Connectors.Nexmark.LatencyFileSink{T}"/> writes (one CSV per sink subtask, attempt and
/// process: <c>startMs,count,p50Ms,p99Ms,maxMs</c> per interval): per interval start (epoch ms), the largest p99 of the
/// subtasks, an upper bound of the combined p99.
/// </summary>
internal static class LatencyFiles
{
    public static SortedDictionary<long, double> ReadP99(string directory)
    {
        var result = new SortedDictionary<long, double>();
        if (!Directory.Exists(directory)) return result;
        foreach (var file in Directory.EnumerateFiles(directory, "latency-*.csv"))
        {
            string[] lines;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var reader = new StreamReader(stream))
                lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var line in lines.Skip(1))
            {
                var f = line.Split(',');
                if (f.Length < 5 || !long.TryParse(f[0], CultureInfo.InvariantCulture, out var start) || !double.TryParse(f[3], CultureInfo.InvariantCulture, out var p99)) continue;
                result[start] = Math.Max(result.GetValueOrDefault(start), p99);
            }
        }
        return result;
    }
}
