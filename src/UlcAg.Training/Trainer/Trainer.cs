using System.Diagnostics;
using UlcAg.Data;
using UlcAg.Data.Cache;
using UlcAg.Data.Loading;
using UlcAg.Graph.Optim;
using UlcAg.Network.Models;
using UlcAg.Runtime;
using UlcAg.Training.Config;
using UlcAg.Training.Correction;
using UlcAg.Training.Methods;
using UlcAg.Training.Metrics;
using UlcAg.Training.Progress;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Training.Trainer;

/// <summary>
/// The training loop: train one epoch, validate, tell the callbacks; at the end test the best
/// weights and write the test results. The method (<see cref="MethodModule"/>) decides what the
/// network computes and what happens between steps; callbacks do everything else a run writes.
/// </summary>
public sealed class Trainer(RunContext run, IReadOnlyList<ITrainerCallback> callbacks)
{
    private TrainOptions O => run.Options;

    /// <summary>Trains from where <see cref="RunContext.State"/> stands to the last epoch; returns an exit code (<see cref="TrainExitCodes"/>).</summary>
    /// <exception cref="TrainingDivergedException">The run diverged (<see cref="DivergenceGuard"/>); nothing claims it finished.</exception>
    public int Fit(CancellationToken ct)
    {
        // A finished run resumed to train longer is unfinished until it ends again: test.json (which marks a
        // finished run and describes model.onnx) must not outlive the weights it was written for.
        if (run.State.Epoch < O.Train.Epochs) File.Delete(run.Folder.TestResults);
        Each(c => c.OnFitStart(run));
        for (var epoch = run.State.Epoch; epoch < O.Train.Epochs; epoch++)
        {
            var trained = TrainOneEpoch(epoch, ct);
            if (trained.ExitCode is { } stopped) return stopped;
            if (DivergenceGuard.CheckWeights(run.CurrentWeights()) is { } exploded) throw Diverged(exploded, $"after epoch {epoch + 1}");
            var corrected = run.Method.OnTrainEpochEnd(epoch, TrainingSetPass, run.Labels);
            var end = Validate(epoch, trained) with { Relabels = corrected };
            run.State = run.State with { Epoch = epoch + 1, Batch = 0, EpochStartLabels = run.Labels.Current.ToArray(), EpochTotals = null };
            Each(c => c.OnEpochEnd(run, end));
        }
        var test = Test();
        Each(c => c.OnFitEnd(run, test));
        // Written last: its presence marks a finished run (tools/PaperTables relies on it).
        TestResultsOf(test).Write(run.Folder.TestResults);
        return TrainExitCodes.Success;
    }

    /// <summary>What one epoch's training produced, or the exit code that ended it early.</summary>
    private sealed record EpochTraining(EpochSettings Settings, LossAverages Losses, int Correct, int Seen, double TrainSeconds, Stopwatch Watch, int[] StartLabels, int? ExitCode = null)
    {
        /// <summary>Images trained by this process (fewer than <see cref="Seen"/> in a resumed epoch): what the speed is measured on.</summary>
        public int SeenHere { get; init; }
    }

