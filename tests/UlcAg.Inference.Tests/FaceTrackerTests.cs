using UlcAg.Data;
using UlcAg.Inference.Video;

namespace UlcAg.Inference.Tests;

[TestClass]
public sealed class FaceTrackerTests
{
    [TestMethod]
    public void MovingFace_KeepsItsIdFrameAfterFrame()
    {
        var tracker = new FaceTracker();
        var ids = Enumerable.Range(0, 20).Select(i => tracker.Update([Box(10 + (i * 15), 40 + (i * 3), 100)]).Single()).ToList();

        CollectionAssert.AreEqual(Enumerable.Repeat(1, 20).ToList(), ids);
        Assert.AreEqual(1, tracker.TrackCount);
    }

    [TestMethod]
    public void TwoFacesCrossing_KeepTheirIdsThroughTheOverlap()
    {
        // A moves right and B left along nearly the same line; they overlap for several frames.
        var tracker = new FaceTracker();
        var first = tracker.Update([Box(0, 50, 100), Box(400, 60, 100)]);
        CollectionAssert.AreEqual(new[] { 1, 2 }, first);
        for (var i = 1; i <= 20; i++)
        {
            // Given in the other order, so that matching cannot lean on the order of the list.
            var ids = tracker.Update([Box(400 - (i * 20), 60, 100), Box(i * 20, 50, 100)]);
            CollectionAssert.AreEqual(new[] { 2, 1 }, ids, $"frame {i}");
        }

        Assert.AreEqual(2, tracker.TrackCount);
    }

    [TestMethod]
    public void FaceLostForFewerFramesThanMaxAge_ComesBackWithItsId()
    {
        var tracker = new FaceTracker(maxAge: 3);
        Assert.AreEqual(1, tracker.Update([Box(100, 100, 80)]).Single());
        for (var i = 0; i < 3; i++)
        {
            Assert.IsEmpty(tracker.Update([]));
            CollectionAssert.AreEqual(new[] { 1 }, tracker.LiveIds.ToArray(), $"miss {i + 1}");
        }

        Assert.AreEqual(1, tracker.Update([Box(104, 98, 82)]).Single());
        Assert.AreEqual(1, tracker.TrackCount);
    }

    [TestMethod]
    public void FaceLostForLongerThanMaxAge_GetsANewId()
    {
        var tracker = new FaceTracker(maxAge: 2);
        tracker.Update([Box(100, 100, 80)]);
        for (var i = 0; i < 3; i++)
        {
            tracker.Update([]);
        }

        Assert.IsEmpty(tracker.LiveIds);
        Assert.AreEqual(2, tracker.Update([Box(100, 100, 80)]).Single());
    }

    [TestMethod]
    public void NewFace_GetsANewIdWhileTheOldOneKeepsItsOwn()
    {
        var tracker = new FaceTracker();
        tracker.Update([Box(50, 50, 100)]);
        var ids = tracker.Update([Box(600, 80, 90), Box(55, 52, 100)]);

        CollectionAssert.AreEqual(new[] { 2, 1 }, ids);
        var later = tracker.Update([Box(60, 54, 100), Box(610, 80, 90), Box(300, 300, 50)]);
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, later);
    }

    [TestMethod]
    public void JumpFartherThanTheOverlapAllows_IsANewFace()
    {
        var tracker = new FaceTracker(minIou: 0.3);
        tracker.Update([Box(0, 0, 100)]);

        // Shifted by 60% of its width: IoU 0.25 < 0.3.
        Assert.AreEqual(0.25, FaceTracker.Iou(Box(0, 0, 100), Box(60, 0, 100)), 1e-9);
        Assert.AreEqual(2, tracker.Update([Box(60, 0, 100)]).Single());
    }

    [TestMethod]
    public void Iou_OfDisjointNestedAndEqualBoxes()
    {
        Assert.AreEqual(0, FaceTracker.Iou(Box(0, 0, 10), Box(20, 20, 10)));
        Assert.AreEqual(1, FaceTracker.Iou(Box(5, 5, 10), Box(5, 5, 10)), 1e-12);
        Assert.AreEqual(0.25, FaceTracker.Iou(Box(0, 0, 20), Box(5, 5, 10)), 1e-12);
        Assert.AreEqual(0, FaceTracker.Iou(Box(0, 0, 0), Box(0, 0, 0)));
    }

    [TestMethod]
    public void BadSettings_AreRefused()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new FaceTracker(minIou: 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new FaceTracker(minIou: 1.5));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new FaceTracker(maxAge: -1));
    }

    private static FaceBox Box(float x, float y, float side) => new(x, y, side, side);
}
