using System.Globalization;
using System.Net;
using System.Text;
using StreamShield.Chaos.Runs;

namespace StreamShield.Chaos.Reports;

/// <summary>
/// A self-contained HTML report of a run (inline SVG, no scripts, no downloads): the verdict, the throughput timeline
/// with each fault marked, each fault's recovery, the checkpoint history, and the failures and redeployments from
/// the job's timeline (which subtasks restarted). A suite report lists every scenario with its verdict.
/// </summary>
public static class HtmlReport
{
    private const int Width = 900, Height = 270, Left = 70, Right = 20, Top = 32, Bottom = 40;

    /// <summary>Writes <c>{scenario}.html</c> into <paramref name="directory"/> and returns its path.</summary>
    public static string Write(ChaosResult r, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{r.Scenario}.html");
        File.WriteAllText(path, Render(r));
        return path;
    }

    /// <summary>Writes <c>index.html</c>: every scenario of a suite with its verdict and figures, linked to its report.</summary>
    public static string WriteSuite(IReadOnlyList<ChaosResult> results, string directory)
    {
        Directory.CreateDirectory(directory);
        var sb = Page("StreamShield chaos suite");
        var passed = results.Count(r => r.Passed);
        sb.Append(CultureInfo.InvariantCulture, $"<h1>Chaos suite: {passed} of {results.Count} scenarios passed</h1>");
        sb.Append("<table><tr><th>scenario</th><th>verdict</th><th>faults</th><th>lost</th><th>duplicated</th><th>wrong</th><th>detect s</th><th>recovery s</th><th>zero output s</th><th>job</th></tr>");
        foreach (var r in results)
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"{E(r.Scenario)}.html\">{E(r.Scenario)}</a></td><td class=\"{(r.Passed ? "pass" : "fail")}\">{(r.Passed ? "passed" : "FAILED")}</td><td>{r.Faults.Count}</td><td>{r.Oracle?.Lost}</td><td>{r.Oracle?.Duplicated}</td><td>{r.Oracle?.Wrong}</td><td>{S(r.DetectSeconds)}</td><td>{S(r.RecoverySeconds)}</td><td>{r.ZeroOutputSeconds:0.00}</td><td>{E(r.JobStatus)}</td></tr>");
        sb.Append("</table></body></html>");
        var path = Path.Combine(directory, "index.html");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    public static string Render(ChaosResult r)
    {
        var sb = Page($"Chaos: {r.Scenario}");
        sb.Append(CultureInfo.InvariantCulture, $"<h1>{E(r.Scenario)}: <span class=\"{(r.Passed ? "pass" : "fail")}\">{(r.Passed ? "passed" : "FAILED")}</span></h1>");
        if (r.Description.Length > 0) sb.Append(CultureInfo.InvariantCulture, $"<p>{E(r.Description)}</p>");
        if (r.Reasons.Count > 0) sb.Append("<ul class=\"fail\">").Append(string.Concat(r.Reasons.Select(x => $"<li>{E(x)}</li>"))).Append("</ul>");
        sb.Append(CultureInfo.InvariantCulture, $"<table><tr><th>seed</th><th>job</th><th>run s</th><th>restarts</th><th>results expected</th><th>committed</th><th>lost</th><th>duplicated</th><th>wrong</th><th>pre-fault records/s</th></tr>");
        sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{r.Seed}</td><td>{E(r.JobStatus)}</td><td>{r.Seconds:0.0}</td><td>{r.Restarts}</td><td>{r.Oracle?.Expected:N0}</td><td>{r.Oracle?.Committed:N0}</td><td>{r.Oracle?.Lost}</td><td>{r.Oracle?.Duplicated}</td><td>{r.Oracle?.Wrong}</td><td>{r.PreFaultPerSecond:N0}</td></tr></table>");

        sb.Append("<h2>Throughput (records in per second, 1 s window) with faults</h2>");
        sb.Append(ThroughputChart(r));
        if (r.Latency is { Count: > 1 } latency)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h2>p99 end-to-end latency (ms, per 100 ms interval; pre-fault {r.PreFaultP99Ms:0.0} ms)</h2>");
            sb.Append(Chart("latency", latency, r.Faults, "p99 ms", r.PreFaultP99Ms is { } p ? (1.1 * p, "110 % of pre-fault") : null, "#ff7f0e"));
        }
        else sb.Append("<p class=\"note\">This workload does not record end-to-end latency: recovery is judged on throughput alone.</p>");

        sb.Append("<h2>Faults and recovery</h2><table><tr><th>#</th><th>at s</th><th>fault</th><th>detect s</th><th>recovery s</th><th>zero output s</th><th>records behind</th></tr>");
        for (var i = 0; i < r.Faults.Count; i++)
        {
            var f = r.Faults[i];
            var rec = i < r.Recoveries.Count ? r.Recoveries[i] : null;
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{i + 1}</td><td>{f.Seconds:0.00}</td><td>{E(f.Description)}</td><td>{S(rec?.DetectSeconds)}</td><td>{S(rec?.RecoverySeconds)}</td><td>{rec?.ZeroOutputSeconds:0.00}</td><td>{rec?.RecordsBehind:N0}</td></tr>");
        }
        sb.Append("</table>");