    private EpochTraining TrainOneEpoch(int epoch, CancellationToken ct)
    {
        var loader = new TrainLoader(run.TrainCache, new TrainLoaderOptions
        {
            BatchSize = O.Train.BatchSize,
            Seed = O.Seed,
            Workers = O.Train.Workers,
            Augment = O.Augment,
        });
        var settings = run.Method.OnTrainEpochStart(epoch);
        FeedEpochSettings(settings);
        var losses = new LossAverages();
        int correct = 0, seen = 0, batches = loader.BatchesPerEpoch;
        if (run.State.Batch > 0 && run.State.EpochTotals is { } totals)
        {
            // Resumed in mid-epoch: the epoch's line covers the batches run before the interrupt too.
            losses.Restore(totals.Losses);
            (correct, seen) = (totals.Correct, totals.Seen);
        }
        var seenBefore = seen;
        var watch = Stopwatch.StartNew();
        var startLabels = run.State.EpochStartLabels.Length == run.Labels.Count ? run.State.EpochStartLabels : run.Labels.Current.ToArray();
        Each(c => c.OnTrainEpochStart(run, new EpochStart(epoch + 1, O.Train.Epochs, batches, O.Train.BatchSize)));
        // The loop checks the token itself after each step, so that an interrupt always ends on a checkpoint.
        foreach (var batch in loader.Epoch(epoch, run.State.Batch, CancellationToken.None))
        {
            FeedBatch(batch);
            run.Session.Step();
            var loss = run.Binding.Result<float>(N.Loss)[0];
            // Checked before anything reads the step's outputs, so that no NaN reaches a metric or a label.
            if (DivergenceGuard.CheckStep(loss, run.Binding.Result<float>(N.Logits), run.Binding.Result<float>(N.Alpha), batch.Count, run.Network.Classes) is { } bad)
                throw Diverged(bad, $"at epoch {epoch + 1}, batch {batch.BatchIndex + 1} (step {run.State.Step + 1})");
            losses.Add(LossTerms(loss), batch.Count);
            correct += CountCorrect(batch);
            seen += batch.Count;
            RecordAlpha(batch);
            var relabels = run.Method.OnTrainBatchEnd(epoch, batch, run.Binding, run.Labels);
            run.State = run.State with { Step = run.State.Step + 1 };
            var rate = (seen - seenBefore) / Math.Max(1e-9, watch.Elapsed.TotalSeconds);
            var remaining = TimeSpan.FromSeconds((batches - 1 - batch.BatchIndex) * O.Train.BatchSize / Math.Max(rate, 1e-9));
            var progress = new StepProgress(epoch + 1, O.Train.Epochs, batch.BatchIndex + 1, batches, rate, remaining, losses.Recent);
            Each(c => c.OnTrainBatchEnd(run, new BatchEnd(epoch, batch, relabels, progress)));
            if (ct.IsCancellationRequested)
            {
                run.State = run.State with { Epoch = epoch, Batch = batch.BatchIndex + 1, EpochStartLabels = startLabels, EpochTotals = new EpochTotals(losses.Totals, correct, seen) };
                Each(c => c.OnInterrupted(run, new Interruption(epoch, batch.BatchIndex + 1)));
                run.Say($"stopped at epoch {epoch + 1}, batch {batch.BatchIndex + 1}; checkpoint saved. Resume with: dotnet ulcag-train --resume {run.Folder.Root}");
                return new EpochTraining(settings, losses, correct, seen, 0, watch, startLabels, TrainExitCodes.Interrupted);
            }
        }
        return new EpochTraining(settings, losses, correct, seen, watch.Elapsed.TotalSeconds, watch, startLabels) { SeenHere = seen - seenBefore };
    }

    /// <summary>Validation with the epoch's weights, the relabel audit, and the epoch's metrics.</summary>
    private EpochEnd Validate(int epoch, EpochTraining t)
    {
        var weights = run.CurrentWeights();
        var (val, branches, _) = Evaluate(run.ValCache, run.Data.Val, weights);
        var noisy = run.InitiallyNoisy;
        var alphaAuc = noisy is not null && run.Method.Method.HasAttention() && noisy.Any(x => x) && !run.LastAlpha.Any(float.IsNaN)
            ? RocAuc.AlphaFlagsNoise(run.LastAlpha, noisy) : null;
        var metrics = new EpochMetrics
        {
            Epoch = epoch + 1,
            Step = run.State.Step,
            LearningRates = t.Settings.LearningRates,
            Lambda1 = t.Settings.Lambda1,
            Lambda2 = t.Settings.Lambda2,
            Losses = t.Losses.EpochMeans,
            TrainAccuracy = t.Seen > 0 ? (double)t.Correct / t.Seen : null,
            ValAccuracy = val.Accuracy,
            ValMeanClassAccuracy = val.MeanClassAccuracy,
            Relabel = RelabelAudit.Compute(run.Labels.Initial, t.StartLabels, run.Labels.Current, run.CleanLabels),
            AlphaAuc = alphaAuc,
            ValAuAuc = branches.AuAuc,
            ValAuAucRendered = branches.AuAucRendered,
            ValTemplateAccuracy = branches.TemplateAccuracy,
            EstimatedNoise = run.Method.EstimatedNoiseRate,
            ImagesPerSecond = t.SeenHere / Math.Max(1e-9, t.TrainSeconds),
            PeakRssMib = double.IsNaN(ProcessMemory.PeakResidentMiB()) ? null : Math.Round(ProcessMemory.PeakResidentMiB()),
            Seconds = t.Watch.Elapsed.TotalSeconds,
        };
        return new EpochEnd(metrics, weights);
    }

    /// <summary>
    /// The error that stops a diverged run before it writes test results or a model. It names the
    /// last good checkpoint only when one exists, and says how to continue from it.
    /// </summary>
    private TrainingDivergedException Diverged(string what, string where)
    {
        var restart = Directory.Exists(run.Folder.LastCheckpoint)
            ? $"The last good checkpoint is {run.Folder.LastCheckpoint}; continue from it with a lower rate: dotnet ulcag-train --resume {run.Folder.Root} --set train.lr={O.Train.Lr / 10:G3}"
            : $"No checkpoint was saved yet; start again with a lower train.lr (now {O.Train.Lr:G3}) or check the data.";
        return new TrainingDivergedException($"training diverged: {what} {where}; training stopped, and no model or test results were written. {restart}");
    }

