using System.Text.Json;
using System.Text.Json.Serialization;

namespace UlcAg.Data.Cache;

/// <summary>
/// The JSON file beside a cache's pixel file. It is written last, atomically, and names the pixel
/// file, so a cache is valid exactly when its header exists, parses, and carries the expected key.
/// </summary>
internal sealed record ImageCacheHeader
{
    public const string FormatName = "ulcag-image-cache";

    private static readonly JsonSerializerOptions _json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Format { get; init; } = FormatName;

    public int Version { get; init; }

    public string Key { get; init; } = "";

    public string Dataset { get; init; } = "";

    public string Split { get; init; } = "";

    public string DataFile { get; init; } = "";

    public string Dtype { get; init; } = "uint8";

    public string Layout { get; init; } = "NHWC";

    public string ChannelOrder { get; init; } = "RGB";

    public int Height { get; init; }

    public int Width { get; init; }

    public int Channels { get; init; } = 3;

    public int SampleCount { get; init; }

    public int[] SampleIndices { get; init; } = [];

    public CacheBuildReport Report { get; init; } = new();

    public string Settings { get; init; } = "";

    public DateTime CreatedUtc { get; init; }

    public static ImageCacheHeader? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<ImageCacheHeader>(File.ReadAllText(path), _json) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            // An unreadable header only means the cache must be rebuilt.
            return null;
        }
    }

    public void WriteAtomically(string path)
    {
        var temp = TempPath(path);
        try
        {
            File.WriteAllText(temp, JsonSerializer.Serialize(this, _json));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public static string TempPath(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
}
