using UlcAg.Data.Formats;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class ImageFolderAdapterTests
{
    [TestMethod]
    public void SplitFoldersAndSortedClassFolders()
    {
        using var fixture = new Fixture();
        fixture.Image("train/sad/1.png");
        fixture.Image("train/happy/1.png");
        fixture.Image("train/happy/2.jpg");
        fixture.Image("test/sad/3.png");
        fixture.Image("test/angry/4.png");
        fixture.Write("train/happy/notes.txt", "not an image");
        var adapter = DatasetFactory.Create(fixture.Options(DataFormat.Folder));
        CollectionAssert.AreEqual(new[] { "test", "train" }, adapter.Splits.ToArray());
        var train = adapter.Load("train");
        // Sorted over all splits: angry, happy, sad, named with the shared vocabulary.
        CollectionAssert.AreEqual(new[] { "Anger", "Happiness", "Sadness" }, train.ClassNames.ToArray());
        CollectionAssert.AreEqual(new[] { "train/happy/1.png", "train/happy/2.jpg", "train/sad/1.png" }, train.Samples.Select(s => s.Id).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 1, 2 }, train.Samples.Select(s => s.Label).ToArray());
        CollectionAssert.AreEqual(new[] { 0, 2 }, adapter.Load("test").Samples.Select(s => s.Label).OrderBy(l => l).ToArray());
        Assert.AreEqual(fixture.PathOf("train/sad/1.png"), ((ImageSource.File)train.Samples[2].Image).Path);
        Assert.IsNull(train.Samples[0].Box);
        Assert.AreEqual(1, adapter.Report.TallyOf(ImageFolderAdapter.NonImageTally));
        Assert.AreEqual("happy", adapter.ClassMap.Entries[1].Code);
    }

    [TestMethod]
    public void LinkedFoldersAreFollowedButALoopListsEachImageOnce()
    {
        using var fixture = new Fixture();
        fixture.Image("train/happy/1.png");
        fixture.Image("train/happy/deeper/2.png");
        fixture.Image("elsewhere/3.png");
        // A link back up the tree (a loop), and a link to a folder outside it.
        Directory.CreateSymbolicLink(fixture.PathOf("train/happy/deeper/loop"), fixture.PathOf("train/happy"));
        Directory.CreateSymbolicLink(fixture.PathOf("train/happy/more"), fixture.PathOf("elsewhere"));
        var train = DatasetFactory.Create(fixture.Options(DataFormat.Folder)).Load("train");
        CollectionAssert.AreEqual(new[] { "train/happy/1.png", "train/happy/deeper/2.png", "train/happy/more/3.png" }, train.Samples.Select(s => s.Id).ToArray());
    }

    [TestMethod]
    public void ConfiguredSplitFoldersAndTheValidationAlias()
    {
        using var fixture = new Fixture();
        fixture.Image("Training/fear/1.png");
        fixture.Image("Checking/fear/2.png");
        fixture.Image("Checking/neutral/3.png");
        var options = fixture.Options(DataFormat.Folder) with { SplitFiles = new Dictionary<string, string> { ["train"] = "Training", ["validation"] = "Checking" } };
        var adapter = DatasetFactory.Create(options);
        CollectionAssert.AreEqual(new[] { "train", "validation" }, adapter.Splits.ToArray());
        var val = adapter.Load("val");
        Assert.AreEqual("validation", val.Split);
        CollectionAssert.AreEqual(new[] { "Fear", "Neutral" }, val.ClassNames.ToArray());
        CollectionAssert.AreEqual(new[] { ("Checking/fear/2.png", 0), ("Checking/neutral/3.png", 1) }, val.Samples.Select(s => (s.Id, s.Label)).ToArray());
        Assert.AreEqual(0, adapter.Load("train").Samples.Single().Label);
    }

    [TestMethod]
    public void GivenClassOrder()
    {
        using var fixture = new Fixture();
        fixture.Image("b/1.png");
        fixture.Image("a/2.png");
        var adapter = DatasetFactory.Create(fixture.Options(DataFormat.Folder) with { ClassOrder = ["b", "a"] });
        var all = adapter.Load("all");
        CollectionAssert.AreEqual(new[] { "b", "a" }, all.ClassNames.ToArray());
        CollectionAssert.AreEqual(new[] { ("a/2.png", 1), ("b/1.png", 0) }, all.Samples.Select(s => (s.Id, s.Label)).ToArray());
    }

    [TestMethod]
    public void FolderOutsideTheClassOrderUnderBothPolicies()
    {
        using var fixture = new Fixture();
        fixture.Image("train/b/1.png");
        fixture.Image("train/a/2.png");
        fixture.Image("train/zz/3.png");
        var train = Policies.CheckSplit(p => fixture.Options(DataFormat.Folder, p) with { ClassOrder = ["a", "b"] }, "train", IssueKind.BadLabel, 1, "train/zz", "class folder 'zz'", "one of: a, b");
        CollectionAssert.AreEqual(new[] { "train/a/2.png", "train/b/1.png" }, train.Samples.Select(s => s.Id).ToArray());
    }

    [TestMethod]
    public void SeededStratifiedHoldout()
    {
        using var fixture = new Fixture();
        for (var i = 0; i < 10; i++)
            fixture.Image($"cats/{i}.png");
        for (var i = 0; i < 5; i++)
            fixture.Image($"dogs/{i}.png");
        DatasetSplit Load(string split, int seed) => DatasetFactory.Create(fixture.Options(DataFormat.Folder) with { HoldoutFraction = 0.3, Seed = seed }).Load(split);
        var train = Load("train", 1);
        var test = Load("test", 1);
        // round(0.3 * 10) = 3 cats and round(0.3 * 5) = 2 (1.5 rounds away from zero) dogs.
        Assert.AreEqual(3, test.Samples.Count(s => s.Label == 0));
        Assert.AreEqual(2, test.Samples.Count(s => s.Label == 1));
        Assert.HasCount(10, train.Samples);
        Assert.IsEmpty(train.Samples.Select(s => s.Id).Intersect(test.Samples.Select(s => s.Id)));
        CollectionAssert.AreEqual(test.Samples.Select(s => s.Id).ToArray(), Load("test", 1).Samples.Select(s => s.Id).ToArray());
        var other = Enumerable.Range(2, 10).Select(seed => string.Join(",", Load("test", seed).Samples.Select(s => s.Id)));
        Assert.IsTrue(other.Any(ids => ids != string.Join(",", test.Samples.Select(s => s.Id))), "another seed should choose another holdout");
    }

    [TestMethod]
    public void MissingRootIsFatal()
    {
        using var fixture = new Fixture();
        Policies.FatalSplit(p => fixture.Options(DataFormat.Folder, p) with { Root = fixture.PathOf("nothing") }, "all", IssueKind.UnreadableFile, "nothing: the folder does not exist");
    }
}
