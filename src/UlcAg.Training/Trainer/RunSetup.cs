using System.Globalization;
using UlcAg.Data;
using UlcAg.Data.Cache;
using UlcAg.Data.Faces;
using UlcAg.Graph.Optim;
using UlcAg.IO;
using UlcAg.Network.Layers;
using UlcAg.Network.Models;
using UlcAg.Network.Weights;
using UlcAg.Runtime;
using UlcAg.Training.Config;
using UlcAg.Training.Correction;
using UlcAg.Training.Methods;
using UlcAg.Training.Progress;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Training.Trainer;

/// <summary>
/// Sets a run up: the run folder and its configuration, the data splits and image caches, the
/// method's network compiled into train and eval artifacts, the sessions with initial, pretrained or
/// resumed weights, the label store and the method's own state.
/// </summary>
internal static class RunSetup
{
    public static RunContext Open(TrainOptions o, IProgressReporter progress, CancellationToken ct)
    {
        var folder = new RunFolder(o.RunDirectory);
        var owned = new List<IDisposable> { RunLock.Acquire(folder) };
        ITrainStepSession? session = null;
        try
        {
            var resuming = RunFolderStart.Prepare(folder, o.ResumeFrom is not null, progress);
            // config.yaml shows the configuration in force (a resume may have changed safe keys, e.g. train.epochs);
            // the copy beside the checkpoints stays as the run began, for later resumes to be checked against.
            OptionsYaml.WriteFile(o, folder.Config, "Resolved configuration of this run.");
            if (!File.Exists(ResumeCheck.ReferenceFile(folder.Root)))
                OptionsYaml.WriteFile(o, ResumeCheck.ReferenceFile(folder.Root), "The configuration this run's checkpoints were trained with; --resume compares against it. Do not edit.");
            progress.Message($"run: {folder.Root}");

            // Data: splits, label noise, image caches.
            var data = PreparedData.Load(o);
            progress.Message($"data: {data.Description}");
            foreach (var note in data.Notes) progress.Message($"  {note}");
            var (train, val, test) = OpenCaches(o, data, owned, progress, ct);

            // Network and artifacts.
            var method = MethodModule.Create(o);
            if (method.Method.HasAuxBranch() && data.AuNames.Count == 0)
                throw new TrainingException($"method '{method.Method.Name()}' trains the AU graph branch, but the data has no AU labels: set data.au.source and data.au.path");
            var pretrained = Pretrained.Load(o.Model.Pretrained, o.Data.InputSize, ResNetLayout.ResNet18Blocks);
            var device = Device.Parse(o.Device);
            var net = method.Network(o.Model.ToNetwork(
                classes: data.ClassNames.Count,
                inputSize: o.Data.InputSize,
                auCount: Math.Max(1, data.AuNames.Count),
                normalization: pretrained?.Normalization ?? Normalization.ImageNet,
                convLowering: device.PreferredConvLowering) with
            {
                KeepForBackwardBytes = o.Train.MemoryBudgetBytes,
                AuFalsePositiveRates = AuFalsePositiveRates(o, method, data, progress),
            });
            var optimizer = new OptimizerSettings(o.Train.Optimizer, o.Train.Momentum, o.Train.WeightDecay);
            var accumulating = o.Train.AccumulationSteps > 1;
            var step = accumulating
                ? UlcAgNetwork.BuildAccumulatingTrainStep(net, o.Train.BatchSize, o.Train.MicroBatch, optimizer)
                : UlcAgNetwork.BuildTrainStep(net, o.Train.BatchSize, optimizer);
            AtomicFile.WriteAllBytes(folder.TrainStep, step.Model);
            if (step.Apply is not null) AtomicFile.WriteAllBytes(folder.ApplyStep, step.Apply);
            else File.Delete(folder.ApplyStep);
            if (accumulating) progress.Message($"step: batch {o.Train.BatchSize} as {o.Train.AccumulationSteps} micro-batches of {o.Train.MicroBatch} (gradient accumulation)");
            AtomicFile.WriteAllBytes(folder.Eval, UlcAgNetwork.BuildEval(net));

            // Initial (or resumed) state.
            Dictionary<string, float[]> initial;
            var state = new TrainerState();
            if (resuming)
            {
                (initial, state) = Checkpoint.Load(folder.LastCheckpoint);
                BestCheckpoint.Reconcile(folder, state, initial, step.Weights, progress);
                progress.Message($"resuming at epoch {state.Epoch + 1}, batch {state.Batch} (step {state.Step})");
            }
            else
            {
                initial = InitialWeights(step.Weights, pretrained, o.Seed, progress);
            }
            session = step.Apply is null
                ? new TrainingSession(step.Model, device, initial, o.Threads)
                : new AccumulatingTrainingSession(step.Model, step.Apply, device, initial, o.Threads);
            var eval = new EvalRunner(net, o.Train.EvalBatchSize, device, o.Threads);
            owned.Add(eval);
            var binding = new StepBinding(session, StepFeeds(method, step.Weights), [N.Loss, N.Alpha, N.Logits, .. method.LossTerms.Select(t => t.Output), .. method.Results]);

            var samples = data.Train.Samples;
            var labels = new LabelStore(samples.Select(s => s.Label).ToArray(), samples.Select(s => s.CleanLabel).ToArray());
            method.Setup(new MethodSetup(data.Train, net, binding, folder, o.Seed, labels));
            if (resuming)
            {
                labels.Restore(state.Labels);
                method.RestoreTemplates(state.Templates);
                method.RestoreState(state.MethodState);
            }
            else
            {
                state = new TrainerState { Labels = labels.Current, EpochStartLabels = labels.Current.ToArray() };
            }
            var lastAlpha = new float[samples.Count];
            Array.Fill(lastAlpha, float.NaN);
            if (state.Alpha is { } alpha && alpha.Length == lastAlpha.Length) alpha.CopyTo(lastAlpha, 0);
            owned.Remove(eval);
            return new RunContext(owned)
            {
                Options = o, Folder = folder, Data = data, TrainCache = train, ValCache = val, TestCache = test,
                Network = net, Step = step, Session = session, Binding = binding, Eval = eval, Labels = labels,
                Method = method, Progress = progress, Resumed = resuming, State = state, LastAlpha = lastAlpha,
            };
        }
        catch
        {
            session?.Dispose();
            foreach (var d in owned) d.Dispose();
            throw;
        }
    }

