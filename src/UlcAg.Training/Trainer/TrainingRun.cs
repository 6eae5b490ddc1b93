using System.Diagnostics;
using System.Text.Json;
using UlcAg.Data;
using UlcAg.Data.Cache;
using UlcAg.Data.Faces;
using UlcAg.Data.Loading;
using UlcAg.Graph;
using UlcAg.Graph.Optim;
using UlcAg.IO;
using UlcAg.Network.Layers;
using UlcAg.Network.Models;
using UlcAg.Network.Weights;
using UlcAg.Runtime;
using UlcAg.Training.Config;
using UlcAg.Training.Correction;
using UlcAg.Training.Metrics;
using UlcAg.Training.Progress;
using UlcAg.Training.Reporting;
using UlcAg.Training.Schedule;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Training.Trainer;

/// <summary>
/// One training run, from configuration to exported model. Between steps it does what the paper
/// does outside the network: per-batch class weights (eq. 2), the epoch ramps (eq. 12-13), the
/// learning-rate schedule, semantic templates (eq. 8) and relabeling (eq. 9-10), validation,
/// checkpoints and metrics.
/// </summary>
internal sealed class TrainingRun : IDisposable
{
    private readonly TrainOptions _o;
    private readonly IProgressReporter _progress;
    private readonly string _dir;
    private readonly Method _method;
    private readonly List<IDisposable> _owned = [];

    private PreparedData _data = null!;
    private ImageCache _trainCache = null!, _valCache = null!, _testCache = null!;
    private NetworkOptions _net = null!;
    private TrainStepArtifact _step = null!;
    private TrainingSession _session = null!;
    private ModelRunner _eval = null!;
    private LabelStore _labels = null!;
    private SemanticTemplates? _templates;
    private float[]? _adjacency;
    private float[] _lastAlpha = [];
    private TrainerState _state = new();
    private readonly List<EpochMetrics> _epochs = [];

    public TrainingRun(TrainOptions options, IProgressReporter progress)
    {
        _o = options;
        _progress = progress;
        _dir = Path.GetFullPath(options.RunDirectory);
        _method = options.Method;
    }

    public string Directory => _dir;

    public int Execute(CancellationToken ct)
    {
        // 1. Run directory and configuration.
        var resuming = _o.ResumeFrom is not null;
        System.IO.Directory.CreateDirectory(_dir);
        if (!resuming) OptionsYaml.WriteFile(_o, Path.Combine(_dir, "config.yaml"), "Resolved configuration of this run.");
        Say($"run: {_dir}");

        // 2. Data: splits, label noise, image caches.
        PrepareData(ct);

        // 3. Network, artifacts, initial (or resumed) state.
        BuildNetwork(resuming);

        // 4. Epochs.
        using var metrics = new MetricsLogWriter(Path.Combine(_dir, MetricsLog.FileName));
        using var relabels = new RelabelLogWriter(Path.Combine(_dir, "relabels.csv"));
        for (var epoch = _state.Epoch; epoch < _o.Train.Epochs; epoch++)
        {
            var outcome = TrainEpoch(epoch, relabels, metrics, ct);
            if (outcome != 0) return outcome;
        }

        // 5. Test with the best weights, export.
        return Finish();
    }

    private void PrepareData(CancellationToken ct)
    {
        _data = PreparedData.Load(_o);
        Say($"data: {_data.Description}");
        foreach (var note in _data.Notes) Say($"  {note}");
        var settings = new CacheSettings
        {
            Faces = new FacePipelineOptions { Size = _o.Data.InputSize, Mode = _o.Data.Align, Margin = (float)_o.Data.Margin },
            Detector = _o.Data.DetectorSpec,
            OnDecodeError = _o.Data.BadInput == Data.Issues.IssuePolicy.Skip ? DecodeErrorPolicy.Skip : DecodeErrorPolicy.Fail,
        };
        var cacheDir = Path.GetFullPath(_o.Data.CacheDir);
        ImageCache Open(DatasetSplit split)
        {
            var cache = ImageCache.OpenOrBuild(split, settings, cacheDir, cancellation: ct);
            _owned.Add(cache);
            var r = cache.Report;
            Say($"  cache {split.Split}: {cache.Count} images {(r.Reused ? "reused" : "built")}{(r.Skipped.Count > 0 ? $", {r.Skipped.Count} skipped" : "")}");
            return cache;
        }
        _trainCache = Open(_data.Train);
        _valCache = ReferenceEquals(_data.Val, _data.Test) ? null! : Open(_data.Val);
        _testCache = Open(_data.Test);
        _valCache ??= _testCache;
        if (_trainCache.Count < _o.Train.BatchSize)
            throw new TrainingException($"the training split has {_trainCache.Count} images, fewer than one batch (train.batch_size {_o.Train.BatchSize})");
    }

