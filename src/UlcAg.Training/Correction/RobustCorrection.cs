using UlcAg.Training.Config;
using UlcAg.Training.Methods;

namespace UlcAg.Training.Correction;

/// <summary>
/// The robust correction policy. After each epoch from the relabel start it decides on clean evidence
/// (<see cref="SampleEvidence"/>: the unaugmented training set through the eval graph, averaged
/// across epochs), from two views of each sample that fail in different ways:
/// <list type="number">
/// <item>Trusted samples: per class, the never-relabeled samples whose label the classifier's averaged
/// probability supports most (the small-loss criterion; it flags noisy labels far better than alpha).</item>
/// <item>The AU view (<see cref="AuViewClassifier"/>), fitted on the trusted samples: the class that a
/// sample's AU evidence (standardized AU scores of the AU branch and/or its AU labels) points to.
/// AU labels carry none of the expression labels' noise, and AUs are shared across classes, so this
/// view is strongest where the image classifier is weakest (rare classes).</item>
/// <item>What the image says, both views combined: q(c) ~ p_classifier(c) p_AU(c).</item>
/// <item>The original label as evidence, weighed by the estimated noise rate: a change only when another class's
/// posterior P(c | image, label) exceeds <see cref="RobustCorrectionOptions.MinPosterior"/>, in consecutive epochs.</item>
/// <item>At most one change per sample ("org" is the original label); a changed label returns to
/// the original when the evidence flips back as firmly.</item>
/// </list>
/// Templates of eq. 8 (trusted samples' mean standardized s) are kept for the report's template
/// accuracy and the relabel log's distances. Each part can be switched off (<see cref="RobustCorrectionOptions"/>).
/// </summary>
public sealed class RobustCorrection
{
    private readonly RobustCorrectionOptions _o;
    private readonly int[] _streakClass;
    private readonly int[] _streakLength;
    private readonly bool[] _changed;
    private readonly float[]? _auLabels;
    private readonly int _auLabelWidth;
    private readonly AuViewClassifier? _auView;
    private readonly double[] _auPosterior;
    private readonly AuLabelScale? _labelScale;
    private bool[] _usable = [];

    /// <param name="options">The policy's settings.</param>
    /// <param name="samples">Training samples.</param>
    /// <param name="classes">Classes.</param>
    /// <param name="semanticSize">Width of s (0 without the AU branch).</param>
    /// <param name="auLabels">Each training sample's AU labels (null where a sample has none), or null.</param>
    /// <param name="auCount">AUs per label vector.</param>
    /// <param name="labelScale">Where s is forward-corrected AU scores: the map the templates read them through (<see cref="AuLabelScale"/>); null to read s as it is.</param>
    public RobustCorrection(RobustCorrectionOptions options, int samples, int classes, int semanticSize, IReadOnlyList<float[]?>? auLabels = null, int auCount = 0,
        AuLabelScale? labelScale = null)
    {
        if (labelScale is not null && labelScale.Size != semanticSize) throw new ArgumentException($"a label scale of {labelScale.Size} AUs for s of width {semanticSize}");
        _o = options;
        _labelScale = labelScale;
        Evidence = new SampleEvidence(samples, classes, semanticSize, options.EvidenceMomentum);
        _streakClass = new int[samples];
        Array.Fill(_streakClass, -1);
        _streakLength = new int[samples];
        _changed = new bool[samples];
        Templates = new SemanticTemplates(classes, semanticSize, momentum: 0, TemplateSpace.DistanceFor(options.WhitenTemplates));
        Space = TemplateSpace.Identity(semanticSize);
        _auPosterior = new double[samples * classes];
        UsesPredictedAus = semanticSize > 0 && options.AuView is AuView.Both or AuView.Predicted;
        if (options.AuView is AuView.Both or AuView.Pseudo && auLabels is not null && auCount > 0 && auLabels.Any(a => a is not null))
        {
            _auLabelWidth = auCount;
            _auLabels = StandardizedLabels(auLabels, auCount);
        }
        var width = (UsesPredictedAus ? semanticSize : 0) + _auLabelWidth;
        if (width > 0) _auView = new AuViewClassifier(width, classes);
    }