        sb.Append("<h2>Checkpoints</h2>").Append(CheckpointChart(r));
        sb.Append("<table><tr><th>id</th><th>status</th><th>duration ms</th><th>bytes</th><th>failure</th></tr>");
        foreach (var c in r.Checkpoints.TakeLast(60))
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{c.Id}</td><td>{E(c.Status)}</td><td>{c.DurationMs:0}</td><td>{c.SizeBytes:N0}</td><td>{E(c.Failure ?? "")}</td></tr>");
        sb.Append("</table>");

        sb.Append("<h2>Failures, restarts and redeployments (which subtasks restarted)</h2><table><tr><th>time</th><th>kind</th><th>event</th></tr>");
        foreach (var e in r.Timeline.Where(e => e.Kind is "TaskFailed" or "Restarting" or "Restored" or "Failed" or "Finished" or "Canceled" or "FaultInjected" || e.Message.StartsWith("Attempt", StringComparison.Ordinal)))
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{e.Time:HH:mm:ss.fff}</td><td>{E(e.Kind)}</td><td>{E(e.Message)}</td></tr>");
        sb.Append("</table></body></html>");
        return sb.ToString();
    }

    private static string ThroughputChart(ChaosResult r) =>
        Chart("throughput", RecoveryAnalysis.Throughput(r.Samples), r.Faults, "records/s", r.PreFaultPerSecond is { } pre ? (0.9 * pre, "90 % of pre-fault") : null, "#1f77b4");

    private static string Chart(string id, IReadOnlyList<(double Seconds, double Value)> points, IReadOnlyList<InjectedFault> faults, string yLabel, (double Value, string Label)? line, string colour)
    {
        if (points.Count < 2) return "<p>No samples.</p>";
        var maxT = Math.Max(1, points[^1].Seconds);
        var maxY = Math.Max(1, points.Max(p => p.Value)) * 1.1;
        double X(double t) => Left + (Width - Left - Right) * t / maxT;
        double Y(double v) => Top + (Height - Top - Bottom) * (1 - v / maxY);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" id=\"{id}\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        Axes(sb, maxT, maxY, yLabel);
        if (line is { } l && l.Value < maxY)
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(l.Value):0.#}\" y2=\"{Y(l.Value):0.#}\" stroke=\"#999\" stroke-dasharray=\"4 4\"/><text x=\"{Width - Right - 4}\" y=\"{Y(l.Value) - 4:0.#}\" text-anchor=\"end\" class=\"small\">{E(l.Label)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"");
        foreach (var (t, v) in points) sb.Append(CultureInfo.InvariantCulture, $"{X(t):0.#},{Y(v):0.#} ");
        sb.Append("\"/>");
        foreach (var (f, i) in faults.Select((f, i) => (f, i)))
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"fault\" x1=\"{X(f.Seconds):0.#}\" x2=\"{X(f.Seconds):0.#}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"#d62728\"/><text x=\"{X(f.Seconds) + 3:0.#}\" y=\"{Top + 12 + 12 * (i % 3)}\" class=\"small\" fill=\"#d62728\">{i + 1}: {E(f.Kind)}</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string CheckpointChart(ChaosResult r)
    {
        var done = r.Checkpoints.Where(c => c.DurationMs is not null).TakeLast(60).ToList();
        if (done.Count == 0) return "<p>No checkpoints.</p>";
        var maxY = Math.Max(1, done.Max(c => c.DurationMs!.Value)) * 1.1;
        var barWidth = (Width - Left - Right) / (double)done.Count;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" id=\"checkpoints\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        Axes(sb, null, maxY, "duration ms");
        for (var i = 0; i < done.Count; i++)
        {
            var h = (Height - Top - Bottom) * done[i].DurationMs!.Value / maxY;
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left + i * barWidth + 1:0.#}\" y=\"{Height - Bottom - h:0.#}\" width=\"{Math.Max(1, barWidth - 2):0.#}\" height=\"{h:0.#}\" fill=\"{(done[i].Status == "completed" ? "#2ca02c" : "#d62728")}\"><title>checkpoint {done[i].Id}: {done[i].Status}, {done[i].DurationMs:0} ms</title></rect>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static void Axes(StringBuilder sb, double? maxX, double maxY, string yLabel)
    {
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/><line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Height - Bottom}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>");
        for (var k = 0; k <= 4; k++)
        {
            var v = maxY * k / 4;
            var y = Top + (Height - Top - Bottom) * (1 - k / 4.0);
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" class=\"small\">{v:N0}</text>");
            if (maxX is { } mx) sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (Width - Left - Right) * k / 4.0:0.#}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" class=\"small\">{mx * k / 4:0.#} s</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"14\" class=\"small\">{E(yLabel)}</text>");
    }

    private static StringBuilder Page(string title) => new StringBuilder()
        .Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
        .Append("body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}")
        .Append(".pass{color:#2ca02c;font-weight:bold}.fail{color:#d62728;font-weight:bold}.small{font-size:11px}.note{color:#666;font-size:12px}svg.chart{border:1px solid #eee}")
        .Append("</style></head><body>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
    private static string S(double? seconds) => seconds is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "never";
}