    private void BuildNetwork(bool resuming)
    {
        var aux = _method.HasAuxBranch();
        if (aux && _data.AuNames.Count == 0)
            throw new TrainingException($"method '{_method.Name()}' trains the AU graph branch, but the data has no AU labels: set data.au.source and data.au.path");
        var pretrained = Pretrained.Load(_o.Model.Pretrained, _o.Data.InputSize, ResNetLayout.ResNet18Blocks);
        var device = Device.Parse(_o.Device);
        _net = new NetworkOptions
        {
            Method = _method,
            Classes = _data.ClassNames.Count,
            InputSize = _o.Data.InputSize,
            AuCount = Math.Max(1, _data.AuNames.Count),
            NodeDim = _o.Model.NodeDim,
            GcnChannels = _o.Model.GcnChannels,
            LeakySlope = _o.Model.LeakySlope,
            Semantic = _o.Model.SemanticFeature,
            AlphaThroughAuLoss = _o.Model.AlphaThroughAuLoss,
            RrRatio = _method == Method.Scn ? _o.Scn.RrRatio : _o.UlcAg.RrRatio,
            Normalization = pretrained?.Normalization ?? Normalization.ImageNet,
            ConvLowering = device.PreferredConvLowering,
        };
        var optimizer = new OptimizerSettings(EnumWords.ToWord(_o.Train.Optimizer), _o.Train.Momentum, _o.Train.WeightDecay);
        _step = UlcAgNetwork.BuildTrainStep(_net, _o.Train.BatchSize, optimizer);
        AtomicWrite(Path.Combine(_dir, "train_step.onnx"), _step.Model);
        var evalModel = UlcAgNetwork.BuildEval(_net);
        AtomicWrite(Path.Combine(_dir, "eval.onnx"), evalModel);

        Dictionary<string, float[]> initial;
        if (resuming)
        {
            (initial, _state) = Checkpoint.Load(Path.Combine(_dir, "checkpoints", "last"));
            Say($"resuming at epoch {_state.Epoch + 1}, batch {_state.Batch} (step {_state.Step})");
            // Lines written after the checkpoint (a crash between checkpoint and the next one) would be written again.
            if (File.Exists(Path.Combine(_dir, MetricsLog.FileName))) MetricsLog.TruncateAfter(Path.Combine(_dir, MetricsLog.FileName), _state.Epoch);
            if (_state.Batch == 0 && File.Exists(Path.Combine(_dir, "relabels.csv"))) RelabelLog.TruncateAfter(Path.Combine(_dir, "relabels.csv"), _state.Epoch);
        }
        else
        {
            var init = Initializers.Default(_step.Weights, _o.Seed);
            if (pretrained is not null)
            {
                var report = WeightLoader.Apply(pretrained.Weights, _step.Weights.Where(s => !IsHeadOrAux(s.Name)), pretrained.Description);
                foreach (var (name, t) in report.Tensors) init.Set(name, t);
                Say($"pretrained: {pretrained.Description}: {report.Loaded.Count()} loaded, {report.Missing.Count} missing, {report.Unexpected.Count} unexpected");
            }
            initial = init.ToDictionary(kv => kv.Key, kv => kv.Value.Data);
        }
        _session = new TrainingSession(_step.Model, device, initial, _o.Threads);
        _eval = new ModelRunner(evalModel, device, _o.Threads);

        var train = _data.Train.Samples;
        _labels = new LabelStore(train.Select(s => s.Label).ToArray(), train.Select(s => s.CleanLabel).ToArray());
        _lastAlpha = new float[train.Count];
        Array.Fill(_lastAlpha, float.NaN);
        if (aux)
        {
            _templates = new SemanticTemplates(_net.Classes, _net.SemanticSize, _o.UlcAg.TemplateMomentum);
            _adjacency = _method == Method.RandomEdges
                ? AuAdjacency.Random(_net.AuCount, _o.Seed)
                : AuAdjacency.FromLabels(train.Select(s => s.Aus), _net.AuCount);
            WriteAdjacency();
        }
        if (resuming)
        {
            _labels.Restore(_state.Labels);
            if (_templates is not null && _state.Templates.Length > 0) _templates.Restore(_state.Templates);
        }
        else
        {
            _state = new TrainerState { Labels = _labels.Current, EpochStartLabels = _labels.Current.ToArray() };
        }
    }

