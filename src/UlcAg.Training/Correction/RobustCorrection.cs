using UlcAg.Training.Config;
using UlcAg.Training.Methods;

namespace UlcAg.Training.Correction;

/// <summary>
/// The robust correction policy. After each epoch from the relabel start it decides on clean evidence
/// (<see cref="SampleEvidence"/>: the unaugmented training set through the eval graph, averaged
/// across epochs), in five steps:
/// <list type="number">
/// <item>AU scores standardized per AU over the training set, so that no shared "all AUs absent"
/// direction dominates the cosine of eq. 9.</item>
/// <item>Templates (eq. 8) from trusted samples only: never relabeled, the classifier agreeing with the
/// label, the highest alphas of their class; a class with too few has no template.</item>
/// <item>Candidates ranked within their class by alpha, so that hard or rare classes are not drained
/// into frequent ones. (Where nothing trains alpha, the classifier's p(label) takes its place.)</item>
/// <item>A change only when the nearest template and the classifier name the same new class and its
/// averaged probability beats the label's by a margin, in consecutive epochs.</item>
/// <item>At most one change per sample ("org" is the original label); a changed label returns to
/// the original when the evidence flips back as firmly.</item>
/// </list>
/// Each part can be switched off (<see cref="RobustCorrectionOptions"/>) for ablation.
/// </summary>
public sealed class RobustCorrection
{
    private readonly RobustCorrectionOptions _o;
    private readonly double _templateMargin;
    private readonly int[] _streakClass;
    private readonly int[] _streakLength;
    private readonly bool[] _changed;
    private readonly bool _alphaIsTrained;

    /// <param name="options">The policy's settings.</param>
    /// <param name="templateMargin">The template-distance margin used when the classifier does not vote (<c>ulcag.relabel_margin</c>).</param>
    /// <param name="samples">Training samples.</param>
    /// <param name="classes">Classes.</param>
    /// <param name="semanticSize">Width of s.</param>
    /// <param name="alphaIsTrained">
    /// Whether alpha ranks samples (the target branch trains it); without it (the aux-only ablation, where
    /// nothing in the loss trains alpha) the classifier's averaged probability of the label ranks them instead.
    /// </param>
    public RobustCorrection(RobustCorrectionOptions options, double templateMargin, int samples, int classes, int semanticSize, bool alphaIsTrained = true)
    {
        _o = options;
        _alphaIsTrained = alphaIsTrained;
        _templateMargin = templateMargin;
        Evidence = new SampleEvidence(samples, classes, semanticSize, options.EvidenceMomentum);
        _streakClass = new int[samples];
        Array.Fill(_streakClass, -1);
        _streakLength = new int[samples];
        _changed = new bool[samples];
        Templates = new SemanticTemplates(classes, semanticSize, momentum: 0);
    }

    /// <summary>The averaged evidence the decisions use.</summary>
    public SampleEvidence Evidence { get; }

    /// <summary>The templates of the latest decision (standardized space when standardizing).</summary>
    public SemanticTemplates Templates { get; }

    /// <summary>Per-AU mean and standard deviation of the latest decision (identity when not standardizing).</summary>
    public (float[] Mean, float[] Std) Scale { get; private set; } = ([], []);

    /// <summary>Blends the epoch's evidence in; decides when <paramref name="decide"/>; returns the changes made.</summary>
    public List<RelabelEvent> Update(TrainingSetOutputs outputs, LabelStore labels, int epoch, bool decide)
    {
        Evidence.Update(outputs);
        var z = Standardized();
        BuildTemplates(z, labels);
        return decide ? Decide(z, labels, epoch) : [];
    }

