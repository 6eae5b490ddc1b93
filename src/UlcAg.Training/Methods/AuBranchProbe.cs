using UlcAg.Data;
using UlcAg.Network.Models;
using UlcAg.Training.Correction;
using UlcAg.Training.Metrics;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Training.Methods;

/// <summary>
/// How well the AU branch ranks its AUs (where s is the AU scores and samples carry AU labels) and
/// how often the nearest template names a sample's own class (where templates exist).
/// </summary>
/// <param name="net">The network's shape.</param>
/// <param name="templates">The templates relabeling uses.</param>
/// <param name="toTemplateSpace">How s is mapped before it meets the templates (e.g. standardized); null for s itself.</param>
internal sealed class AuBranchProbe(NetworkOptions net, SemanticTemplates templates, Func<ReadOnlySpan<float>, float[]>? toTemplateSpace = null) : EvalProbe
{
    private readonly bool _scoresAreAus = net.Semantic == SemanticFeature.AuScores;
    private readonly bool _templatesReady = Enumerable.Range(0, templates.Classes).Any(templates.Has);
    private readonly List<float[]> _scores = [], _labels = [];
    private int _hits, _samples;

    public override void Add(IReadOnlyDictionary<string, Array> outputs, int row, Sample sample)
    {
        var semantic = (float[])outputs[N.Semantic];
        if (_templatesReady)
        {
            _samples++;
            var s = semantic.AsSpan(row * templates.Size, templates.Size);
            if (templates.Nearest(toTemplateSpace is null ? s : toTemplateSpace(s)).Class == sample.Label) _hits++;
        }
        if (_scoresAreAus && sample.Aus is { } aus)
        {
            _scores.Add(semantic.AsSpan(row * net.AuCount, net.AuCount).ToArray());
            _labels.Add(aus);
        }
    }

    public override BranchScores Result() => new(MeanAuAuc(), _samples > 0 ? (double)_hits / _samples : null);

    private double? MeanAuAuc()
    {
        var aucs = new List<double>();
        for (var j = 0; j < net.AuCount && _scores.Count > 0; j++)
        {
            if (RocAuc.Compute(_scores.Select(s => (double)s[j]).ToArray(), _labels.Select(l => l[j] > 0.5f).ToArray()) is { } a) aucs.Add(a);
        }
        return aucs.Count > 0 ? aucs.Average() : null;
    }
}
