using StreamShield.Functions;
using StreamShield.Sinks;

namespace StreamShield.Examples;

/// <summary>
/// The classic: reads the text files of a directory (replayable by byte offset), splits lines into words, and
/// keeps a running count per word; the final counts go to the transactional file sink.
/// Arguments: <c>--input DIR</c> (default: a generated sample), <c>--output DIR</c>.
/// </summary>
public sealed class WordCountJob : IStreamJob
{
    /// <inheritdoc />
    public string Name => "wordcount";

    /// <inheritdoc />
    public void Build(StreamEnvironment env, IReadOnlyList<string> args)
    {
        string? input = null;
        var output = Path.Combine(Path.GetTempPath(), "streamshield-wordcount");
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (args[i] == "--input") input = args[i + 1];
            else if (args[i] == "--output") output = args[i + 1];
            else throw new ArgumentException($"Unknown argument '{args[i]}' for job {Name}. Use --input DIR and --output DIR.");
        }
        input ??= WriteSample();
        env.ReadTextFiles(input).Uid("lines")
            .FlatMap<(string Word, long Count)>((line, output) =>
            {
                foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    output.Collect((word.ToLowerInvariant(), 1));
            }, "Split words")
            .KeyBy(w => w.Word)
            .Process(new FinalCount(), "Count words").Uid("counts")
            .SinkTo(new FileSink<string>(output), "Counts").Uid("out");
    }

    private static string WriteSample()
    {
        var dir = Path.Combine(Path.GetTempPath(), "streamshield-wordcount-input");
        Directory.CreateDirectory(dir);
        File.WriteAllLines(Path.Combine(dir, "hamlet.txt"),
        [
            "To be or not to be that is the question",
            "Whether tis nobler in the mind to suffer",
            "The slings and arrows of outrageous fortune",
            "Or to take arms against a sea of troubles",
        ]);
        return dir;
    }

    /// <summary>Counts per word in keyed state and emits each word's total when the input ends.</summary>
    private sealed class FinalCount : KeyedProcessFunction<string, (string Word, long Count), string>
    {
        private State.IValueState<long> _count = null!;

        public override void Open() => _count = RuntimeContext.GetState(new State.ValueStateDescriptor<long>("count"));

        public override void ProcessElement((string Word, long Count) value, Context context, ICollector<string> output)
        {
            if (_count.Value == 0) context.TimerService.RegisterEventTimeTimer(long.MaxValue - 1);
            _count.Update(_count.Value + value.Count);
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<string> output) =>
            output.Collect($"{context.CurrentKey} {_count.Value}");
    }
}
