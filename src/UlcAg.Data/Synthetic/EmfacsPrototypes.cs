namespace UlcAg.Data.Synthetic;

/// <summary>
/// EMFACS prototypes: the action units that make up each basic expression, plus companion AUs
/// that often accompany them (lips part with a jaw drop, upper lip raiser with disgust). A face
/// is "explained" by the prototype whose scaled AU pattern is nearest to its AU intensities;
/// the generator uses that to keep labels honest after dropping and adding AUs.
/// </summary>
public static class EmfacsPrototypes
{
    private static readonly int[][] Core =
    [
        [1, 2, 5, 26],              // Surprise
        [1, 2, 4, 5, 7, 20, 26],    // Fear
        [9, 15],                    // Disgust
        [6, 12],                    // Happiness
        [1, 4, 15],                 // Sadness
        [4, 5, 7, 23],              // Anger
        [],                         // Neutral
    ];

    // The AU that carries each class and is never dropped: the smile, the nose wrinkle, the
    // lowered brow, ... Without it a face would read as another class or as neutral.
    private static readonly int[] Keys = [26, 20, 9, 12, 15, 4, 0];

    // Companion AUs and how often the generator adds them. They are not part of the prototype
    // pattern, so they neither help nor hurt the nearest-prototype test.
    private static readonly (int Au, double P)[][] Companions =
    [
        [(25, 0.8)],
        [(25, 0.7)],
        [(10, 0.5), (25, 0.25)],
        [(25, 0.35)],
        [],
        [(10, 0.15), (25, 0.15)],
        [],
    ];

    // Smallest scale of a prototype pattern when explaining a face: weaker faces than this are
    // closer to neutral.
    private const double MinScale = 0.2;

    /// <summary>The prototype AUs of a class (FACS numbers).</summary>
    public static IReadOnlyList<int> AusOf(BasicExpression expression) => Core[(int)expression];

    /// <summary>The prototype AU that is never dropped from a face of the class (0 for neutral).</summary>
    public static int KeyAuOf(BasicExpression expression) => Keys[(int)expression];

    /// <summary>Companion AUs of a class with the probability the generator adds each.</summary>
    public static IReadOnlyList<(int Au, double Probability)> CompanionsOf(BasicExpression expression) =>
        Companions[(int)expression];

    /// <summary>
    /// Distance of <paramref name="aus"/> from the prototype of <paramref name="expression"/>:
    /// min over scales s in [0.2, 1] of the Euclidean distance between the AU intensities and s
    /// times the prototype's 0/1 pattern, companion AUs left out. Neutral's distance is the norm.
    /// </summary>
    public static double Distance(AuIntensities aus, BasicExpression expression)
    {
        var core = Core[(int)expression];
        var companions = Companions[(int)expression];
        double dot = 0;
        foreach (var au in core)
            dot += aus[au];
        var scale = core.Length == 0 ? 0 : Math.Clamp(dot / core.Length, MinScale, 1.0);
        double sum = 0;
        foreach (var au in FacsAus.Modelled)
        {
            if (Array.IndexOf(core, au) < 0 && companions.Any(c => c.Au == au))
                continue;
            var target = Array.IndexOf(core, au) >= 0 ? scale : 0;
            var d = aus[au] - target;
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }

    /// <summary>The class whose prototype explains <paramref name="aus"/> best (ties: lower index).</summary>
    public static BasicExpression Nearest(AuIntensities aus) => Nearest(aus, BasicExpressions.All);

    /// <summary>The nearest class among <paramref name="candidates"/>.</summary>
    public static BasicExpression Nearest(AuIntensities aus, IEnumerable<BasicExpression> candidates)
    {
        var best = BasicExpression.Neutral;
        var bestDistance = double.MaxValue;
        foreach (var c in candidates)
        {
            var d = Distance(aus, c);
            if (d < bestDistance)
            {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }
}
