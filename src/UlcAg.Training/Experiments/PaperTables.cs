using System.Globalization;
using UlcAg.Network.Models;
using UlcAg.Training.Config;

namespace UlcAg.Training.Experiments;

/// <summary>One configuration to train: a method at an injected label-noise rate.</summary>
/// <param name="Method">The method (<c>method</c> key).</param>
/// <param name="NoiseRate">The injected symmetric noise rate (<c>data.noise.rate</c>); 0 trains on the labels as given.</param>
/// <param name="Policy">The label-correction policy (<c>ulcag.correction</c>) where the row sets one; null keeps the configuration's.</param>
public sealed record ExperimentCell(Method Method, double NoiseRate, CorrectionPolicy? Policy = null)
{
    /// <summary>The row's method and policy, folder-safe, e.g. <c>ulcag</c> or <c>ulcag-paper</c>.</summary>
    public string MethodKey => Policy is { } p ? $"{EnumWords.ToWord(Method)}-{EnumWords.ToWord(p)}" : EnumWords.ToWord(Method);

    /// <summary>A folder-safe name, e.g. <c>ulcag-noise20</c>.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{MethodKey}-noise{Math.Round(NoiseRate * 100):0}");

    /// <summary>The noise rate as the tables print it: <c>20%</c>, or <c>as given</c> for 0.</summary>
    public string NoiseText => NoiseRate > 0 ? string.Create(CultureInfo.InvariantCulture, $"{NoiseRate * 100:0.#}%") : "as given";
}

/// <summary>A row of a table: its leading cells (the row's description) and the configuration it measures.</summary>
public sealed record TableRow(IReadOnlyList<string> Labels, ExperimentCell Cell);

/// <summary>One of the paper's tables: its number, caption, the headers of its description columns, and its rows.</summary>
public sealed record TableSpec(int Number, string Caption, IReadOnlyList<string> LabelHeaders, IReadOnlyList<TableRow> Rows)
{
    /// <summary>Whether the relabel columns (precision, recall, noisy labels left wrong) mean something here.</summary>
    public bool HasInjectedNoise => Rows.Any(r => r.Cell.NoiseRate > 0);
}

/// <summary>
/// The protocols of the paper's Tables I-IV (Section III), written against any dataset configuration:
/// <list type="bullet">
/// <item>I, component ablation: neither branch (the baseline), target branch only, auxiliary branch only, both;</item>
/// <item>II, data-driven against random AU-graph edges;</item>
/// <item>III, baseline, SCN and ULC-AG with 10/20/30% of the training labels randomized, ULC-AG with the
/// default (robust) correction and with eq. 8-10 as the paper writes them (<c>ulcag.correction: paper</c>);</item>
/// <item>IV, baseline, SCN and ULC-AG on labels with real uncertainty (AffectNet Auto in the paper).</item>
/// </list>
/// Tables I, II and IV use the configuration's own noise rate (<c>data.noise.rate</c>: 0 for RAF-DB and
/// AffectNet as the paper uses them); Table III replaces it by each of its levels.
/// </summary>
public static class PaperTables
{
    /// <summary>The paper's Table III uncertainty levels.</summary>
    public static IReadOnlyList<double> DefaultNoiseLevels { get; } = [0.1, 0.2, 0.3];

    /// <summary>The table numbers this protocol knows.</summary>
    public static IReadOnlyList<int> Numbers { get; } = [1, 2, 3, 4];

    /// <summary>Table <paramref name="number"/> for a configuration whose own noise rate is <paramref name="baseNoise"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 1-4.</exception>
    public static TableSpec Build(int number, double baseNoise, IReadOnlyList<double>? noiseLevels = null) => number switch
    {
        1 => new TableSpec(1, "Evaluation of the components of ULC-AG", ["Target branch", "Auxiliary branch"],
        [
            Row(Method.Baseline, baseNoise, "×", "×"),
            Row(Method.TargetOnly, baseNoise, "✓", "×"),
            Row(Method.AuxOnly, baseNoise, "×", "✓"),
            Row(Method.UlcAg, baseNoise, "✓", "✓"),
        ]),
        2 => new TableSpec(2, "Evaluation of data-driven edges", ["Edges"],
        [
            Row(Method.RandomEdges, baseNoise, "Random"),
            Row(Method.UlcAg, baseNoise, "Data-driven"),
        ]),
        3 => new TableSpec(3, "Synthetic uncertain samples", ["Method", "Uncertainty"],
        [
            .. (noiseLevels ?? DefaultNoiseLevels).SelectMany(rate => new[]
            {
                Row(Method.Baseline, rate, MethodName(Method.Baseline), NoiseText(rate)),
                Row(Method.Scn, rate, MethodName(Method.Scn), NoiseText(rate)),
                Row(Method.UlcAg, rate, MethodName(Method.UlcAg), NoiseText(rate)),
                new TableRow([$"{MethodName(Method.UlcAg)}, paper's relabeling", NoiseText(rate)], new ExperimentCell(Method.UlcAg, rate, CorrectionPolicy.Paper)),
            }),
        ]),
        4 => new TableSpec(4, "Real uncertain samples", ["Method", "Uncertainty"],
        [
            .. new[] { Method.Baseline, Method.Scn, Method.UlcAg }.Select(m => Row(m, baseNoise, MethodName(m), baseNoise > 0 ? new ExperimentCell(m, baseNoise).NoiseText : "Real")),
        ]),
        _ => throw new ArgumentOutOfRangeException(nameof(number), number, "the paper's tables are 1 to 4"),
    };

    /// <summary>How the tables name a method.</summary>
    public static string MethodName(Method method) => method switch
    {
        Method.Baseline => "Baseline",
        Method.Scn => "SCN",
        Method.UlcAg => "ULC-AG",
        Method.TargetOnly => "Target branch only",
        Method.AuxOnly => "Auxiliary branch only",
        Method.RandomEdges => "ULC-AG, random edges",
        _ => method.ToString(),
    };

    private static TableRow Row(Method method, double noise, params string[] labels) => new(labels, new ExperimentCell(method, noise));

    private static string NoiseText(double rate) => new ExperimentCell(Method.Baseline, rate).NoiseText;
}