    /// <summary>The test split with the best validation epoch's weights (the current ones when no epoch was kept); never another epoch's.</summary>
    private TestOutcome Test()
    {
        var weights = run.State.BestEpoch >= 0 ? BestCheckpoint.Load(run.Folder, run.State) : run.CurrentWeights();
        var (test, branches, testConfidence) = Evaluate(run.TestCache, run.Data.Test, weights, finalTest: true);
        // The model about to be exported must tell classes apart: a collapsed one ends the run as diverged.
        var (val, _, confidence) = ReferenceEquals(run.ValCache, run.TestCache) ? (test, branches, testConfidence) : Evaluate(run.ValCache, run.Data.Val, weights);
        if (DivergenceGuard.CheckPredictions(val, confidence, run.State.Step, run.Data.ClassNames, "validation") is { } collapsed)
        {
            if (collapsed.Diverged) throw Diverged(collapsed.Text, "with the weights kept for testing");
            run.Say($"warning: {collapsed.Text}");
        }
        var audit = RelabelAudit.Compute(run.Labels.Initial, run.Labels.Initial, run.Labels.Current, run.CleanLabels);
        return new TestOutcome(test, branches, audit, weights);
    }

    /// <summary>
    /// The eval graph over the whole training set as it is stored (no augmentation, batch norm with its
    /// running statistics), outputs in sample order: the clean evidence label correction decides on.
    /// </summary>
    private TrainingSetOutputs TrainingSetPass()
    {
        var watch = Stopwatch.StartNew();
        var weights = run.CurrentWeights();
        var feeds = EvalFeeds(weights);
        int n = run.Labels.Count, classes = run.Network.Classes, width = run.Network.SemanticSize;
        var outputs = new TrainingSetOutputs(new float[n * classes], new float[n], run.Method.Results.Contains(N.Semantic) ? new float[n * width] : null, classes, width);
        foreach (var batch in new EvalLoader(run.TrainCache, run.Eval.BatchSize).Batches())
        {
            var result = run.Eval.Run(feeds, batch);
            var (logits, alpha) = ((float[])result[N.Logits], (float[])result[N.Alpha]);
            var semantic = outputs.Semantic is null ? null : (float[])result[N.Semantic];
            for (var i = 0; i < batch.Count; i++)
            {
                var sample = batch.Indices[i];
                logits.AsSpan(i * classes, classes).CopyTo(outputs.Logits.AsSpan(sample * classes, classes));
                outputs.Alpha[sample] = alpha[i];
                semantic?.AsSpan(i * width, width).CopyTo(outputs.Semantic.AsSpan(sample * width, width));
            }
        }
        run.Say($"  training-set pass: {n} images in {watch.Elapsed.TotalSeconds:0.0} s");
        return outputs;
    }

    /// <summary>Classifies <paramref name="split"/> with the eval graph and <paramref name="weights"/>; the method's probe scores its own branches.</summary>
    /// <returns>The confusion matrix, the method's branch scores, and the mean softmax probability of the predicted class.</returns>
    private (ConfusionMatrix Confusion, BranchScores Branches, double Confidence) Evaluate(ImageCache cache, DatasetSplit split, IReadOnlyDictionary<string, float[]> weights, bool finalTest = false)
    {
        var feeds = EvalFeeds(weights);
        var classes = run.Network.Classes;
        var probe = run.Method.CreateEvalProbe(finalTest);
        List<int> truth = [], predicted = [];
        List<float> alphas = [];
        var confidence = 0.0;
        foreach (var batch in new EvalLoader(cache, run.Eval.BatchSize).Batches())
        {
            var outputs = run.Eval.Run(feeds, batch);
            var logits = (float[])outputs[N.Logits];
            var alpha = finalTest ? (float[])outputs[N.Alpha] : null;
            for (var i = 0; i < batch.Count; i++)
            {
                var sample = split.Samples[batch.Indices[i]];
                truth.Add(sample.Label);
                predicted.Add(SampleEvidence.ArgMax(logits.AsSpan(i * classes, classes)));
                if (alpha is not null) alphas.Add(alpha[i]);
                confidence += DivergenceGuard.TopProbability(logits.AsSpan(i * classes, classes));
                probe?.Add(outputs, i, sample);
            }
        }
        var branches = probe?.Result() ?? BranchScores.None;
        if (finalTest) branches = branches with { AlphaErrorAuc = AlphaErrorAuc(alphas, truth, predicted) };
        return (ConfusionMatrix.FromLabels([.. truth], [.. predicted], classes), branches, confidence / Math.Max(1, truth.Count));
    }