    /// <summary>s as the decisions see it: each AU score standardized over the training set.</summary>
    private float[] Standardized()
    {
        int n = Evidence.Samples, m = Evidence.SemanticSize;
        var s = Evidence.Semantic;
        var mean = new float[m];
        var std = new float[m];
        Array.Fill(std, 1f);
        if (_o.Standardize)
        {
            for (var k = 0; k < m; k++)
            {
                double sum = 0, sq = 0;
                for (var i = 0; i < n; i++) sum += s[i * m + k];
                var mu = sum / n;
                for (var i = 0; i < n; i++) sq += (s[i * m + k] - mu) * (s[i * m + k] - mu);
                mean[k] = (float)mu;
                std[k] = (float)Math.Max(Math.Sqrt(sq / n), 1e-6);
            }
        }
        Scale = (mean, std);
        var z = new float[s.Length];
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < m; k++) z[i * m + k] = (s[i * m + k] - mean[k]) / std[k];
        }
        return z;
    }

    /// <summary>eq. 8 over trusted samples: T_c = mean of alpha z over the top alphas of class c's never-changed samples that the classifier agrees with.</summary>
    private void BuildTemplates(float[] z, LabelStore labels)
    {
        int classes = Evidence.Classes, m = Evidence.SemanticSize;
        var snapshot = new float[classes][];
        for (var c = 0; c < classes; c++)
        {
            var eligible = Enumerable.Range(0, labels.Count)
                .Where(i => !_changed[i] && labels.Current[i] == c && (!_o.Classifier || SampleEvidence.ArgMax(Evidence.ProbabilitiesOf(i)) == c))
                .OrderByDescending(i => Confidence(i, c)).ThenBy(i => i).ToList();
            if (eligible.Count < _o.MinTrusted) continue;
            var trusted = eligible.Take(Math.Max(_o.MinTrusted, (int)Math.Ceiling(_o.TrustedShare * eligible.Count))).ToList();
            var t = new float[m];
            foreach (var i in trusted)
            {
                for (var k = 0; k < m; k++) t[k] += Confidence(i, c) * z[i * m + k];
            }
            for (var k = 0; k < m; k++) t[k] /= trusted.Count;
            snapshot[c] = t;
        }
        Templates.Restore(snapshot);
    }

    private List<RelabelEvent> Decide(float[] z, LabelStore labels, int epoch)
    {
        var events = new List<RelabelEvent>();
        int m = Evidence.SemanticSize;
        var ranks = CandidateRanks(labels);
        for (var i = 0; i < labels.Count; i++)
        {
            var current = labels.Current[i];
            var original = labels.Initial[i];
            var reverting = current != original;
            // A sample changes once; after that only the way back to its original label is open.
            int? proposal = null;
            if (reverting ? _o.Revert : !_changed[i] && ranks[i] > 0)
                proposal = Propose(z.AsSpan(i * m, m), i, current, reverting ? original : null);
            if (proposal is not { } target)
            {
                (_streakClass[i], _streakLength[i]) = (-1, 0);
                continue;
            }
            _streakLength[i] = _streakClass[i] == target ? _streakLength[i] + 1 : 1;
            _streakClass[i] = target;
            if (_streakLength[i] < _o.ConfirmEpochs) continue;

            var p = Evidence.ProbabilitiesOf(i);
            var s = z.AsSpan(i * m, m);
            events.Add(new RelabelEvent(i, epoch + 1, current, target, Evidence.Alpha[i], Distance(current, s), Distance(target, s))
            {
                PLabel = p[current],
                PNew = p[target],
                Predicted = SampleEvidence.ArgMax(p),
                Rank = reverting ? null : ranks[i],
            });
            labels.Set(i, target);
            _changed[i] = true;
            (_streakClass[i], _streakLength[i]) = (-1, 0);
        }
        return events;
    }

    /// <summary>The class the evidence moves sample <paramref name="i"/> to (only <paramref name="only"/> when given), or null.</summary>
    private int? Propose(ReadOnlySpan<float> s, int i, int label, int? only)
    {
        if (!Templates.Has(label)) return null;
        var p = Evidence.ProbabilitiesOf(i);
        var predicted = SampleEvidence.ArgMax(p);
        var nearest = _o.Templates ? Templates.Nearest(s).Class : -1;
        var target = _o.Classifier ? predicted : nearest;
        if (target == label || target < 0 || !Templates.Has(target)) return null;
        if (only is { } o && target != o) return null;
        if (_o.Templates && nearest != target) return null;
        // The absolute test: a probability margin where the classifier votes, a template-distance margin where it does not.
        var firm = _o.Classifier
            ? p[target] - p[label] > _o.Margin
            : Templates.Distance(label, s) - Templates.Distance(target, s) > _templateMargin;
        return firm ? target : null;
    }

    /// <summary>Each never-changed sample's rank by alpha within its current class (1 = lowest), 0 when outside the candidate share.</summary>
    private int[] CandidateRanks(LabelStore labels)
    {
        var ranks = new int[labels.Count];
        foreach (var group in Enumerable.Range(0, labels.Count).Where(i => !_changed[i]).GroupBy(i => labels.Current[i]))
        {
            var ordered = group.OrderBy(i => Confidence(i, group.Key)).ThenBy(i => i).ToList();
            var take = (int)Math.Ceiling(_o.CandidateShare * ordered.Count);
            for (var r = 0; r < take; r++) ranks[ordered[r]] = r + 1;
        }
        return ranks;
    }

    /// <summary>How much sample <paramref name="i"/> is trusted with label <paramref name="label"/>: its averaged alpha, or p(label) where alpha is untrained.</summary>
    private float Confidence(int i, int label) => _alphaIsTrained ? Evidence.Alpha[i] : Evidence.ProbabilitiesOf(i)[label];

    private double Distance(int c, ReadOnlySpan<float> s) => Templates.Has(c) ? Templates.Distance(c, s) : 1;

    /// <summary>Standardizes a raw s (e.g. of a test sample) as the latest decision did.</summary>
    public float[] Standardize(ReadOnlySpan<float> s)
    {
        var (mean, std) = Scale;
        var z = new float[s.Length];
        for (var k = 0; k < s.Length; k++) z[k] = mean.Length == 0 ? s[k] : (s[k] - mean[k]) / std[k];
        return z;
    }

    /// <summary>Everything a resumed run needs: the evidence, the confirmation streaks, which samples changed.</summary>
    public Dictionary<string, float[]> Snapshot() => new()
    {
        ["evidence"] = Evidence.Snapshot(),
        ["streak_class"] = [.. _streakClass.Select(v => (float)v)],
        ["streak_length"] = [.. _streakLength.Select(v => (float)v)],
        ["changed"] = [.. _changed.Select(v => v ? 1f : 0f)],
    };

    public void Restore(IReadOnlyDictionary<string, float[]> state)
    {
        if (!state.TryGetValue("evidence", out var evidence)) return;
        Evidence.Restore(evidence);
        for (var i = 0; i < _changed.Length; i++)
        {
            _streakClass[i] = (int)state["streak_class"][i];
            _streakLength[i] = (int)state["streak_length"][i];
            _changed[i] = state["changed"][i] != 0;
        }
    }
}
