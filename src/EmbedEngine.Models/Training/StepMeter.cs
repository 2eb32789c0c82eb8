using System.Diagnostics;

namespace EmbedEngine.Models.Training;

/// <summary>
/// Times a trainer's steps (and nothing between them) and averages their losses between progress snapshots, which
/// it hands to the listener about every interval.
/// </summary>
internal sealed class StepMeter(Action<TrainingProgress>? onProgress, TimeSpan interval)
{
    private readonly Stopwatch _clock = new();
    private TimeSpan _lastReport;
    private double _lossSum, _lastLoss = double.NaN;
    private int _lossCount;

    /// <summary>Time spent in steps.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Starts timing a step.</summary>
    public void Start() => _clock.Start();

    /// <summary>Ends a step of loss <paramref name="loss"/>; reports <paramref name="snapshot"/>'s progress when the interval has passed.</summary>
    public void Stop(double loss, Func<TrainingProgress> snapshot)
    {
        _clock.Stop();
        _lossSum += loss;
        _lossCount++;
        if (onProgress != null && _clock.Elapsed >= _lastReport + interval)
        {
            onProgress(snapshot());
            _lastReport = _clock.Elapsed;
        }
    }

    /// <summary>The mean loss of the steps since the last call; the previous mean when there were none (NaN at first).</summary>
    public double TakeMeanLoss()
    {
        if (_lossCount > 0) (_lastLoss, _lossSum, _lossCount) = (_lossSum / _lossCount, 0, 0);
        return _lastLoss;
    }
}