    /// <summary>How the run crops its faces: the cache builds with it, and the export records it (ulcag.face_alignment).</summary>
    public static FacePipelineOptions FaceOptions(TrainOptions o) => new() { Size = o.Data.InputSize, Mode = o.Data.Align, Margin = (float)o.Data.Margin };

    /// <summary>
    /// With <c>model.au_loss: forward</c>, each AU's false-positive rate, estimated from the original
    /// training labels (so a resumed run builds the same loss); null otherwise.
    /// </summary>
    private static float[]? AuFalsePositiveRates(TrainOptions o, MethodModule method, PreparedData data, IProgressReporter progress)
    {
        if (o.Model.AuLoss != AuLossKind.Forward || !method.Method.HasAuxBranch()) return null;
        var inv = CultureInfo.InvariantCulture;
        if (o.Model.AuFalsePositiveRate is { } given)
        {
            progress.Message(string.Create(inv, $"  AU loss: forward-corrected for a false-positive rate of {given:0.###} (model.au_false_positive_rate)"));
            return Enumerable.Repeat((float)given, data.AuNames.Count).ToArray();
        }
        var rates = AuLabelNoise.FalsePositiveRates(data.Train.Samples, data.ClassNames.Count, data.AuNames.Count);
        progress.Message("  AU loss: forward-corrected; false-positive rate per AU, estimated from the training labels: "
            + string.Join(", ", data.AuNames.Select((name, k) => string.Create(inv, $"{name} {rates[k]:0.000}"))));
        // The rates are floats, the bounds doubles: compare at the rates' precision.
        var clamped = data.AuNames.Where((_, k) => rates[k] <= (float)AuLabelNoise.MinRate || rates[k] >= (float)AuLabelNoise.MaxRate).ToArray();
        if (clamped.Length > 0)
            progress.Message(string.Create(inv, $"  warning: the false-positive rate of {string.Join(", ", clamped)} is at a bound ({AuLabelNoise.MinRate} or {AuLabelNoise.MaxRate}): ")
                + $"no expression class with {AuLabelNoise.MinClassSamples} AU-labelled samples in weight, or one without (or only with) the label; set model.au_false_positive_rate to give the rate");
        return rates;
    }