    /// <summary>The averaged evidence the decisions use.</summary>
    public SampleEvidence Evidence { get; }

    /// <summary>The templates of the latest decision, in <see cref="Space"/>.</summary>
    public SemanticTemplates Templates { get; private set; }

    /// <summary>Per class, the trusted samples of the latest update, in trust order (null before the first update).</summary>
    public IReadOnlyList<int>[]? LatestTrusted { get; private set; }

    /// <summary>Whether the AU view reads the AU branch's scores s.</summary>
    public bool UsesPredictedAus { get; }

    /// <summary>Whether the AU view reads the samples' AU labels.</summary>
    public bool UsesAuLabels => _auLabels is not null;

    /// <summary>Per-AU mean and standard deviation of s that the AU view of the latest decision read s with (identity when not standardizing).</summary>
    public (float[] Mean, float[] Std) Scale => AuViewScale();

    /// <summary>Where the latest decision's templates live (standardized, and whitened by the trusted samples when whitening).</summary>
    public TemplateSpace Space { get; private set; }

    /// <summary>Blends the epoch's evidence in; decides when <paramref name="decide"/>; returns the changes made.</summary>
    public List<RelabelEvent> Update(TrainingSetOutputs outputs, LabelStore labels, int epoch, bool decide)
    {
        Evidence.Update(outputs);
        var trusted = Trusted(labels);
        LatestTrusted = trusted;
        var features = TemplateFeatures(Evidence.Semantic);
        Space = TemplateSpace.Fit(features, Evidence.SemanticSize, trusted, _o.Standardize, _o.WhitenTemplates);
        var z = Standardized();
        var w = Space.MapRows(features);
        if (Evidence.SemanticSize > 0) Templates.Restore(Space.ClassMeans(w, trusted));
        FitAuView(z, labels, trusted);
        EstimateNoiseRate(labels);
        return decide ? Decide(w, labels, epoch) : [];
    }

    /// <summary>
    /// The AU view reads s as it is, each AU standardized over the training set: the template space's own
    /// scale, unless the templates read s on the labels' scale.
    /// </summary>
    private (float[] Mean, float[] Std) AuViewScale()
    {
        if (_labelScale is null) return Space.Scale;
        var m = Evidence.SemanticSize;
        return _o.Standardize ? TemplateSpace.ColumnScale(Evidence.Semantic, Evidence.Samples, m) : TemplateSpace.Identity(m).Scale;
    }

