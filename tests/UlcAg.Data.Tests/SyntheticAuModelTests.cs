using OpenCvSharp;
using UlcAg.Data.Synthetic;

namespace UlcAg.Data.Tests;

/// <summary>
/// The renderer moves the facial regions each AU names and nothing far from them: the same
/// identity in the same clean scene is rendered with and without one AU.
/// </summary>
[TestClass]
public sealed class SyntheticAuModelTests
{
    private const int Size = 112;
    private static readonly FaceIdentity Face = new();
    private static readonly FaceScene Clean = new();

    // Face-unit bands (y from, y to): where an AU must change pixels, and where it must not.
    private static readonly (double From, double To) Brows = (-0.75, 0.15);
    private static readonly (double From, double To) Eyes = (-0.3, 0.3);
    private static readonly (double From, double To) Mouth = (0.75, 1.45);
    private static readonly (double From, double To) Forehead = (-1.2, -0.15);
    private static readonly (double From, double To) UpperFace = (-1.2, 0.15);
    private static readonly (double From, double To) Chin = (1.3, 1.55);

    public static IEnumerable<object[]> AuRegions =>
    [
        [1, Brows, Mouth],
        [2, Brows, Mouth],
        [4, Brows, Mouth],
        [5, Eyes, Mouth],
        [6, (-0.3, 0.7), (-1.2, -0.25)],
        [7, Eyes, Mouth],
        [9, (0.0, 0.75), Chin],
        [10, (0.4, 1.1), Forehead],
        [12, Mouth, UpperFace],
        [15, Mouth, UpperFace],
        [20, Mouth, UpperFace],
        [23, Mouth, UpperFace],
        [25, Mouth, UpperFace],
        [26, (0.9, 1.9), UpperFace],
    ];

    private static byte[] Render(AuIntensities aus, FaceScene? scene = null)
    {
        using var image = new FaceRenderer(Size).Render(new FaceSpec(Face, aus, scene ?? Clean));
        image.GetArray(out Vec3b[] pixels);
        return pixels.SelectMany(p => new[] { p.Item0, p.Item1, p.Item2 }).ToArray();
    }

    /// <summary>Pixels (of the central face columns) in a face-unit band whose colour changed by more than 8 levels.</summary>
    private static int ChangedPixels(byte[] a, byte[] b, (double From, double To) band, double halfWidth = 0.95)
    {
        var projection = new FaceProjection(Size, Clean, Face);
        var top = projection.Project(-halfWidth, band.From, 0);
        var bottom = projection.Project(halfWidth, band.To, 0);
        var changed = 0;
        for (var y = Math.Max(0, (int)Math.Ceiling(top.Y)); y <= Math.Min(Size - 1, (int)Math.Floor(bottom.Y)); y++)
        {
            for (var x = Math.Max(0, (int)Math.Ceiling(top.X)); x <= Math.Min(Size - 1, (int)Math.Floor(bottom.X)); x++)
            {
                var i = 3 * (y * Size + x);
                var d = Math.Abs(a[i] - b[i]) + Math.Abs(a[i + 1] - b[i + 1]) + Math.Abs(a[i + 2] - b[i + 2]);
                if (d > 8)
                    changed++;
            }
        }
        return changed;
    }

    [TestMethod]
    [DynamicData(nameof(AuRegions))]
    public void AuChangesItsRegionAndLeavesFarRegionsAlone(int au, (double, double) region, (double, double) far)
    {
        var neutral = Render(AuIntensities.None);
        var active = Render(AuIntensities.Of((au, 1f)));
        var inside = ChangedPixels(neutral, active, region);
        var outside = ChangedPixels(neutral, active, far);
        Assert.IsGreaterThanOrEqualTo(25, inside, $"AU{au} should visibly change its region");
        Assert.AreEqual(0, outside, $"AU{au} must not change the far region");
    }

    [TestMethod]
    public void StrongerAuChangesMorePixels()
    {
        var neutral = Render(AuIntensities.None);
        foreach (var au in new[] { 2, 12, 26 })
        {
            var weak = ChangedPixels(neutral, Render(AuIntensities.Of((au, 0.3f))), (-1.2, 1.9));
            var strong = ChangedPixels(neutral, Render(AuIntensities.Of((au, 1f))), (-1.2, 1.9));
            Assert.IsGreaterThan(weak, strong, $"AU{au}: intensity 1 should change more than intensity 0.3");
            Assert.IsGreaterThan(0, weak, $"AU{au} at 0.3 should still show");
        }
    }

