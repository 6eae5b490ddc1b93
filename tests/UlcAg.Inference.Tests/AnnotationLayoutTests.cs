using OpenCvSharp;
using UlcAg.Data;
using UlcAg.Data.Faces;

namespace UlcAg.Inference.Tests;

[TestClass]
public sealed class AnnotationLayoutTests
{
    // A label's size as the annotator measures it, roughly: 15 characters of Hershey text at the face's scale.
    private static Size LabelFor(Rect face)
    {
        var scale = AnnotationLayout.LabelScale(Math.Min(face.Width, face.Height));
        return new Size((int)Math.Round(15 * 19 * scale) + 8, (int)Math.Round(30 * scale) + 8);
    }

    private static Rect?[] Place(int width, int height, IReadOnlyList<Rect> faces, params Rect[] reserved) =>
        AnnotationLayout.PlaceLabels(width, height, faces, faces.Select(LabelFor).ToList(), reserved);

    private static void AssertReadable(int width, int height, Rect?[] labels, IReadOnlyList<Rect> reserved, string what)
    {
        var placed = labels.OfType<Rect>().ToList();
        foreach (var r in placed)
        {
            Assert.IsTrue(r.X >= 0 && r.Y >= 0 && r.Right <= width && r.Bottom <= height, $"{what}: {r} leaves the {width}x{height} image");
            Assert.IsFalse(reserved.Any(l => AnnotationLayout.Overlaps(l, r)), $"{what}: {r} covers the legend");
        }

        for (var i = 0; i < placed.Count; i++)
        {
            for (var j = i + 1; j < placed.Count; j++)
            {
                Assert.IsFalse(AnnotationLayout.Overlaps(placed[i], placed[j]), $"{what}: labels {placed[i]} and {placed[j]} overlap");
            }
        }
    }

    [TestMethod]
    public void OneFace_LabelSitsAboveItsBox_ThenBelow_ThenInside()
    {
        var face = new Rect(200, 150, 120, 120);
        var size = LabelFor(face);

        Assert.AreEqual(new Rect(200, 150 - size.Height, size.Width, size.Height), Place(640, 480, [face])[0]);
        // At the top edge: below the box.
        var top = new Rect(200, 0, 120, 120);
        Assert.AreEqual(new Rect(200, 120, size.Width, size.Height), Place(640, 480, [top])[0]);
        // Filling the picture: inside its top edge.
        var whole = new Rect(0, 0, 640, 480);
        Assert.AreEqual(new Rect(0, 0, LabelFor(whole).Width, LabelFor(whole).Height), Place(640, 480, [whole])[0]);
        // At the right edge: shifted left into the picture, still above.
        var right = new Rect(600, 150, 40, 40);
        var small = LabelFor(right);
        Assert.AreEqual(new Rect(640 - small.Width, 150 - small.Height, small.Width, small.Height), Place(640, 480, [right])[0]);
    }

