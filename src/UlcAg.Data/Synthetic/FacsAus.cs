namespace UlcAg.Data.Synthetic;

/// <summary>
/// FACS action unit numbering: the AUs the synthetic renderer models, and the AU columns
/// OpenFace 2.0 writes (18 presence columns <c>_c</c>, 17 intensity columns <c>_r</c>, no AU28).
/// </summary>
public static class FacsAus
{
    /// <summary>
    /// The modelled AUs, in the order of every AU vector of the synthetic dataset:
    /// inner/outer brow raiser, brow lowerer, upper lid raiser, cheek raiser, lid tightener,
    /// nose wrinkler, upper lip raiser, lip corner puller/depressor, lip stretcher/tightener,
    /// lips part, jaw drop.
    /// </summary>
    public static IReadOnlyList<int> Modelled { get; } = [1, 2, 4, 5, 6, 7, 9, 10, 12, 15, 20, 23, 25, 26];

    /// <summary>The OpenFace 2.0 presence AUs (<c>AUxx_c</c>).</summary>
    public static IReadOnlyList<int> OpenFacePresence { get; } = [1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 17, 20, 23, 25, 26, 28, 45];

    /// <summary>The OpenFace 2.0 intensity AUs (<c>AUxx_r</c>): the presence set without AU28.</summary>
    public static IReadOnlyList<int> OpenFaceIntensity { get; } = [1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 17, 20, 23, 25, 26, 45];

    /// <summary>Names of the modelled AUs (<c>AU01</c>, ...), the AU names of synthetic splits.</summary>
    public static IReadOnlyList<string> ModelledNames { get; } = Modelled.Select(Name).ToArray();

    /// <summary>Number of modelled AUs.</summary>
    public static int Count => Modelled.Count;

    private static readonly int[] IndexByNumber = BuildIndex();

    private static int[] BuildIndex()
    {
        var index = Enumerable.Repeat(-1, 64).ToArray();
        for (var i = 0; i < Modelled.Count; i++)
            index[Modelled[i]] = i;
        return index;
    }

    /// <summary>FACS name of an AU number, two digits as OpenFace writes it (<c>AU01</c>).</summary>
    public static string Name(int au) => $"AU{au:00}";

    /// <summary>Position of a modelled AU in AU vectors, or -1 when the renderer does not model it.</summary>
    public static int IndexOf(int au) => au is >= 0 and < 64 ? IndexByNumber[au] : -1;

    /// <summary>Whether the renderer models <paramref name="au"/>.</summary>
    public static bool IsModelled(int au) => IndexOf(au) >= 0;
}