    private static bool IsHeadOrAux(string name) => name.StartsWith("fc.", StringComparison.Ordinal) || name.StartsWith("attention.", StringComparison.Ordinal) || name.StartsWith("aux.", StringComparison.Ordinal);

    private int TrainEpoch(int epoch, RelabelLogWriter relabels, MetricsLogWriter metrics, CancellationToken ct)
    {
        var loader = new TrainLoader(_trainCache, new TrainLoaderOptions
        {
            BatchSize = _o.Train.BatchSize,
            Seed = _o.Seed,
            Workers = _o.Train.Workers,
            Augment = _o.Augment.ToAugmentOptions(),
        });
        var batches = loader.BatchesPerEpoch;
        var (lambda1, lambda2) = Lambdas(epoch);
        var lrs = new Dictionary<string, double>
        {
            [N.GroupBackbone] = LrSchedule.At(_o.Train.Lr, epoch, _o.Train.LrMilestones, _o.Train.LrGamma),
            [N.GroupTarget] = LrSchedule.At(_o.Train.Lr, epoch, _o.Train.LrMilestones, _o.Train.LrGamma),
            [N.GroupAux] = LrSchedule.At(_o.Train.AuxLr, epoch, _o.Train.LrMilestones, _o.Train.LrGamma),
        };
        SetScalar(N.Lambda1, lambda1);
        SetScalar(N.Lambda2, lambda2);
        SetScalar(N.RrMargin, _method == Method.Scn ? _o.Scn.RrMargin : _o.UlcAg.RrMargin);
        foreach (var (group, lr) in lrs) SetScalar(Optimizer.LearningRateInput(group), lr);

        var losses = new LossAverages();
        int correct = 0, seen = 0;
        var watch = Stopwatch.StartNew();
        var startBatch = _state.Batch;
        _progress.EpochStarted(new EpochStart(epoch + 1, _o.Train.Epochs, batches, _o.Train.BatchSize));
        var epochStart = _state.EpochStartLabels.Length == _labels.Count ? _state.EpochStartLabels : _labels.Current.ToArray();
        // The run checks the token itself after each step, so that an interrupt always ends on a checkpoint.
        foreach (var batch in loader.Epoch(epoch, startBatch, CancellationToken.None))
        {
            var b = batch.BatchIndex;
            FeedBatch(batch);
            _session.Step();
            var loss = _session.Result<float>(N.Loss)[0];
            if (!float.IsFinite(loss))
            {
                Say($"error: the loss became {loss} at epoch {epoch + 1}, batch {b + 1} (step {_state.Step + 1}); training stopped. " +
                    $"The last good checkpoint is {Path.Combine(_dir, "checkpoints", "last")}; lower train.lr or check the data.");
                return TrainExitCodes.NonFiniteLoss;
            }
            var terms = new Dictionary<string, double>
            {
                [LossTerms.Total] = loss,
                [_method.HasWeightedCe() ? LossTerms.Wce : LossTerms.Ce] = _session.Result<float>(N.LossCls)[0],
            };
            if (_method.HasRankRegularization()) terms[LossTerms.Rr] = _session.Result<float>(N.LossRr)[0];
            if (_method.HasAuxBranch()) terms[LossTerms.Au] = _session.Result<float>(N.LossAu)[0];
            losses.Add(terms, batch.Count);
            correct += CountCorrect(batch);
            seen += batch.Count;
            relabels.Append(CorrectLabels(epoch, batch));
            _state = _state with { Step = _state.Step + 1 };

            if (ct.IsCancellationRequested)
            {
                SaveCheckpoint(epoch, b + 1, epochStart);
                Say($"stopped at epoch {epoch + 1}, batch {b + 1}; checkpoint saved. Resume with: dotnet ulcag-train --resume {_dir}");
                return TrainExitCodes.Interrupted;
            }
            var rate = seen / Math.Max(1e-9, watch.Elapsed.TotalSeconds);
            var remaining = TimeSpan.FromSeconds((batches - 1 - b) * _o.Train.BatchSize / Math.Max(rate, 1e-9));
            _progress.StepCompleted(new StepProgress(epoch + 1, _o.Train.Epochs, b + 1, batches, rate, remaining, losses.Recent));
        }

        // Validation, audit, metrics, checkpoints; the throughput counts the training steps only.
        var trainSeconds = watch.Elapsed.TotalSeconds;
        var weights = CurrentWeights();
        var (val, valAuAuc, valTemplateAccuracy) = Evaluate(_valCache, _data.Val, weights);
        var audit = RelabelAudit.Compute(_labels.Initial, epochStart, _labels.Current, CleanOrNull());
        var noisy = CleanOrNull() is { } clean ? _labels.Initial.Select((l, i) => l != clean[i]).ToArray() : null;
        var auc = noisy is not null && _method.HasAttention() && noisy.Any(x => x) && !_lastAlpha.Any(float.IsNaN)
            ? RocAuc.AlphaFlagsNoise(_lastAlpha, noisy) : null;
        var seconds = watch.Elapsed.TotalSeconds;
        var entry = new EpochMetrics
        {
            Epoch = epoch + 1,
            Step = _state.Step,
            LearningRates = lrs,
            Lambda1 = lambda1,
            Lambda2 = lambda2,
            Losses = losses.EpochMeans,
            TrainAccuracy = seen > 0 ? (double)correct / seen : null,
            ValAccuracy = val.Accuracy,
            ValMeanClassAccuracy = val.MeanClassAccuracy,
            Relabel = audit,
            AlphaAuc = auc,
            ValAuAuc = valAuAuc,
            ValTemplateAccuracy = valTemplateAccuracy,
            ImagesPerSecond = seen / Math.Max(1e-9, trainSeconds),
            Seconds = seconds,
        };
        metrics.Append(entry);
        _epochs.Add(entry);
        var improved = (val.Accuracy ?? 0) > _state.BestValAccuracy;
        if (improved) _state = _state with { BestEpoch = epoch + 1, BestValAccuracy = val.Accuracy ?? 0 };
        SaveCheckpoint(epoch + 1, 0, _labels.Current.ToArray());
        if (improved) SaveBest(weights);
        _progress.EpochCompleted(entry);
        if (improved) Say($"epoch {epoch + 1}: best validation accuracy so far ({val.Accuracy:P2}); checkpoint kept");
        return 0;
    }