    [TestMethod]
    public void AuGeometryMovesFeaturesTheRightWay()
    {
        var rest = new FaceShape(Face, AuIntensities.None);
        // Image y points down: "up" is a smaller y.
        Assert.IsLessThan(rest.Eyes[0].Brow[0].Y, new FaceShape(Face, AuIntensities.Of((1, 1f))).Eyes[0].Brow[0].Y, "AU1 raises the inner brow");
        Assert.IsLessThan(rest.Eyes[0].Brow[^1].Y, new FaceShape(Face, AuIntensities.Of((2, 1f))).Eyes[0].Brow[^1].Y, "AU2 raises the outer brow");
        Assert.IsGreaterThan(rest.Eyes[0].Brow[0].Y, new FaceShape(Face, AuIntensities.Of((4, 1f))).Eyes[0].Brow[0].Y, "AU4 lowers the brow");
        Assert.IsGreaterThan(Aperture(rest), Aperture(new FaceShape(Face, AuIntensities.Of((5, 1f)))), "AU5 widens the eye");
        Assert.IsLessThan(Aperture(rest), Aperture(new FaceShape(Face, AuIntensities.Of((7, 1f)))), "AU7 narrows the eye");
        Assert.IsLessThan(rest.Mouth.UpperInner[0].Y, new FaceShape(Face, AuIntensities.Of((12, 1f))).Mouth.UpperInner[0].Y, "AU12 raises the corners");
        Assert.IsGreaterThan(rest.Mouth.UpperInner[0].Y, new FaceShape(Face, AuIntensities.Of((15, 1f))).Mouth.UpperInner[0].Y, "AU15 lowers the corners");
        Assert.IsGreaterThan(MouthWidth(rest), MouthWidth(new FaceShape(Face, AuIntensities.Of((20, 1f)))), "AU20 stretches the lips");
        Assert.IsLessThan(MouthWidth(rest), MouthWidth(new FaceShape(Face, AuIntensities.Of((23, 1f)))), "AU23 narrows the lips");
        Assert.AreEqual(0, rest.Mouth.Opening, 1e-9);
        Assert.IsGreaterThan(0.02, new FaceShape(Face, AuIntensities.Of((25, 1f))).Mouth.Opening, "AU25 parts the lips");
        var jaw = new FaceShape(Face, AuIntensities.Of((26, 1f)));
        Assert.IsGreaterThan(new FaceShape(Face, AuIntensities.Of((25, 1f))).Mouth.Opening, jaw.Mouth.Opening, "AU26 opens wider than AU25");
        Assert.IsGreaterThan(0.2, jaw.ChinDrop, "AU26 drops the chin");
        Assert.IsGreaterThan(rest.NoseLift, new FaceShape(Face, AuIntensities.Of((9, 1f))).NoseLift, "AU9 lifts the nose wings");
        Assert.IsLessThan(rest.Mouth.UpperOuter[8].Y, new FaceShape(Face, AuIntensities.Of((10, 1f))).Mouth.UpperOuter[8].Y, "AU10 raises the upper lip");
        Assert.IsGreaterThan(rest.Cheeks.Raise, new FaceShape(Face, AuIntensities.Of((6, 1f))).Cheeks.Raise, "AU6 raises the cheeks");
    }

    private static double Aperture(FaceShape shape) => shape.Eyes[0].LowerLid[5].Y - shape.Eyes[0].UpperLid[5].Y;

    private static double MouthWidth(FaceShape shape) => shape.Mouth.UpperInner[^1].X - shape.Mouth.UpperInner[0].X;

    [TestMethod]
    public void ClassPrototypesRenderDistinctFaces()
    {
        var rendered = BasicExpressions.All.ToDictionary(c => c,
            c => Render(AuIntensities.Of(EmfacsPrototypes.AusOf(c).Select(au => (au, 0.8f)).ToArray())));
        var neutral = rendered[BasicExpression.Neutral];
        // Every expression changes the face; the classes that share brows or mouths still differ somewhere.
        foreach (var c in BasicExpressions.All.Where(c => c != BasicExpression.Neutral))
            Assert.IsGreaterThan(100, ChangedPixels(neutral, rendered[c], (-1.2, 1.9)), $"{c} vs neutral");
        Assert.IsGreaterThan(30, ChangedPixels(rendered[BasicExpression.Surprise], rendered[BasicExpression.Fear], (-1.2, 1.9)));
        Assert.IsGreaterThan(30, ChangedPixels(rendered[BasicExpression.Sadness], rendered[BasicExpression.Disgust], (-1.2, 1.9)));
        // Happiness is a mouth and cheek expression: the brows stay where they were.
        Assert.AreEqual(0, ChangedPixels(neutral, rendered[BasicExpression.Happiness], (-0.75, -0.2)));
        // Sadness's AU15 pulls the lip corners down; anger leaves the chin where it was.
        Assert.IsGreaterThan(0, ChangedPixels(neutral, rendered[BasicExpression.Sadness], Mouth));
        Assert.AreEqual(0, ChangedPixels(neutral, rendered[BasicExpression.Anger], Chin));
    }

