namespace UlcAg.Data.Tests;

/// <summary>fer2013.csv and fer2013new.csv rows for the FER2013 and FERPlus tests.</summary>
internal static class FerFixtures
{
    public const string Fer2013Header = "emotion,pixels,Usage";
    public const string FerPlusHeader = "Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF";

    public static readonly string[] Usages = ["Training", "PublicTest", "PrivateTest", "Training", "Training", "Training", "Training", "PublicTest"];

    public static readonly int[] Emotions = [3, 0, 6, 5, 1, 2, 4, 6];

    public static byte Pixel(int row, int i) => (byte)((i * 7 + row * 31) % 256);

    public static string Pixels(int row, int count = 48 * 48) =>
        string.Join(" ", Enumerable.Range(0, count).Select(i => Pixel(row, i)));

    public static string[] Fer2013Lines() =>
        [Fer2013Header, .. Usages.Select((usage, row) => $"{Emotions[row]},{Pixels(row)},{usage}")];

    /// <summary>Votes per row: happiness; empty name; neutral/happiness tie; contempt; unknown; NF; neutral/unknown tie; fear.</summary>
    public static string[] FerPlusLines() =>
    [
        FerPlusHeader,
        "Training,fer0000000.png,0,8,2,0,0,0,0,0,0,0",
        "PublicTest,,0,0,0,0,0,0,0,0,0,10",
        "PrivateTest,fer0000002.png,5,5,0,0,0,0,0,0,0,0",
        "Training,fer0000003.png,0,0,0,0,0,0,0,6,4,0",
        "Training,fer0000004.png,2,0,0,0,0,0,0,0,6,2",
        "Training,fer0000005.png,3,0,0,0,0,0,0,0,3,4",
        "Training,fer0000006.png,4,0,0,0,0,0,0,0,4,0",
        "PublicTest,fer0000007.png,0,0,0,0,0,0,9,0,1,0",
    ];
}
