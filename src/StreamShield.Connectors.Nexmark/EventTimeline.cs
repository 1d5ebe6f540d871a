namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// Event time of a generator's n-th event: <see cref="NexmarkOptions.BaseTime"/> plus the inter-event delays before
/// it. With one rate (first = next) the delay is <c>unit / rate × generators</c> microseconds, fractional, as in
/// nexmark/nexmark's <c>GeneratorConfig.timestampForEvent</c>. With two rates the shape's steps (two for square, ten
/// for sine) each last <c>ceil(period / steps)</c> seconds at their own whole-microsecond delay, and the cycle
/// repeats (the shape logic of the reference's <c>RateShape</c> and Beam's <c>timestampAndInterEventDelayUsForEvent</c>).
/// Immutable, O(steps) per call.
/// </summary>
internal sealed class EventTimeline
{
    private const int SineSteps = 10;

    private readonly long _baseTime;
    private readonly double _constantDelayUs;
    private readonly long[]? _stepDelaysUs;
    private readonly long[]? _stepEvents;
    private readonly long _eventsPerEpoch;
    private readonly long _epochPeriodMs;

    public EventTimeline(NexmarkOptions options)
    {
        _baseTime = options.BaseTime;
        long usPerUnit = options.RateUnit == RateUnit.PerMinute ? 60_000_000L : 1_000_000L;
        if (options.FirstEventRate == options.NextEventRate)
        {
            _constantDelayUs = (double)usPerUnit / options.FirstEventRate * options.NumEventGenerators;
            return;
        }

        _stepDelaysUs = StepDelays(options, usPerUnit);
        long steps = options.RateShape == RateShape.Sine ? SineSteps : 2;
        var stepLengthSec = (options.RatePeriodSec + steps - 1) / steps;
        _stepEvents = new long[_stepDelaysUs.Length];
        for (var i = 0; i < _stepDelaysUs.Length; i++)
        {
            _stepEvents[i] = stepLengthSec * 1_000_000L / _stepDelaysUs[i];
            _eventsPerEpoch += _stepEvents[i];
            _epochPeriodMs += _stepEvents[i] * _stepDelaysUs[i] / 1000L;
        }
        if (_eventsPerEpoch == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RatePeriodSec,
                $"Nexmark option RatePeriodSec is too short for the rates {options.FirstEventRate} and {options.NextEventRate} {options.RateUnit}: no step of the {options.RateShape} shape holds an event.");
        }
    }

    /// <summary>The inter-event delay of each step of a two-rate shape, microseconds per generator.</summary>
    private static long[] StepDelays(NexmarkOptions options, long usPerUnit)
    {
        long generators = options.NumEventGenerators;
        if (options.RateShape == RateShape.Square)
            return [PeriodUs(options.FirstEventRate) * generators, PeriodUs(options.NextEventRate) * generators];
        var mid = (options.FirstEventRate + options.NextEventRate) / 2.0;
        var amplitude = (options.FirstEventRate - options.NextEventRate) / 2.0; // negative when the rate rises
        var delays = new long[SineSteps];
        for (var i = 0; i < SineSteps; i++)
        {
            var rate = mid + amplitude * Math.Cos(2.0 * Math.PI * i / SineSteps);
            delays[i] = PeriodUs((long)Math.Floor(rate + 0.5)) * generators;
        }
        return delays;

        long PeriodUs(long rate) => (usPerUnit + rate / 2) / rate;
    }

    /// <summary>The longest inter-event delay on this timeline, microseconds.</summary>
    public double MaxDelayUs => _stepDelaysUs is null ? _constantDelayUs : _stepDelaysUs.Max();

    /// <summary>Event time of the generator's event number <paramref name="n"/> (0-based), epoch milliseconds.</summary>
    public long TimestampFor(long n)
    {
        if (_stepDelaysUs is null) return _baseTime + (long)(n * _constantDelayUs) / 1000L;

        var epoch = n / _eventsPerEpoch;
        var inEpoch = n % _eventsPerEpoch;
        var offsetMs = 0L;
        for (var i = 0; i < _stepDelaysUs.Length; i++)
        {
            if (inEpoch < _stepEvents![i]) return _baseTime + epoch * _epochPeriodMs + offsetMs + inEpoch * _stepDelaysUs[i] / 1000L;
            inEpoch -= _stepEvents[i];
            offsetMs += _stepEvents[i] * _stepDelaysUs[i] / 1000L;
        }
        throw new InvalidOperationException("Unreachable: the steps of an epoch hold all its events.");
    }
}