    private static (ImageCache Train, ImageCache Val, ImageCache Test) OpenCaches(TrainOptions o, PreparedData data, List<IDisposable> owned, IProgressReporter progress, CancellationToken ct)
    {
        var settings = new CacheSettings
        {
            Faces = FaceOptions(o),
            Detector = o.Data.DetectorSpec,
            OnDecodeError = o.Data.BadInput,
        };
        var cacheDir = Path.GetFullPath(o.Data.CacheDir);
        ImageCache Open(DatasetSplit split)
        {
            // A build prints photos done, rate and time left every few seconds; a reused cache prints only the line below.
            var lines = new CacheBuildProgress($"  cache {split.Split}", split.Samples.Count, line => progress.Message(line));
            var cache = ImageCache.OpenOrBuild(split, settings, cacheDir, lines, ct);
            owned.Add(cache);
            var r = cache.Report;
            progress.Message($"  cache {split.Split}: {cache.Count} images {(r.Reused ? "reused" : "built")}{(r.Skipped.Count > 0 ? $", {r.Skipped.Count} skipped" : "")}");
            return cache;
        }
        var train = Open(data.Train);
        var val = ReferenceEquals(data.Val, data.Test) ? null : Open(data.Val);
        var test = Open(data.Test);
        if (train.Count < o.Train.BatchSize)
            throw new TrainingException($"the training split has {train.Count} images, fewer than one batch (train.batch_size {o.Train.BatchSize})");
        return (train, val ?? test, test);
    }

    /// <summary>Seeded initial weights, with the backbone's taken from the pretrained model where one is configured.</summary>
    private static Dictionary<string, float[]> InitialWeights(IReadOnlyList<ParameterSpec> specs, PretrainedBackbone? pretrained, int seed, IProgressReporter progress)
    {
        var init = Initializers.Default(specs, seed);
        if (pretrained is not null)
        {
            // Only the backbone is pretrained; the heads and the AU branch start from the seeded initialization.
            var report = WeightLoader.Apply(pretrained.Weights, specs.Where(s => s.Group == N.GroupBackbone), pretrained.Description);
            foreach (var (name, t) in report.Tensors) init.Set(name, t);
            progress.Message($"pretrained: {pretrained.Description}: {report.Loaded.Count()} loaded, {report.Missing.Count} missing, {report.Unexpected.Count} unexpected");
        }
        return init.ToDictionary(kv => kv.Key, kv => kv.Value.Data);
    }

    /// <summary>What the trainer and the method feed each step: images, labels, class weights, eq. 11's scalars, a learning rate per parameter group, the method's own inputs.</summary>
    private static IEnumerable<string> StepFeeds(MethodModule method, IReadOnlyList<ParameterSpec> weights)
    {
        string[] common = [N.Images, N.Labels, N.ClassWeights, N.Lambda1, N.Lambda2];
        var margin = method.Method.HasRankRegularization() ? [N.RrMargin] : Array.Empty<string>();
        var rates = weights.Select(w => w.Group).OfType<string>().Distinct().Select(Optimizer.LearningRateInput);
        return [.. common, .. margin, .. rates, .. method.Feeds];
    }
}
