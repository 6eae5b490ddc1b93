using UlcAg.Data.Formats;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class ClassMapJsonTests
{
    [TestMethod]
    public void RoundTripKeepsClassesAndDroppedLabels()
    {
        using var fixture = new Fixture();
        var map = new AffectNetAdapter(fixture.Options(DataFormat.AffectNet)).ClassMap.Select(ExpressionNames.Common7, out var oldToNew);
        CollectionAssert.AreEqual(new[] { 6, 3, 4, 0, 1, 2, 5 }, oldToNew);
        var path = fixture.PathOf("run/classes.json");
        ClassMapJson.Write(path, map);
        var read = ClassMapJson.Read(path);
        Assert.AreEqual("affectnet", read.Dataset);
        CollectionAssert.AreEqual(map.ClassNames.ToArray(), read.ClassNames.ToArray());
        CollectionAssert.AreEqual(map.Entries.ToArray(), read.Entries.ToArray());
        Assert.AreEqual(new ClassMapEntry("1", "Happy", 3), read.Entries[1]);
        Assert.AreEqual(new ClassMapEntry("8", "None", null), read.Entries[8]);
        Assert.IsEmpty(Directory.GetFiles(fixture.PathOf("run"), "*.tmp"));
    }

    [TestMethod]
    [DataRow("{\"dataset\": \"x\", \"classes\": [\"A\"],\n \"sourceLabels\": [ }", "line 2", "not valid JSON")]
    [DataRow("{\"classes\": [\"A\"], \"sourceLabels\": []}", "field 'dataset'", "the member is missing")]
    [DataRow("{\"dataset\": \"x\", \"classes\": [], \"sourceLabels\": []}", "field 'classes'", "at least one class name")]
    [DataRow("{\"dataset\": \"x\", \"classes\": [\"A\"], \"sourceLabels\": [{\"code\": \"1\", \"name\": \"A\", \"index\": 1}]}", "field 'sourceLabels[0].index'", "null or an integer 0..0")]
    [DataRow("{\"dataset\": \"x\", \"classes\": [\"A\", 3], \"sourceLabels\": []}", "field 'classes[1]'", "'3' is not a string")]
    public void MalformedMapsNameTheMember(string json, string where, string what)
    {
        var error = Assert.ThrowsExactly<DataFormatException>(() => ClassMapJson.Parse(json, "classes.json"));
        Assert.Contains("classes.json", error.Message);
        Assert.Contains(where, error.Message);
        Assert.Contains(what, error.Message);
    }

    [TestMethod]
    public void MissingFileIsADataFormatException()
    {
        using var fixture = new Fixture();
        var error = Assert.ThrowsExactly<DataFormatException>(() => ClassMapJson.Read(fixture.PathOf("none.json")));
        Assert.AreEqual(IssueKind.UnreadableFile, error.Issue.Kind);
    }
}