    [TestMethod]
    public void TwoFacesSideBySide_LabelsDoNotOverlap_AndStayNearTheirFaces()
    {
        // Boxes closer than a label is wide: "above" would overlap for the second face.
        Rect[] faces = [new(100, 200, 80, 80), new(190, 200, 80, 80)];

        var labels = Place(640, 480, faces);

        AssertReadable(640, 480, labels, [], "side by side");
        Assert.AreEqual(new Rect(100, 200 - LabelFor(faces[0]).Height, LabelFor(faces[0]).Width, LabelFor(faces[0]).Height), labels[0]);
        var second = labels[1]!.Value;
        Assert.IsLessThan(120.0, Math.Abs(second.Y + (second.Height / 2.0) - 200), $"second label {second} strays from its face");
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    [DataRow(4)]
    [DataRow(5)]
    public void CrowdedLayouts_LabelsNeverOverlapOrLeaveThePicture(int seed)
    {
        var rng = new Random(seed);
        var (width, height) = (rng.Next(800, 1601), rng.Next(600, 1201));
        var faces = new List<Rect>();
        // Many small and mid faces, some reaching past every border, a few tiny, and one huge.
        for (var i = 0; i < 30; i++)
        {
            var side = rng.Next(12, Math.Min(width, height) / 4);
            faces.Add(new Rect(rng.Next(-side / 2, width - (side / 2)), rng.Next(-side / 2, height - (side / 2)), side, side));
        }

        faces.Add(new Rect(0, 0, 3, 3));
        faces.Add(new Rect(width - 4, height - 4, 4, 4));
        faces.Add(new Rect(-50, -40, width + 100, height + 80));
        // Largest first, as the recognizer lists them.
        faces = [.. faces.OrderByDescending(f => (long)f.Width * f.Height)];
        var legendSize = new Size(120, 110);
        var legend = AnnotationLayout.PlaceLegend(width, height, legendSize, faces)!.Value;

        var labels = Place(width, height, faces, legend);

        AssertReadable(width, height, labels, [legend], $"seed {seed}");
        Assert.IsTrue(labels.All(l => l is not null), $"seed {seed}: {labels.Count(l => l is null)} of {labels.Length} labels found no room in {width}x{height}");
        CollectionAssert.AreEqual(labels, Place(width, height, faces, legend), "the layout is deterministic");
    }

    [TestMethod]
    public void MoreLabelsThanRoom_ThosePlacedStillNeverOverlap_TheRestAreLeftOut()
    {
        // 200 faces on a 160 x 120 picture: at most 12 labels of 80 x 20 fit.
        var rng = new Random(7);
        var faces = Enumerable.Range(0, 200).Select(_ => new Rect(rng.Next(0, 150), rng.Next(0, 110), 10, 10)).ToList();
        var sizes = faces.Select(_ => new Size(80, 20)).ToList();

        var labels = AnnotationLayout.PlaceLabels(160, 120, faces, sizes);

        AssertReadable(160, 120, labels, [], "overfull");
        Assert.IsGreaterThanOrEqualTo(5, labels.Count(l => l is not null));
        Assert.IsTrue(labels.Any(l => l is null));
        // A label larger than the picture has no place.
        Assert.IsNull(AnnotationLayout.PlaceLabels(100, 50, [new Rect(10, 10, 20, 20)], [new Size(120, 20)])[0]);
    }

    [TestMethod]
    public void Legend_GoesToTheCornerCoveringTheLeastFace_AndNeedsRoom()
    {
        var size = new Size(100, 80);
        Assert.AreEqual(new Rect(540, 0, 100, 80), AnnotationLayout.PlaceLegend(640, 480, size, [new Rect(100, 100, 50, 50)]));
        // A face in the top right corner: bottom right instead.
        Assert.AreEqual(new Rect(540, 400, 100, 80), AnnotationLayout.PlaceLegend(640, 480, size, [new Rect(500, 0, 140, 140)]));
        // Faces in every right-hand corner: bottom left.
        Assert.AreEqual(new Rect(0, 400, 100, 80), AnnotationLayout.PlaceLegend(640, 480, size, [new Rect(500, 0, 140, 140), new Rect(500, 340, 140, 140)]));
        Assert.IsNull(AnnotationLayout.PlaceLegend(90, 480, size, []));
    }

    [TestMethod]
    public void TextScale_GrowsWithFaceSize_WithinLimits()
    {
        double[] sides = [4, 40, 100, 150, 250, 400, 700];
        var scales = sides.Select(AnnotationLayout.LabelScale).ToArray();

        Assert.AreEqual(AnnotationLayout.MinLabelScale, scales[0]);
        Assert.AreEqual(AnnotationLayout.MinLabelScale, scales[1], "a sane minimum for small faces");
        for (var i = 3; i < scales.Length; i++)
        {
            Assert.IsGreaterThan(scales[i - 1], scales[i], $"face {sides[i]} px");
        }

        Assert.AreEqual(AnnotationLayout.MaxLabelScale, AnnotationLayout.LabelScale(5000));
    }

    [TestMethod]
    public void DrawnLabels_AreTallerForLargerFaces()
    {
        int LabelHeight(int side)
        {
            using var frame = new Mat(900, 1600, MatType.CV_8UC3, Scalar.All(128));
            var box = new Rect(800 - (side / 2), 880 - side, side, side);
            Annotator.Draw(frame, [Face(box, 3)], ContractModels.Expressions);
            // Rows well above the box holding the class colour: the label's.
            var color = Annotator.ClassColor(3, ContractModels.Expressions.Length);
            using var mask = new Mat();
            Cv2.InRange(frame, color, color, mask);
            var rows = 0;
            var cols = mask.Cols;
            for (var y = 0; y < box.Y - 10; y++)
            {
                var found = false;
                for (var x = 0; x < cols && !found; x++)
                {
                    found = mask.At<byte>(y, x) != 0;
                }

                rows += found ? 1 : 0;
            }

            return rows;
        }

        var (small, mid, large) = (LabelHeight(60), LabelHeight(250), LabelHeight(500));
        Assert.IsGreaterThan(8, small);
        Assert.IsGreaterThan(small, mid);
        Assert.IsGreaterThan(mid, large);
    }

    [TestMethod]
    public void EachClass_GetsADistinctColour()
    {
        foreach (var count in new[] { 2, 7, 8, 9, 12, 20 })
        {
            var colors = Enumerable.Range(0, count).Select(c => Annotator.ClassColor(c, count)).ToList();
            for (var i = 0; i < count; i++)
            {
                for (var j = i + 1; j < count; j++)
                {
                    var distance = Math.Abs(colors[i].Val0 - colors[j].Val0) + Math.Abs(colors[i].Val1 - colors[j].Val1) + Math.Abs(colors[i].Val2 - colors[j].Val2);
                    Assert.IsGreaterThan(24.0, distance, $"{count} classes: {i} and {j} look alike ({colors[i]} vs {colors[j]})");
                }
            }
        }
    }

    [TestMethod]
    public void Legend_ShowsASwatchOfEveryClass_ClearOfTheLabels()
    {
        using var frame = new Mat(600, 800, MatType.CV_8UC3, Scalar.All(128));
        // Faces of classes 0 and 3 only; the legend lists all seven.
        Annotator.Draw(frame, [Face(new Rect(100, 300, 200, 200), 0), Face(new Rect(350, 300, 180, 180), 3)], ContractModels.Expressions);

        var scale = AnnotationLayout.LegendScale(800, 600);
        Assert.IsGreaterThan(0.0, scale);
        // The legend sits in the top right corner (no face there); each class's swatch colour appears in it.
        using var corner = new Mat(frame, new Rect(600, 0, 200, 200));
        for (var c = 0; c < ContractModels.Expressions.Length; c++)
        {
            var color = Annotator.ClassColor(c, ContractModels.Expressions.Length);
            using var mask = new Mat();
            Cv2.InRange(corner, color, color, mask);
            Assert.IsGreaterThan(20, Cv2.CountNonZero(mask), $"no swatch of {ContractModels.Expressions[c]} in the legend");
        }
    }

    /// <summary>A face of one class (probability 0.9) in a box; FrameDrawingTests draws it too.</summary>
    internal static FaceResult Face(Rect box, int classIndex)
    {
        var probabilities = new float[ContractModels.Expressions.Length];
        probabilities[classIndex] = 0.9f;
        return new FaceResult(new FaceBox(box.X, box.Y, box.Width, box.Height), FaceCropKind.ThreePoint, 0.9f,
            new ExpressionPrediction(classIndex, ContractModels.Expressions[classIndex], probabilities, 0.8f));
    }
}