    /// <summary>
    /// AUC of low alpha for the faces the classifier gets wrong: whether the confidence weight (eq. 1), a
    /// function of the image alone, flags the images that are hard to classify; null where no loss trains alpha.
    /// </summary>
    private double? AlphaErrorAuc(List<float> alphas, List<int> truth, List<int> predicted)
    {
        // Only where a loss trains alpha (aux-only computes it but nothing moves it); a NaN alpha has no rank.
        if (!(O.Method.HasWeightedCe() || O.Method.HasRankRegularization()) || alphas.Any(float.IsNaN)) return null;
        bool[] wrong = [.. truth.Select((t, i) => t != predicted[i])];
        return RocAuc.AlphaFlagsNoise([.. alphas], wrong);
    }

    /// <summary>The eval graph's inputs besides the images: the weights and the method's own (e.g. the adjacency).</summary>
    private Dictionary<string, (Array, long[])> EvalFeeds(IReadOnlyDictionary<string, float[]> weights)
    {
        var feeds = new Dictionary<string, (Array, long[])>(run.Method.EvalFeeds);
        foreach (var s in run.Step.Weights) feeds[s.Name] = (weights[s.Name], s.Shape);
        return feeds;
    }

    private void FeedEpochSettings(EpochSettings s)
    {
        run.Binding.SetScalar(N.Lambda1, s.Lambda1);
        run.Binding.SetScalar(N.Lambda2, s.Lambda2);
        if (s.RrMargin is { } margin) run.Binding.SetScalar(N.RrMargin, margin);
        foreach (var group in run.Step.Weights.Select(w => w.Group).OfType<string>().Distinct())
            run.Binding.SetScalar(Optimizer.LearningRateInput(group), s.LearningRates[group]);
    }

    private void FeedBatch(LoaderBatch batch)
    {
        batch.Images.CopyTo(run.Binding.Feed<byte>(N.Images));
        var labels = run.Binding.Feed<long>(N.Labels);
        for (var i = 0; i < batch.Count; i++) labels[i] = run.Labels.Current[batch.Indices[i]];
        ClassWeights.Feed(labels, run.Network.Classes, run.Binding.Feed<float>(N.ClassWeights), O.UlcAg.ClassWeights);
        run.Method.FeedBatch(run.Binding, batch);
    }

    private Dictionary<string, double> LossTerms(float total)
    {
        var terms = new Dictionary<string, double> { [Metrics.LossTerms.Total] = total };
        foreach (var (term, output) in run.Method.LossTerms) terms[term] = run.Binding.Result<float>(output)[0];
        return terms;
    }

    private int CountCorrect(LoaderBatch batch)
    {
        var logits = run.Binding.Result<float>(N.Logits);
        var c = run.Network.Classes;
        var correct = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (SampleEvidence.ArgMax(logits.Slice(i * c, c)) == run.Labels.Current[batch.Indices[i]]) correct++;
        }
        return correct;
    }

    private void RecordAlpha(LoaderBatch batch)
    {
        var alpha = run.Binding.Result<float>(N.Alpha);
        for (var i = 0; i < batch.Count; i++) run.LastAlpha[batch.Indices[i]] = alpha[i];
    }

    private TestResults TestResultsOf(TestOutcome t) => new()
    {
        Accuracy = t.Test.Accuracy,
        MeanClassAccuracy = t.Test.MeanClassAccuracy,
        BestEpoch = run.State.BestEpoch,
        BestValAccuracy = run.State.BestValAccuracy,
        Relabeled = t.Audit.ChangedTotal,
        RelabelPrecision = t.Audit.PrecisionTotal,
        RelabelRecall = t.Audit.Recall,
        NoisyStillWrong = t.Audit.NoisyStillWrong,
        WrongLabelsStart = t.Audit.CleanKnown ? (double)t.Audit.Noisy / Math.Max(1, t.Audit.Samples) : null,
        WrongLabelsEnd = t.Audit.CleanKnown ? t.Audit.NoiseRate : null,
        AuAuc = t.Branches.AuAuc,
        AuAucRendered = t.Branches.AuAucRendered,
        TemplateAccuracy = t.Branches.TemplateAccuracy,
        AlphaErrorAuc = t.Branches.AlphaErrorAuc,
        PerAu = t.Branches.PerAu,
        AuOracle = t.Branches.Oracle,
    };

    private void Each(Action<ITrainerCallback> hook)
    {
        foreach (var c in callbacks) hook(c);
    }
}