    private (double Lambda1, double Lambda2) Lambdas(int epoch)
    {
        // Methods without the AU branch use the plain sum L_cls + L_rr (eq. 11 with lambda1 = 2, lambda2 = 0).
        if (!_method.HasAuxBranch()) return (2, 0);
        var beta = _o.UlcAg.RampBeta;
        var lambda2 = epoch < _o.UlcAg.AuxStartEpoch ? 0 : Ramps.Lambda2(epoch + 1, beta);
        return (Ramps.Lambda1(epoch + 1, beta), lambda2);
    }

    private void FeedBatch(LoaderBatch batch)
    {
        batch.Images.CopyTo(_session.Feed<byte>(N.Images));
        var labels = _session.Feed<long>(N.Labels);
        for (var i = 0; i < batch.Count; i++) labels[i] = _labels.Current[batch.Indices[i]];
        ClassWeights.PerSample(labels, _net.Classes, _session.Feed<float>(N.ClassWeights));
        if (!_method.HasAuxBranch()) return;
        var targets = _session.Feed<float>(N.AuTargets);
        var mask = _session.Feed<float>(N.AuMask);
        var m = _net.AuCount;
        for (var i = 0; i < batch.Count; i++)
        {
            var aus = _data.Train.Samples[batch.Indices[i]].Aus;
            mask[i] = aus is null ? 0 : 1;
            var row = targets.Slice(i * m, m);
            if (aus is null) row.Clear();
            else aus.AsSpan(0, m).CopyTo(row);
        }
    }

