using System.Globalization;
using StreamShield.Bench;

// StreamShield engine benchmarks. Each run measures one configuration in this process (so peak memory is that
// configuration's); bench/run.sh runs them all, each in its own process, and writes bench/results/engine-core.md.
// Usage: StreamShield.Bench <config> [--seconds N] [--repeat N] [--out FILE]
//   configs: pt-loop, pt, pt-cp, pt-armed, wc-loop, wc, wc-cp, wc-cp-spill, wc-cp-noretain, state, header, diag, micro
var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "pt";
var seconds = Option("--seconds", 20);
var repeat = Option("--repeat", 3);
var output = OptionText("--out");
var warmup = TimeSpan.FromSeconds(3);
var measure = TimeSpan.FromSeconds(seconds);
var noRetention = new Dictionary<string, string> { ["network.retained-output.memory-per-channel"] = "0" };
var spill = new Dictionary<string, string> { ["network.retained-output.spill-per-channel"] = (1L << 30).ToString(CultureInfo.InvariantCulture) };
var armed = new Dictionary<string, string> { ["fault.task.process"] = "throw:after=9000000000000" };

switch (mode)
{
    case "pt-loop": Row("pass-through, hand-written loop over the same functions (1 thread)", () => Measurement.RunLoop("loop", Jobs.PassThroughLoop, measure)); break;
    case "pt": Row("pass-through, p=2, no checkpoints", () => Measurement.RunJob("pt", Jobs.PassThrough(false), warmup, measure)); break;
    case "pt-cp": Row("pass-through, p=2, exactly-once checkpoints every 10 s", () => Measurement.RunJob("pt-cp", Jobs.PassThrough(true), warmup, measure)); break;
    case "pt-armed": Row("pass-through, p=2, fault point task.process armed (never fires)", () => Measurement.RunJob("pt-armed", Jobs.PassThrough(false, armed), warmup, measure)); break;
    case "wc-loop": Row("keyed window count, hand-written loop with a Dictionary (1 thread)", () => Measurement.RunLoop("loop", Jobs.WindowCountLoop, measure)); break;
    case "wc": Row("keyed window count, p=2, no checkpoints", () => Measurement.RunJob("wc", Jobs.WindowCount(false), warmup, measure)); break;
    case "wc-cp": Row("keyed window count, p=2, exactly-once checkpoints every 10 s (default: retained output in memory, 4 MB/channel)", () => Measurement.RunJob("wc-cp", Jobs.WindowCount(true), warmup, measure)); break;
    case "wc-cp-spill": Row("keyed window count, p=2, exactly-once checkpoints every 10 s, retained output spilled to disk (≤ 1 GiB/channel)", () => Measurement.RunJob("wc-cp-spill", Jobs.WindowCount(true, spill), warmup, measure)); break;
    case "wc-cp-noretain": Row("keyed window count, p=2, exactly-once checkpoints every 10 s, retained output off", () => Measurement.RunJob("wc-cp-noretain", Jobs.WindowCount(true, noRetention), warmup, measure)); break;
    case "state": Append(StateMemory.Compare(1_000_000)); break;
    case "header": Console.WriteLine(Report.Header()); break;
    case "micro": Console.WriteLine(Micro.Run()); break;
    case "diag":
        Row("rebalance → map, p=2", () => Measurement.RunJob("rebalance", Jobs.Rebalanced(false), warmup, measure));
        Row("keyBy → reduce, p=2", () => Measurement.RunJob("keyed-reduce", Jobs.KeyedReduce(false), warmup, measure));
        Row("keyBy → process with a timer per record, p=2", () => Measurement.RunJob("keyed-timers", Jobs.KeyedTimers(false), warmup, measure));
        break;
    default:
        Console.Error.WriteLine($"Unknown configuration '{mode}'.");
        return 2;
}
return 0;

string? OptionText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

int Option(string name, int fallback) => OptionText(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

void Row(string name, Func<Measurement> run)
{
    var runs = new List<Measurement>();
    for (var i = 0; i < repeat; i++)
    {
        var m = run();
        Console.Error.WriteLine($"  {m.Name}: {m.RecordsPerSecond:N0} rec/s, {m.RecordsPerCoreSecond:N0} rec/s per core, peak {m.PeakWorkingSetBytes / 1048576} MiB, {m.AllocatedBytesPerRecord:0.00} B allocated/record, checkpoints {m.CheckpointsCompleted}");
        runs.Add(m);
        GC.Collect();
    }
    Append(Report.Row(name, runs));
}

void Append(string line)
{
    Console.WriteLine(line);
    if (output is not null) File.AppendAllText(output, line + Environment.NewLine);
}
