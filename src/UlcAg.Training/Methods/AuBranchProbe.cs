using UlcAg.Data;
using UlcAg.Network.Models;
using UlcAg.Training.Correction;
using UlcAg.Training.Metrics;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Training.Methods;

/// <summary>
/// How well the AU branch ranks its AUs (where s is the AU scores and samples carry AU labels),
/// against the samples' AU labels and, where a sample knows them (synthetic faces), against the AUs
/// actually rendered; and how often the nearest template names a sample's own class (where
/// templates exist).
/// </summary>
/// <param name="net">The network's shape.</param>
/// <param name="templates">The templates relabeling uses.</param>
/// <param name="toTemplateSpace">How s is mapped before it meets the templates (e.g. standardized); null for s itself.</param>
public sealed class AuBranchProbe(NetworkOptions net, SemanticTemplates templates, Func<ReadOnlySpan<float>, float[]>? toTemplateSpace = null) : EvalProbe
{
    private readonly bool _scoresAreAus = net.Semantic == SemanticFeature.AuScores;
    private readonly bool _templatesReady = Enumerable.Range(0, templates.Classes).Any(templates.Has);
    private readonly List<float[]> _scores = [], _labels = [], _renderedScores = [], _rendered = [];
    private readonly List<(float[] S, Sample Sample)> _rows = [];
    private int _hits, _samples;

    /// <summary>Compares the correction with s against the correction with the rendered AUs, from every sample's s; null to skip.</summary>
    public Func<IReadOnlyList<(float[] S, Sample Sample)>, AuOracleResults?>? Oracle { get; init; }

    public override void Add(IReadOnlyDictionary<string, Array> outputs, int row, Sample sample)
    {
        var semantic = (float[])outputs[N.Semantic];
        if (Oracle is not null) _rows.Add((semantic.AsSpan(row * templates.Size, templates.Size).ToArray(), sample));
        if (_templatesReady)
        {
            _samples++;
            var s = semantic.AsSpan(row * templates.Size, templates.Size);
            if (templates.Nearest(toTemplateSpace is null ? s : toTemplateSpace(s)).Class == sample.Label) _hits++;
        }
        if (!_scoresAreAus) return;
        var scores = semantic.AsSpan(row * net.AuCount, net.AuCount).ToArray();
        if (sample.Aus is { } aus)
        {
            _scores.Add(scores);
            _labels.Add(aus);
        }
        if (sample.RenderedAus is { } rendered)
        {
            _renderedScores.Add(scores);
            _rendered.Add(rendered);
        }
    }

    /// <summary>The AUs' names in score order (the dataset's AU columns); per-AU results are left out without them.</summary>
    public IReadOnlyList<string>? AuNames { get; init; }

    public override BranchScores Result()
    {
        var (againstLabels, againstRendered) = (PerAuAuc(_scores, _labels), PerAuAuc(_renderedScores, _rendered));
        return new(Mean(againstLabels), _samples > 0 ? (double)_hits / _samples : null, Mean(againstRendered), Oracle?.Invoke(_rows))
        {
            PerAu = AuNames is { } names && names.Count == net.AuCount && (_scores.Count > 0 || _renderedScores.Count > 0)
                ? [.. names.Select((name, j) => new AuScore(name, againstLabels[j], againstRendered[j], Share(_rendered, j) ?? Share(_labels, j), net.AuFalsePositiveRates?[j]))]
                : null,
        };
    }

    /// <summary>Per AU, the ROC AUC of the scores for the 0/1 labels; null for an AU with only one label value (or no samples).</summary>
    private double?[] PerAuAuc(List<float[]> scores, List<float[]> labels)
    {
        var aucs = new double?[net.AuCount];
        for (var j = 0; j < net.AuCount && scores.Count > 0; j++)
            aucs[j] = RocAuc.Compute(scores.Select(s => (double)s[j]).ToArray(), labels.Select(l => l[j] > 0.5f).ToArray());
        return aucs;
    }

    /// <summary>Mean over the AUs that have an AUC; null when none has.</summary>
    private static double? Mean(double?[] aucs) => aucs.OfType<double>().ToArray() is { Length: > 0 } known ? known.Average() : null;

    private static double? Share(List<float[]> labels, int j) => labels.Count > 0 ? labels.Average(l => l[j] > 0.5f ? 1.0 : 0.0) : null;
}

/// <summary>
/// One AU's detection on an evaluation split: ROC AUC against the AU labels and against the rendered AUs
/// (null where unknown), the share of samples showing it, and the false-positive rate the AU loss
/// corrected for (<c>model.au_loss: forward</c>; null with BCE).
/// </summary>
public sealed record AuScore(string Name, double? AucLabels, double? AucRendered, double? Present, double? FalsePositiveRate = null);
