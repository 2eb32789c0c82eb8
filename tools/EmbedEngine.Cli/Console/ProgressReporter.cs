using System.Globalization;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Cli.Console;

/// <summary>
/// Shows training progress: a live bar redrawn in place on a terminal, nothing when output is redirected (a log gets
/// the trainer's own summary lines, and <c>--metrics</c> records every snapshot for whoever wants them).
/// </summary>
public sealed class ProgressReporter
{
    private const int BarWidth = 30;

    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private readonly string _unit;
    private readonly string _step;
    private double _smoothedLoss = double.NaN;

    /// <summary>Reports to <paramref name="writer"/>; <paramref name="interactive"/> picks the live bar.</summary>
    /// <param name="writer">Where the bar goes.</param>
    /// <param name="interactive">True for a bar redrawn in place, false for silence.</param>
    /// <param name="unit">What the trainer counts (words, entries, nonzeros), for the rate.</param>
    /// <param name="step">What its passes are called (epoch, product).</param>
    public ProgressReporter(TextWriter writer, bool interactive, string unit = "words", string step = "epoch")
    {
        _writer = writer;
        _interactive = interactive;
        _unit = unit;
        _step = step;
    }

    /// <summary>How often trainers are asked for a snapshot.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Runs <paramref name="train"/> with a callback that shows each snapshot here and, when
    /// <paramref name="metricsPath"/> is given, also appends it to that JSON-lines file.
    /// </summary>
    public T Follow<T>(string? metricsPath, Func<Action<TrainingProgress>, T> train)
    {
        using MetricsWriter? metrics = metricsPath != null ? new MetricsWriter(metricsPath) : null;
        return train(p =>
        {
            Report(p);
            metrics?.Write(p);
        });
    }

    /// <summary>A reporter on standard error that draws a bar only when standard error is a terminal.</summary>
    /// <param name="error">Standard error, or a test's writer (which never gets the bar).</param>
    /// <param name="unit">What the trainer counts, for the rate.</param>
    /// <param name="step">What its passes are called.</param>
    public static ProgressReporter ForStandardError(TextWriter error, string unit = "words", string step = "epoch") =>
        new(error, OnTerminal(error), unit, step);

    /// <summary>Where a long job's progress lines go: <paramref name="error"/> on a terminal, nowhere when it is redirected.</summary>
    public static TextWriter LinesFor(TextWriter error) => OnTerminal(error) ? error : TextWriter.Null;

    private static bool OnTerminal(TextWriter error) => !System.Console.IsErrorRedirected && ReferenceEquals(error, System.Console.Error);

    /// <summary>
    /// Progress of a pass that reads <paramref name="total"/> bytes (building the vocabulary): a bar on a
    /// terminal, nothing when redirected, where the pass is short next to training.
    /// </summary>
    public IProgress<long> ForScan(string phase, long total) => new ScanProgress(this, phase, total);

    /// <summary>Shows one snapshot.</summary>
    public void Report(TrainingProgress progress)
    {
        if (!_interactive) return;
        if (!double.IsNaN(progress.Loss))
            _smoothedLoss = double.IsNaN(_smoothedLoss) ? progress.Loss : 0.7 * _smoothedLoss + 0.3 * progress.Loss;
        DrawBar(progress.Fraction, Describe(progress));
        if (progress.WordsProcessed >= progress.TotalWords) _writer.WriteLine();
    }

    private void DrawBar(double fraction, string text)
    {
        int filled = (int)(Math.Clamp(fraction, 0, 1) * BarWidth);
        _writer.Write($"\r[{new string('#', filled)}{new string('.', BarWidth - filled)}] {text}   ");
        _writer.Flush();
    }

    /// <summary>One progress line; a method without a learning rate or loss reports NaN, and the field is left out.</summary>
    private string Describe(TrainingProgress p)
    {
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{p.Fraction * 100,5:F1}%  {_step} {p.Epoch}  {FormatRate(p.WordsPerSecond)} {_unit}/s  ETA {FormatTime(p.Remaining)}");
        if (!float.IsNaN(p.LearningRate)) line += string.Create(CultureInfo.InvariantCulture, $"  lr {p.LearningRate:F6}");
        if (!double.IsNaN(_smoothedLoss)) line += string.Create(CultureInfo.InvariantCulture, $"  loss {_smoothedLoss:F4}");
        if (!double.IsNaN(p.ValidationLoss)) line += string.Create(CultureInfo.InvariantCulture, $"  val {p.ValidationLoss:F4}");
        if (!double.IsNaN(p.LogitScale)) line += string.Create(CultureInfo.InvariantCulture, $"  scale {p.LogitScale:F1}");
        return line;
    }

    /// <summary>A rate with a k/M suffix.</summary>
    public static string FormatRate(double perSecond) => perSecond switch
    {
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1e6:F2}M"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1e3:F1}k"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{perSecond:F0}"),
    };

    private static string FormatTime(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    /// <summary>Redraws at most every <see cref="Interval"/>, so a fast scan does not flood the terminal.</summary>
    private sealed class ScanProgress(ProgressReporter owner, string phase, long total) : IProgress<long>
    {
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
        private readonly System.Diagnostics.Stopwatch _sinceDraw = System.Diagnostics.Stopwatch.StartNew();

        public void Report(long value)
        {
            if (!owner._interactive || total <= 0 || _sinceDraw.Elapsed < Interval) return;
            _sinceDraw.Restart();
            double fraction = (double)value / total;
            owner.DrawBar(fraction, string.Create(CultureInfo.InvariantCulture, $"{phase} {fraction * 100:F1}%"));
        }
    }
}