    /// <summary>s as the AU view sees it: each AU score standardized over the training set.</summary>
    private float[] Standardized()
    {
        int n = Evidence.Samples, m = Evidence.SemanticSize;
        var (mean, std) = Scale;
        var z = new float[Evidence.Semantic.Length];
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < m; k++) z[i * m + k] = (Evidence.Semantic[i * m + k] - mean[k]) / std[k];
        }
        return z;
    }

    /// <summary>The AU labels as features: standardized per AU over the samples that have them; a sample without them sits at the mean (0).</summary>
    private float[] StandardizedLabels(IReadOnlyList<float[]?> auLabels, int m)
    {
        var n = auLabels.Count;
        var raw = new float[n * m];
        for (var i = 0; i < n; i++) auLabels[i]?.AsSpan(0, m).CopyTo(raw.AsSpan(i * m, m));
        var (mean, std) = _o.Standardize ? TemplateSpace.ColumnScale(raw, n, m, i => auLabels[i] is not null) : (new float[m], Enumerable.Repeat(1f, m).ToArray());
        var z = new float[n * m];
        for (var i = 0; i < n; i++)
        {
            if (auLabels[i] is null) continue;
            for (var k = 0; k < m; k++) z[i * m + k] = (raw[i * m + k] - mean[k]) / std[k];
        }
        return z;
    }

    /// <summary>
    /// Per class c: the never-changed samples labelled c with the highest averaged p(c), the top
    /// <see cref="RobustCorrectionOptions.TrustedShare"/> of them (at least <see cref="RobustCorrectionOptions.MinTrusted"/>);
    /// empty for a class with fewer candidates than that, which then takes part in no change.
    /// </summary>
    private List<int>[] Trusted(LabelStore labels)
    {
        var classes = Evidence.Classes;
        var trusted = new List<int>[classes];
        for (var c = 0; c < classes; c++)
        {
            var eligible = Enumerable.Range(0, labels.Count)
                .Where(i => !_changed[i] && labels.Current[i] == c)
                .OrderByDescending(i => Evidence.ProbabilitiesOf(i)[c]).ThenBy(i => i).ToList();
            trusted[c] = eligible.Count < _o.MinTrusted ? [] : eligible.Take(Math.Max(_o.MinTrusted, (int)Math.Ceiling(_o.TrustedShare * eligible.Count))).ToList();
        }
        _usable = [.. trusted.Select(t => t.Count > 0)];
        return trusted;
    }

    /// <summary>Fits the AU view on the trusted samples and stores every sample's AU-view posterior.</summary>
    private void FitAuView(float[] z, LabelStore labels, List<int>[] trusted)
    {
        if (_auView is null) return;
        var x = AuFeatures(z);
        var rows = trusted.SelectMany(t => t).Order().ToList();
        if (rows.Count == 0) return;
        _auView.Fit(x, labels.Current, rows);
        var w = _auView.Features;
        for (var i = 0; i < Evidence.Samples; i++)
            _auView.Probabilities(x.AsSpan(i * w, w), _auPosterior.AsSpan(i * Evidence.Classes, Evidence.Classes));
    }

    /// <summary>[N, features]: the standardized s (when used) beside the standardized AU labels (when used).</summary>
    private float[] AuFeatures(float[] z)
    {
        int n = Evidence.Samples, m = UsesPredictedAus ? Evidence.SemanticSize : 0, w = m + _auLabelWidth;
        var x = new float[n * w];
        for (var i = 0; i < n; i++)
        {
            if (m > 0) z.AsSpan(i * m, m).CopyTo(x.AsSpan(i * w, m));
            _auLabels?.AsSpan(i * _auLabelWidth, _auLabelWidth).CopyTo(x.AsSpan(i * w + m, _auLabelWidth));
        }
        return x;
    }

    /// <summary>
    /// What x says, both views combined, over the usable classes: q(c) ~ p(c) p_AU(c), or one view alone
    /// where the other is switched off.
    /// </summary>
    private double[] Combined(int i)
    {
        var classes = Evidence.Classes;
        var p = Evidence.ProbabilitiesOf(i);
        var q = new double[classes];
        var useClassifier = _o.Classifier || _auView is null;
        var sum = 0.0;
        for (var c = 0; c < classes; c++)
        {
            if (!_usable[c]) continue;
            var v = useClassifier ? p[c] : 1.0;
            if (_auView is not null) v *= _auPosterior[i * classes + c];
            sum += q[c] = v;
        }
        if (sum > 0)
        {
            for (var c = 0; c < classes; c++) q[c] /= sum;
        }
        return q;
    }

    /// <summary>
    /// The share of wrong original labels that best explains them under symmetric noise (each label kept
    /// with probability 1 - rho, else another class at random) given the combined posteriors q:
    /// the maximum-likelihood rho, found by EM. On clean labels it lands near 0 (only the views' own
    /// confident mistakes look like noise), on 30% symmetric noise near 0.3 (docs/RESULTS.md).
    /// </summary>
    public double EstimatedNoiseRate { get; private set; }

    private double[][] _q = [];

    private void EstimateNoiseRate(LabelStore labels)
    {
        _q = [.. Enumerable.Range(0, labels.Count).Select(Combined)];
        int n = labels.Count, classes = Evidence.Classes;
        var rho = 0.2;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var wrong = 0.0;
            for (var i = 0; i < n; i++)
            {
                var qy = _q[i][labels.Initial[i]];
                var kept = qy * (1 - rho);
                var flipped = (1 - qy) * rho / (classes - 1);
                wrong += kept + flipped > 0 ? flipped / (kept + flipped) : 0;
            }
            var next = wrong / n;
            var done = Math.Abs(next - rho) < 1e-6;
            rho = next;
            if (done) break;
        }
        EstimatedNoiseRate = Math.Clamp(rho, 1e-4, 1 - 1e-4);
    }

    /// <summary>
    /// P(true class c | x, original label y) ~ q(c) T(y | c), T(y | y) = 1 - rho and T(y | c) = rho / (C - 1)
    /// otherwise: the original label counts as evidence, as much as the estimated noise rate says it is worth.
    /// </summary>
    public double[] Posterior(int i, int originalLabel)
    {
        var rho = EstimatedNoiseRate;
        var q = _q[i];
        var post = new double[q.Length];
        var sum = 0.0;
        for (var c = 0; c < q.Length; c++) sum += post[c] = q[c] * (c == originalLabel ? 1 - rho : rho / (q.Length - 1));
        if (sum > 0)
        {
            for (var c = 0; c < q.Length; c++) post[c] /= sum;
        }
        return post;
    }

    /// <summary>The changes of this epoch; <paramref name="w"/> is s in the template space, for the relabel log's distances.</summary>
    private List<RelabelEvent> Decide(float[] w, LabelStore labels, int epoch)
    {
        var events = new List<RelabelEvent>();
        int m = Evidence.SemanticSize;
        var ranks = LabelRanks(labels);
        for (var i = 0; i < labels.Count; i++)
        {
            var current = labels.Current[i];
            var original = labels.Initial[i];
            var reverting = current != original;
            // A sample changes once; after that only the way back to its original label is open.
            int? proposal = null;
            if (reverting ? _o.Revert : !_changed[i])
                proposal = Propose(i, current, original, reverting ? original : null);
            if (proposal is not { } target)
            {
                (_streakClass[i], _streakLength[i]) = (-1, 0);
                continue;
            }
            _streakLength[i] = _streakClass[i] == target ? _streakLength[i] + 1 : 1;
            _streakClass[i] = target;
            if (_streakLength[i] < _o.ConfirmEpochs) continue;

            var p = Evidence.ProbabilitiesOf(i);
            var s = w.AsSpan(i * m, m);
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
    private int? Propose(int i, int label, int original, int? only)
    {
        if (!_usable[original]) return null;
        var post = Posterior(i, original);
        var target = 0;
        for (var c = 1; c < post.Length; c++) if (post[c] > post[target]) target = c;
        if (target == label || !_usable[target]) return null;
        if (only is { } o && target != o) return null;
        return post[target] > _o.MinPosterior ? target : null;
    }

    /// <summary>Each never-changed sample's rank by averaged p(label) within its current class (1 = lowest), for the relabel log.</summary>
    private int[] LabelRanks(LabelStore labels)
    {
        var ranks = new int[labels.Count];
        foreach (var group in Enumerable.Range(0, labels.Count).Where(i => !_changed[i]).GroupBy(i => labels.Current[i]))
        {
            var ordered = group.OrderBy(i => Evidence.ProbabilitiesOf(i)[group.Key]).ThenBy(i => i).ToList();
            for (var r = 0; r < ordered.Count; r++) ranks[ordered[r]] = r + 1;
        }
        return ranks;
    }

    private double Distance(int c, ReadOnlySpan<float> s) => s.Length > 0 && Templates.Has(c) ? Templates.Distance(c, s) : 1;

    /// <summary>A raw s (e.g. of a test sample) into the latest decision's template space.</summary>
    public float[] ToTemplateSpace(ReadOnlySpan<float> s) => Space.Map(_labelScale is null ? s : _labelScale.Map(s));

    /// <summary>Rows of raw s [N, width] as the templates read them: on the AU labels' scale where s is forward-corrected scores, else as they are.</summary>
    public float[] TemplateFeatures(float[] s) => _labelScale?.MapRows(s) ?? s;

    /// <summary>
    /// Everything a resumed run needs: the evidence, the AU view's weights, the confirmation streaks, which
    /// samples changed, and the latest decision's templates, trusted samples, template space and noise estimate (a run resumed after
    /// its last epoch tests and reports with them).
    /// </summary>
    public Dictionary<string, float[]> Snapshot()
    {
        var state = new Dictionary<string, float[]>
        {
            ["evidence"] = Evidence.Snapshot(),
            ["streak_class"] = [.. _streakClass.Select(v => (float)v)],
            ["streak_length"] = [.. _streakLength.Select(v => (float)v)],
            ["changed"] = [.. _changed.Select(v => v ? 1f : 0f)],
        };
        if (_auView is not null) state["au_view"] = _auView.Snapshot();
        state["template_space"] = Space.Snapshot();
        state["noise_rate"] = [(float)EstimatedNoiseRate];
        state["templates"] = [.. Templates.Snapshot().SelectMany(t => t ?? Enumerable.Repeat(float.NaN, Templates.Size))];
        // Per class: the count, then the sample indices in trust order (exact as floats below 2^24 samples).
        if (LatestTrusted is { } trusted) state["trusted"] = [.. trusted.SelectMany(t => t.Select(i => (float)i).Prepend(t.Count))];
        return state;
    }

    public void Restore(IReadOnlyDictionary<string, float[]> state)
    {
        if (!state.TryGetValue("evidence", out var evidence)) return;
        Evidence.Restore(evidence);
        if (_auView is not null && state.TryGetValue("au_view", out var view)) _auView.Restore(view);
        for (var i = 0; i < _changed.Length; i++)
        {
            _streakClass[i] = (int)state["streak_class"][i];
            _streakLength[i] = (int)state["streak_length"][i];
            _changed[i] = state["changed"][i] != 0;
        }
        // Absent in checkpoints written before they were kept: the next decision computes them again.
        var m = Evidence.SemanticSize;
        if (state.TryGetValue("template_space", out var space)) Space = TemplateSpace.Restore(space, m);
        else if (state.TryGetValue("scale", out var scale) && m > 0)
        {
            // Written before the template space existed: standardized templates, compared by cosine as they were built.
            Space = TemplateSpace.Scaled(scale[..m], scale[m..]);
            Templates = new SemanticTemplates(Evidence.Classes, m, momentum: 0, TemplateDistance.Cosine);
        }
        if (state.TryGetValue("noise_rate", out var rho)) EstimatedNoiseRate = rho[0];
        if (state.TryGetValue("templates", out var templates) && Templates.Size > 0)
        {
            Templates.Restore([.. templates.Chunk(Templates.Size).Select(t => float.IsNaN(t[0]) ? null : t)]);
        }
        if (state.TryGetValue("trusted", out var flat)) LatestTrusted = UnflattenTrusted(flat, Evidence.Classes);
    }

    private static IReadOnlyList<int>[] UnflattenTrusted(float[] flat, int classes)
    {
        var trusted = new IReadOnlyList<int>[classes];
        var at = 0;
        for (var c = 0; c < classes; c++)
        {
            var count = at < flat.Length ? (int)flat[at++] : -1;
            if (count < 0 || at + count > flat.Length) throw new InvalidDataException($"the checkpoint's trusted samples end before class {c} of {classes}");
            trusted[c] = [.. flat.AsSpan(at, count).ToArray().Select(v => (int)v)];
            at += count;
        }
        return trusted;
    }
}
