using OpenCvSharp;
using UlcAg.Data.Formats;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Tests;

/// <summary>A temporary dataset folder that tests write files into; deleted on dispose.</summary>
internal sealed class Fixture : IDisposable
{
    public Fixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "ulcag-data-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Writes <paramref name="lines"/> joined by '\n' (with a final newline) and returns the full path.</summary>
    public string Write(string relative, params IEnumerable<string> lines)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    /// <summary>Writes a tiny real image (8x8, gray level from the name) with OpenCV.</summary>
    public string Image(string relative)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = new Mat(8, 8, MatType.CV_8UC3, new Scalar(relative.Length * 7 % 256, 40, 90));
        Assert.IsTrue(Cv2.ImWrite(path, image), $"could not write {path}");
        return path;
    }

    public DatasetOptions Options(DataFormat format, IssuePolicy policy = IssuePolicy.Fail) =>
        new() { Format = format, Root = Root, Policy = policy };

    public void Dispose()
    {
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }
}

/// <summary>Checks that bad input is reported under both policies.</summary>
internal static class Policies
{
    /// <summary>
    /// Under Fail, <paramref name="load"/> throws a DataFormatException of <paramref name="kind"/> whose message
    /// contains every one of <paramref name="mentions"/>; under Skip it returns and the report counts
    /// <paramref name="skipped"/> issues of that kind. Returns the Skip result.
    /// </summary>
    public static T Check<T>(Func<IssuePolicy, (Func<T> Load, IssueReport Report)> setup, IssueKind kind, int skipped, params string[] mentions)
    {
        var (failLoad, _) = setup(IssuePolicy.Fail);
        var error = Assert.ThrowsExactly<DataFormatException>(() => failLoad());
        Assert.AreEqual(kind, error.Issue.Kind, error.Message);
        foreach (var mention in mentions)
            Assert.Contains(mention, error.Message);

        var (skipLoad, report) = setup(IssuePolicy.Skip);
        var result = skipLoad();
        Assert.AreEqual(skipped, report.Count(kind), report.ToString());
        Assert.AreEqual(skipped, report.Total, report.ToString());
        Assert.AreEqual(Math.Min(skipped, report.KeepMessages), report.Examples(kind).Count);
        return result;
    }

    /// <summary>Input no policy can skip: <paramref name="load"/> throws a DataFormatException of <paramref name="kind"/> under Fail and under Skip.</summary>
    public static void Fatal(Action<IssuePolicy> load, IssueKind kind, params string[] mentions)
    {
        foreach (var policy in new[] { IssuePolicy.Fail, IssuePolicy.Skip })
        {
            var error = Assert.ThrowsExactly<DataFormatException>(() => load(policy), policy.ToString());
            Assert.AreEqual(kind, error.Issue.Kind, error.Message);
            foreach (var mention in mentions)
                Assert.Contains(mention, error.Message);
        }
    }

    /// <summary><see cref="Fatal"/> for one split of the format adapter built from options.</summary>
    public static void FatalSplit(Func<IssuePolicy, DatasetOptions> options, string split, IssueKind kind, params string[] mentions) =>
        Fatal(policy => DatasetFactory.Create(options(policy)).Load(split), kind, mentions);

    /// <summary><see cref="Check{T}"/> for one split of the format adapter built from options.</summary>
    public static DatasetSplit CheckSplit(Func<IssuePolicy, DatasetOptions> options, string split, IssueKind kind, int skipped, params string[] mentions) =>
        Check<DatasetSplit>(policy =>
        {
            var adapter = DatasetFactory.Create(options(policy));
            return (() => adapter.Load(split), adapter.Report);
        }, kind, skipped, mentions);

    /// <summary><see cref="Check{T}"/> for one split of a <see cref="DatasetSource"/> (class selection, AU join, class check).</summary>
    public static DatasetSplit CheckSource(Func<IssuePolicy, DatasetOptions> options, string split, IssueKind kind, int skipped, params string[] mentions) =>
        Check<DatasetSplit>(policy =>
        {
            var source = new DatasetSource(options(policy));
            return (() => source.Load(split), source.Report);
        }, kind, skipped, mentions);
}
