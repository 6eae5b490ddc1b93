using UlcAg.Data.Issues;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class IssueReportTests
{
    private static DataIssue Issue(int line) =>
        new(IssueKind.BadLabel, "/data/list.txt", line, "label", $"'{line + 7}' is out of range", "an integer 1..7");

    [TestMethod]
    public void MessageNamesFileLineFieldAndExpectation()
    {
        Assert.AreEqual("/data/list.txt, line 3, field 'label': '10' is out of range; expected an integer 1..7.", Issue(3).Message);
        var noLine = new DataIssue(IssueKind.UnreadableFile, "/data/x.csv", null, null, "the file does not exist", "a FER2013 CSV");
        Assert.AreEqual("/data/x.csv: the file does not exist; expected a FER2013 CSV.", noLine.Message);
    }

    [TestMethod]
    public void FailThrowsAtTheFirstIssue()
    {
        var report = new IssueReport(IssuePolicy.Fail);
        var error = Assert.ThrowsExactly<DataFormatException>(() => report.Raise(Issue(1)));
        Assert.AreEqual(Issue(1), error.Issue);
        Assert.AreEqual(Issue(1).Message, error.Message);
    }

    [TestMethod]
    public void SkipCountsPerKindAndKeepsTheFirstMessages()
    {
        var report = new IssueReport(IssuePolicy.Skip, keepMessages: 2);
        for (var line = 1; line <= 5; line++)
            report.Raise(Issue(line));
        report.Raise(new DataIssue(IssueKind.MissingImage, "/data/a.jpg", null, null, "missing", "an image"));
        report.Tally("rows dropped", 3);
        report.Tally("rows dropped");
        Assert.AreEqual(5, report.Count(IssueKind.BadLabel));
        Assert.AreEqual(1, report.Count(IssueKind.MissingImage));
        Assert.AreEqual(6, report.Total);
        Assert.AreEqual(4, report.TallyOf("rows dropped"));
        CollectionAssert.AreEqual(new[] { Issue(1), Issue(2) }, report.Examples(IssueKind.BadLabel).ToArray());
        var text = report.ToString();
        Assert.Contains("BadLabel: 5", text);
        Assert.Contains(Issue(2).Message, text);
        Assert.DoesNotContain(Issue(3).Message, text);
        Assert.Contains("... 3 more", text);
        Assert.Contains("rows dropped: 4", text);
    }

    [TestMethod]
    public void FatalThrowsUnderSkip()
    {
        var report = new IssueReport(IssuePolicy.Skip);
        Assert.ThrowsExactly<DataFormatException>(() => report.Fatal(Issue(1)));
        Assert.AreEqual(1, report.Count(IssueKind.BadLabel));
    }
}