    [TestMethod]
    public void PrototypesAreTheirOwnNearestClass()
    {
        foreach (var c in BasicExpressions.All)
        {
            foreach (var intensity in new[] { 0.4f, 0.7f, 1f })
            {
                var aus = AuIntensities.Of(EmfacsPrototypes.AusOf(c).Select(au => (au, intensity)).ToArray());
                Assert.AreEqual(c, EmfacsPrototypes.Nearest(aus), $"{c} at {intensity}");
            }
        }
        CollectionAssert.AreEqual(new[] { 6, 12 }, EmfacsPrototypes.AusOf(BasicExpression.Happiness).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 2, 4, 5, 7, 20, 26 }, EmfacsPrototypes.AusOf(BasicExpression.Fear).ToArray());
        Assert.IsEmpty(EmfacsPrototypes.AusOf(BasicExpression.Neutral));
    }

    [TestMethod]
    public void SampledFacesCarryTheirClassPrototype()
    {
        var generator = new SyntheticFaceGenerator(new SyntheticFaceOptions { Train = 1400, Test = 7, TrainClassWeights = ClassBalance.Uniform });
        var infos = Enumerable.Range(0, generator.Count(SynthSplit.Train)).Select(i => generator.Describe(SynthSplit.Train, i)).ToArray();
        foreach (var info in infos)
        {
            Assert.AreEqual(info.Label, EmfacsPrototypes.Nearest(info.TrueAus), $"{info.FileName}: {info.TrueAus}");
            var key = EmfacsPrototypes.KeyAuOf(info.Label);
            if (key != 0)
                Assert.IsGreaterThan(0f, info.TrueAus[key], $"{info.FileName} ({info.Label}) lacks its key AU{key}");
        }
        // Most prototype AUs are present, some are missing, and some faces carry AUs from outside their prototype.
        var plain = infos.Where(i => i.BlendedWith is null && i.Label != BasicExpression.Neutral).ToArray();
        var present = plain.Average(i => EmfacsPrototypes.AusOf(i.Label).Count(au => i.TrueAus[au] > 0) / (double)EmfacsPrototypes.AusOf(i.Label).Count);
        Assert.IsInRange(0.8, 0.98, present);
        var withStray = plain.Count(i => i.TrueAus.Present().Any(au =>
            !EmfacsPrototypes.AusOf(i.Label).Contains(au) && EmfacsPrototypes.CompanionsOf(i.Label).All(c => c.Au != au)));
        Assert.IsInRange(0.1, 0.4, withStray / (double)plain.Length);
        Assert.IsTrue(infos.Where(i => i.Label == BasicExpression.Neutral && i.BlendedWith is null).All(i => i.TrueAus.Present().Count() <= 2));
    }

    [TestMethod]
    public void DifficultyZeroGivesFullPrototypesOnTheAverageFace()
    {
        var generator = new SyntheticFaceGenerator(new SyntheticFaceOptions { Difficulty = 0, Train = 50, Test = 7 });
        for (var i = 0; i < 50; i++)
        {
            var info = generator.Describe(SynthSplit.Train, i);
            Assert.AreEqual(new FaceIdentity(), info.Spec.Identity);
            Assert.IsNull(info.BlendedWith);
            Assert.AreEqual(OcclusionKind.None, info.Spec.Scene.Occlusion);
            foreach (var au in EmfacsPrototypes.AusOf(info.Label))
                Assert.AreEqual(1f, info.TrueAus[au]);
        }
    }

    [TestMethod]
    public void AmbiguousFractionIsHonouredAndLabelledByTheStrongerPrototype()
    {
        var generator = new SyntheticFaceGenerator(new SyntheticFaceOptions { Train = 2000, Test = 7, AmbiguousFraction = 0.3 });
        var infos = Enumerable.Range(0, 2000).Select(i => generator.Describe(SynthSplit.Train, i)).ToArray();
        var blends = infos.Where(i => i.BlendedWith is not null).ToArray();
        Assert.IsInRange(0.25, 0.33, blends.Length / 2000.0);
        foreach (var b in blends)
        {
            Assert.AreNotEqual(b.Label, b.BlendedWith);
            Assert.AreEqual(b.Label, EmfacsPrototypes.Nearest(b.TrueAus, [b.Label, b.BlendedWith!.Value]));
            Assert.IsInRange(0.0, 0.95, b.BlendRatio);
        }
    }
}
