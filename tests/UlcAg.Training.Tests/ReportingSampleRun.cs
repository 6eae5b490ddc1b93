using UlcAg.Training.Metrics;
using UlcAg.Training.Reporting;

namespace UlcAg.Training.Tests;

/// <summary>
/// A made-up but internally consistent run: RAF-DB's class sizes, 30% symmetric noise, the paper's
/// schedule, relabeling from epoch 11 simulated on real label arrays and audited with
/// <see cref="RelabelAudit"/>.
/// </summary>
internal static class ReportingSampleRun
{
    public static readonly string[] Classes = ["Surprise", "Fear", "Disgust", "Happiness", "Sadness", "Anger", "Neutral"];
    private static readonly int[] TrainSizes = [1290, 281, 717, 4772, 1982, 705, 2524];
    private static readonly int[] TestSizes = [329, 74, 160, 1185, 478, 162, 680];
    private static readonly double[] TestAccuracy = [0.87, 0.55, 0.52, 0.95, 0.84, 0.79, 0.89];

    public static RunReport Report(int epochCount = 30, string? folder = null)
    {
        var random = new Random(42);
        var clean = TrainSizes.SelectMany((size, c) => Enumerable.Repeat(c, size)).ToArray();
        var initial = clean.Select(c => random.NextDouble() < 0.3 ? Other(random, c) : c).ToArray();
        var labels = (int[])initial.Clone();
        var noisy = clean.Select((c, i) => initial[i] != c).ToArray();
        var epochs = new List<EpochMetrics>();
        float[] alpha = [];
        for (var epoch = 1; epoch <= epochCount; epoch++)
        {
            var start = (int[])labels.Clone();
            if (epoch > 10)
                Relabel(random, clean, labels, fixRate: 0.12 * Math.Exp(-(epoch - 11) / 6.0), breakRate: 0.004 * Math.Exp(-(epoch - 11) / 5.0));
            var progress = (double)epoch / epochCount;
            var separation = 0.05 + 0.12 * Math.Min(1, epoch / 12.0);
            alpha = [.. noisy.Select(n => (float)Math.Clamp(0.5 + (n ? -separation : separation * 0.6) + Gaussian(random) * 0.15, 0.01, 0.99))];
            var lr = epoch <= 10 ? 0.01 : epoch <= 20 ? 0.001 : 0.0001;
            const double beta = 10;
            var wce = 1.9 * Math.Exp(-2.2 * progress) + 0.25 + 0.02 * Gaussian(random);
            var rr = 0.15 * Math.Exp(-3 * progress) + 0.01;
            var au = 0.55 * Math.Exp(-1.5 * progress) + 0.18;
            var lambda1 = epoch <= beta ? Math.Exp(-Math.Pow(1 - epoch / beta, 2)) : 1;
            var lambda2 = epoch <= beta ? 1 : Math.Exp(-Math.Pow(1 - beta / epoch, 2));
            var valAccuracy = 0.86 - 0.42 * Math.Exp(-epoch / 3.5) + (epoch > 10 ? 0.015 : 0) + 0.006 * Gaussian(random);
            epochs.Add(new EpochMetrics
            {
                Epoch = epoch,
                Step = epoch * 23L,
                LearningRates = new Dictionary<string, double> { ["backbone"] = lr, ["aux"] = lr / 2 },
                Lambda1 = lambda1,
                Lambda2 = lambda2,
                Losses = new Dictionary<string, double>
                {
                    [LossTerms.Total] = lambda1 / 2 * (wce + rr) + lambda2 * au,
                    [LossTerms.Wce] = wce,
                    [LossTerms.Rr] = rr,
                    [LossTerms.Au] = au,
                },
                TrainAccuracy = Math.Min(0.99, 0.45 + 0.5 * (1 - Math.Exp(-epoch / 6.0))),
                ValAccuracy = valAccuracy,
                ValMeanClassAccuracy = valAccuracy - 0.09,
                Relabel = epoch > 10 ? RelabelAudit.Compute(initial, start, labels, clean) : null,
                AlphaAuc = RocAuc.AlphaFlagsNoise(alpha, noisy),
                ImagesPerSecond = 190 + 8 * Gaussian(random),
                Seconds = 12271 / 190.0 + 9,
            });
        }

        var test = new int[Classes.Length, Classes.Length];
        for (var t = 0; t < Classes.Length; t++)
        {
            var right = (int)Math.Round(TestSizes[t] * TestAccuracy[t]);
            test[t, t] = right;
            for (var k = 0; k < TestSizes[t] - right; k++)
                test[t, Confusion(random, t)]++;
        }

        folder ??= "runs/raf-ulcag";
        return new RunReport
        {
            Method = "ULC-AG",
            Dataset = "RAF-DB basic",
            Noise = "30% symmetric",
            ClassNames = Classes,
            Epochs = epochs,
            Test = new ConfusionMatrix(test),
            Alpha = new AlphaSnapshot(epochCount, alpha, noisy),
            Settings = [new("Batch size", "512"), new("Device", "CPU (2 cores)")],
            Files =
            [
                new("metrics", Path.Combine(folder, RunFolder.MetricsFile)),
                new("relabel audit", Path.Combine(folder, RunFolder.RelabelsFile)),
                new("checkpoints", Path.Combine(folder, "checkpoints")),
                new("exported model", Path.Combine(folder, "model.onnx")),
            ],
        };
    }

    private static void Relabel(Random random, int[] clean, int[] labels, double fixRate, double breakRate)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] != clean[i] && random.NextDouble() < fixRate)
                labels[i] = random.NextDouble() < 0.85 ? clean[i] : Other(random, labels[i]);
            else if (labels[i] == clean[i] && random.NextDouble() < breakRate)
                labels[i] = Other(random, labels[i]);
        }
    }

    // Mistakes go mostly to the classes FER models confuse: fear/surprise, disgust/sadness/neutral, anger/disgust.
    private static int Confusion(Random random, int truth)
    {
        int[] likely = truth switch
        {
            0 => [1, 3, 6],
            1 => [0, 4, 0],
            2 => [6, 4, 5],
            3 => [6, 0, 4],
            4 => [6, 2, 1],
            5 => [2, 6, 4],
            _ => [4, 3, 2],
        };
        return random.NextDouble() < 0.8 ? likely[random.Next(likely.Length)] : Other(random, truth);
    }

    private static int Other(Random random, int label)
    {
        var other = random.Next(Classes.Length - 1);
        return other >= label ? other + 1 : other;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