    private int CountCorrect(LoaderBatch batch)
    {
        var logits = _session.Result<float>(N.Logits);
        var c = _net.Classes;
        var correct = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (ArgMax(logits.Slice(i * c, c)) == _labels.Current[batch.Indices[i]]) correct++;
        }
        return correct;
    }

    /// <summary>Templates (eq. 8) and relabeling (eq. 9-10), or SCN's rule; returns the audit records.</summary>
    private List<RelabelRecord> CorrectLabels(int epoch, LoaderBatch batch)
    {
        var alpha = _session.Result<float>(N.Alpha);
        for (var i = 0; i < batch.Count; i++) _lastAlpha[batch.Indices[i]] = alpha[i];
        List<RelabelEvent> events = [];
        if (_templates is not null)
        {
            var semantic = _session.Result<float>(N.Semantic);
            var high = ConfidenceSplit.High(alpha, _net.RrRatio);
            _templates.Update(semantic, alpha, _session.Feed<long>(N.Labels), high);
            if (epoch >= _o.UlcAg.RelabelStartEpoch)
                events = Relabeling.ByTemplates(_templates, batch.Indices, semantic, alpha, high, _labels, epoch + 1, _o.UlcAg.RelabelMargin);
        }
        else if (_method == Method.Scn && epoch >= _o.Scn.RelabelStartEpoch)
        {
            var high = ConfidenceSplit.High(alpha, _net.RrRatio);
            events = Relabeling.Scn(batch.Indices, _session.Result<float>(N.Logits), _net.Classes, alpha, high, _labels, epoch + 1, _o.Scn.RelabelThreshold);
        }
        return events.Select(e => RelabelRecord.Create(_data.Train.Samples[e.Sample].Id, e.Epoch, e.OldLabel, e.NewLabel, e.Alpha,
            (float)e.OldDistance, (float)e.NewDistance, _labels.Clean?[e.Sample], _data.ClassNames)).ToList();
    }

    private Dictionary<string, float[]> CurrentWeights()
    {
        var state = _session.ReadState();
        return _step.Weights.ToDictionary(s => s.Name, s => state[s.Name]);
    }

    /// <summary>
    /// Classifies <paramref name="split"/> with <paramref name="weights"/>. Where the network predicts AUs
    /// (pre-sigmoid scores as s) and the samples carry AU labels, also returns how well the AU branch
    /// ranks its AUs: the ROC AUC of each AU's score against its label, averaged over the AUs that occur
    /// (0.5 = no better than chance). Where semantic templates exist, also the template accuracy: the share
    /// of samples whose nearest template (eq. 9) is their own class, i.e. how often the relabeling rule
    /// would point a sample to its true class.
    /// </summary>
    private (ConfusionMatrix Confusion, double? AuAuc, double? TemplateAccuracy) Evaluate(ImageCache cache, DatasetSplit split, IReadOnlyDictionary<string, float[]> weights)
    {
        var feeds = new Dictionary<string, (Array, long[])>();
        foreach (var s in _step.Weights) feeds[s.Name] = (weights[s.Name], s.Shape);
        if (_adjacency is not null) feeds[N.Adjacency] = (_adjacency, [_net.AuCount, _net.AuCount]);
        var truth = new List<int>();
        var predicted = new List<int>();
        var scoresAus = _method.HasAuxBranch() && _net.Semantic == SemanticFeature.AuScores;
        var auScores = new List<float[]>();
        var auLabels = new List<float[]>();
        var templates = _templates is not null && Enumerable.Range(0, _templates.Classes).Any(_templates.Has) ? _templates : null;
        int templateHits = 0, templateSamples = 0;
        foreach (var batch in new EvalLoader(cache, _o.Train.EvalBatchSize).Batches())
        {
            feeds[N.Images] = (batch.Images, [batch.Count, _net.InputSize, _net.InputSize, 3]);
            var outputs = _eval.Run(feeds);
            var logits = (float[])outputs[N.Logits];
            var semantic = outputs.TryGetValue(N.Semantic, out var sem) ? (float[])sem : null;
            for (var i = 0; i < batch.Count; i++)
            {
                var sample = split.Samples[batch.Indices[i]];
                truth.Add(sample.Label);
                predicted.Add(ArgMax(logits.AsSpan(i * _net.Classes, _net.Classes)));
                if (templates is not null)
                {
                    templateSamples++;
                    if (templates.Nearest(semantic.AsSpan(i * templates.Size, templates.Size)).Class == sample.Label) templateHits++;
                }
                if (scoresAus && sample.Aus is { } aus)
                {
                    auScores.Add(semantic.AsSpan(i * _net.AuCount, _net.AuCount).ToArray());
                    auLabels.Add(aus);
                }
            }
        }
        return (ConfusionMatrix.FromLabels(truth.ToArray(), predicted.ToArray(), _net.Classes), MeanAuAuc(auScores, auLabels),
            templateSamples > 0 ? (double)templateHits / templateSamples : null);
    }

    private double? MeanAuAuc(List<float[]> scores, List<float[]> labels)
    {
        var aucs = new List<double>();
        for (var j = 0; j < _net.AuCount && scores.Count > 0; j++)
        {
            var auc = RocAuc.Compute(scores.Select(s => (double)s[j]).ToArray(), labels.Select(l => l[j] > 0.5f).ToArray());
            if (auc is { } a) aucs.Add(a);
        }
        return aucs.Count > 0 ? aucs.Average() : null;
    }

    private int Finish()
    {
        var best = Path.Combine(_dir, "checkpoints", "best");
        var weights = System.IO.Directory.Exists(best) ? Checkpoint.Load(best).Tensors : CurrentWeights();
        var (test, testAuAuc, testTemplateAccuracy) = Evaluate(_testCache, _data.Test, weights);
        var map = new TensorMap();
        foreach (var s in _step.Weights) map.Add(s.Name, new HostTensor(s.Shape, weights[s.Name]));
        var alignment = JsonSerializer.Serialize(new { mode = EnumWords.ToWord(_o.Data.Align), margin = _o.Data.Margin, size = _o.Data.InputSize });
        foreach (var float32 in new[] { false, true })
        {
            var model = ModelExport.Build(_net, map, new ExportSettings(_data.ClassNames, alignment, float32));
            model.Save(Path.Combine(_dir, float32 ? "model.float32.onnx" : "model.onnx"));
        }
        var audit = RelabelAudit.Compute(_labels.Initial, _labels.Initial, _labels.Current, CleanOrNull());
        WriteReport(test);
        // Written last and atomically: its presence marks a finished run (tools/PaperTables relies on it).
        AtomicFile.WriteAllText(Path.Combine(_dir, "test.json"), JsonSerializer.Serialize(new
        {
            accuracy = test.Accuracy,
            mean_class_accuracy = test.MeanClassAccuracy,
            best_epoch = _state.BestEpoch,
            best_val_accuracy = _state.BestValAccuracy,
            relabeled = audit.ChangedTotal,
            relabel_precision = audit.PrecisionTotal,
            relabel_recall = audit.Recall,
            noisy_still_wrong = audit.NoisyStillWrong,
            wrong_labels_start = audit.CleanKnown ? (double)audit.Noisy / Math.Max(1, audit.Samples) : (double?)null,
            wrong_labels_end = audit.CleanKnown ? audit.NoiseRate : null,
            au_auc = testAuAuc,
            template_accuracy = testTemplateAccuracy,
        }));
        Say($"test accuracy {test.Accuracy:P2} (mean class {test.MeanClassAccuracy:P2}) with the best validation epoch {_state.BestEpoch}");
        if (audit.CleanKnown)
            Say($"relabeling: {audit.ChangedTotal} labels changed, precision {Fmt(audit.PrecisionTotal)}, recall {Fmt(audit.Recall)}, noisy labels still wrong {Fmt(audit.NoisyStillWrong)}");
        Say($"model: {Path.Combine(_dir, "model.onnx")}");
        Say($"report: {Path.Combine(_dir, RunReportWriter.FileName)}");
        Say($"run: {_dir} (config.yaml, metrics.jsonl, relabels.csv, checkpoints/)");
        return 0;
    }

    private void WriteReport(ConfusionMatrix test)
    {
        var history = MetricsLog.Read(Path.Combine(_dir, MetricsLog.FileName)).Entries;
        var clean = CleanOrNull();
        var report = new RunReport
        {
            Method = _method.Name(),
            Dataset = _data.Description,
            Noise = _data.Notes.FirstOrDefault(n => n.StartsWith("noise:", StringComparison.Ordinal)),
            ClassNames = _data.ClassNames,
            Epochs = history.Count > 0 ? history : _epochs,
            Test = test,
            Alpha = clean is not null && _method.HasAttention() && !_lastAlpha.Any(float.IsNaN)
                ? new AlphaSnapshot(_state.Epoch, _lastAlpha, _labels.Initial.Select((l, i) => l != clean[i]).ToArray())
                : null,
            Settings =
            [
                new("input size", _o.Data.InputSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("epochs", _o.Train.Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("batch size", _o.Train.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("pretrained", _o.Model.Pretrained),
                new("best validation epoch", _state.BestEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            Files =
            [
                new ReportLink("exported model", "model.onnx"), new ReportLink("configuration", "config.yaml"),
                new ReportLink("metrics per epoch", MetricsLog.FileName), new ReportLink("relabel events", "relabels.csv"),
            ],
        };
        RunReportWriter.Write(report, _dir);
    }

    private static string Fmt(double? v) => v is { } x ? x.ToString("P1", System.Globalization.CultureInfo.InvariantCulture) : "n/a";

    private int[]? CleanOrNull()
        => _labels.Clean is { } c && c.All(x => x.HasValue) ? c.Select(x => x!.Value).ToArray() : null;

    private void SaveCheckpoint(int nextEpoch, int nextBatch, int[] epochStart)
    {
        _state = _state with
        {
            Epoch = nextEpoch,
            Batch = nextBatch,
            Labels = _labels.Current.ToArray(),
            Templates = _templates?.Snapshot() ?? [],
            EpochStartLabels = epochStart,
        };
        var shapes = _session.StateNames.ToDictionary(n => n, _session.StateShape);
        Checkpoint.Save(Path.Combine(_dir, "checkpoints", "last"), _session.ReadState(), shapes, _state);
    }

    private void SaveBest(Dictionary<string, float[]> weights)
        => Checkpoint.Save(Path.Combine(_dir, "checkpoints", "best"), weights, _step.Weights.ToDictionary(s => s.Name, s => s.Shape), _state);

    private void WriteAdjacency()
    {
        var m = _net.AuCount;
        var a = _adjacency!;
        a.AsSpan().CopyTo(_session.Feed<float>(N.Adjacency));
        var rows = Enumerable.Range(0, m).Select(p => string.Join(",", a.Skip(p * m).Take(m).Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture))));
        var header = string.Join(",", _data.AuNames.Take(m));
        AtomicFile.WriteAllText(Path.Combine(_dir, "adjacency.csv"), header + "\n" + string.Join("\n", rows) + "\n");
    }

    private void SetScalar(string name, double value)
    {
        if (_session.FeedNames.Contains(name)) _session.Feed<float>(name)[0] = (float)value;
    }

    private void Say(string text) => _progress.Message(text);

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var k = 1; k < row.Length; k++) if (row[k] > row[best]) best = k;
        return best;
    }

    private static void AtomicWrite(string path, byte[] bytes) => AtomicFile.WriteAllBytes(path, bytes);

    public void Dispose()
    {
        _session?.Dispose();
        _eval?.Dispose();
        foreach (var d in _owned) d.Dispose();
    }
}
