using UlcAg.Data;
using UlcAg.Data.Formats;
using UlcAg.Data.Issues;
using UlcAg.Data.Noise;
using UlcAg.Data.Synthetic;
using UlcAg.Training.Config;

namespace UlcAg.Training.Trainer;

/// <summary>
/// The splits a run trains, selects and tests on. <see cref="Train"/> carries the (possibly
/// noisy) training labels with the clean ones in <see cref="Sample.CleanLabel"/> where known;
/// <see cref="Val"/> and <see cref="Test"/> keep the dataset's own labels.
/// </summary>
/// <param name="Train">The training split.</param>
/// <param name="Val">The validation split (the test split when none is held out).</param>
/// <param name="Test">The test split.</param>
/// <param name="Description">The dataset in a few words.</param>
/// <param name="Notes">Lines for the log: hold-out, noise.</param>
/// <param name="Noise">What was done to the training labels on purpose (the report's "Label noise"); null when nothing was.</param>
public sealed record PreparedData(DatasetSplit Train, DatasetSplit Val, DatasetSplit Test, string Description, IReadOnlyList<string> Notes, string? Noise)
{
    public IReadOnlyList<string> ClassNames => Train.ClassNames;
    public IReadOnlyList<string> AuNames => Train.AuNames;

    /// <summary>Loads the configured dataset, holds out validation data, injects or applies label noise.</summary>
    public static PreparedData Load(TrainOptions options)
    {
        var data = options.Data;
        var notes = new List<string>();
        DatasetSplit train, test;
        DatasetSplit? val = null;
        string description;
        var report = new IssueReport(data.BadInput);
        if (data.Format == DataFormat.Synthetic)
        {
            var generator = new SyntheticFaceGenerator(data.Synthetic with { ImageSize = data.InputSize, Seed = data.Synthetic.Seed ?? options.Seed });
            // Synthetic labels are true labels: record them as clean so that noise and correction can be measured.
            train = WithCleanLabels(generator.CreateSplit(SynthSplit.Train));
            test = generator.CreateSplit(SynthSplit.Test);
            description = $"synthetic FACS faces ({train.Samples.Count} train, {test.Samples.Count} test, difficulty {data.Synthetic.Difficulty})";
        }
        else
        {
            var source = new DatasetSource(new DatasetOptions
            {
                Format = data.Format,
                Root = data.Root!,
                Classes = data.Classes,
                Policy = data.BadInput,
                Aus = data.Au,
                Seed = options.Seed,
            }, report);
            train = source.Load(data.TrainSplit);
            test = source.Load(data.TestSplit);
            if (data.ValSplit is not null) val = source.Load(data.ValSplit);
            description = $"{EnumWords.ToWord(data.Format)} at {data.Root} ({train.Samples.Count} train, {test.Samples.Count} test)";
            if (report.Total > 0) notes.Add(report.ToString());
        }

        if (val is null)
        {
            if (data.ValFraction > 0)
            {
                (train, val) = HoldOut(train, data.ValFraction, options.Seed);
                notes.Add($"validation: {val.Samples.Count} samples held out of the training split ({data.ValFraction:P0})");
            }
            else
            {
                val = test;
                notes.Add("validation: the test split (data.val_fraction is 0)");
            }
        }

        string? noiseDone = null;
        if (data.Noise.List is not null)
        {
            train = NoisyLabelList.Apply(WithCleanLabels(train), data.Noise.List, report);
            noiseDone = $"labels from {data.Noise.List}";
            notes.Add($"noise: {noiseDone}");
        }
        else if (data.Noise is { Rate: > 0 } noise)
        {
            var injected = LabelNoise.Inject(train, noise, options.Seed);
            train = injected.Split;
            noiseDone = $"{injected.Flipped.Count} of {train.Samples.Count} training labels flipped ({(noise.Rate * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}% {EnumWords.ToWord(noise.Kind)})";
            notes.Add($"label noise: {injected.Flipped.Count} of {train.Samples.Count} training labels flipped on purpose (data.noise.rate {noise.Rate:P0}, {EnumWords.ToWord(noise.Kind)}); set data.noise.rate=0 to train on the labels as given");
        }
        else
        {
            notes.Add("label noise: none; the training labels are used as given");
        }
        return new PreparedData(train, val, test, description, notes, noiseDone);
    }

    private static DatasetSplit WithCleanLabels(DatasetSplit split)
        => split with { Samples = split.Samples.Select(s => s.CleanLabel is null ? s with { CleanLabel = s.Label } : s).ToList() };

    /// <summary>A seeded random share of <paramref name="split"/> becomes the validation split.</summary>
    private static (DatasetSplit Train, DatasetSplit Val) HoldOut(DatasetSplit split, double fraction, int seed)
    {
        var order = Enumerable.Range(0, split.Samples.Count).ToArray();
        new Random(seed).Shuffle(order);
        var count = Math.Max(1, (int)Math.Round(fraction * order.Length));
        var valSet = order.Take(count).ToHashSet();
        var train = split.Samples.Where((_, i) => !valSet.Contains(i)).ToList();
        var val = split.Samples.Where((_, i) => valSet.Contains(i)).ToList();
        return (split with { Samples = train }, split with { Split = "val", Samples = val });
    }
}
