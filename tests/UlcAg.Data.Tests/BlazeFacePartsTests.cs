using UlcAg.Data.Faces;

namespace UlcAg.Data.Tests;

/// <summary>BlazeFace's anchors, weighted non-maximum suppression and pyramid plan, checked on their own.</summary>
[TestClass]
public sealed class BlazeFacePartsTests
{
    [TestMethod]
    [DataRow(128, 16, 8)]
    [DataRow(256, 16, 8)]
    public void Anchors_AreMediaPipes896_InTwoMaps(int input, int fineCells, int coarseCells)
    {
        var anchors = BlazeFaceAnchors.ForInputSize(input);
        Assert.HasCount(2, anchors.Maps);
        Assert.AreEqual(new BlazeFaceAnchors.FeatureMap(fineCells, 2), anchors.Maps[0]);
        Assert.AreEqual(new BlazeFaceAnchors.FeatureMap(coarseCells, 6), anchors.Maps[1]);
        Assert.AreEqual(896, anchors.Maps.Sum(m => m.Count));

        // Row by row, then column, then anchor; centred in the cells.
        var step = (float)input / fineCells;
        Assert.AreEqual((step / 2, step / 2), anchors.Maps[0].Centre(1, input));
        Assert.AreEqual((1.5f * step, step / 2), anchors.Maps[0].Centre(2, input));
        Assert.AreEqual((step / 2, 1.5f * step), anchors.Maps[0].Centre(2 * fineCells, input));
        var coarse = (float)input / coarseCells;
        Assert.AreEqual((input - (coarse / 2), input - (coarse / 2)), anchors.Maps[1].Centre(anchors.Maps[1].Count - 1, input));
    }

    [TestMethod]
    public void Anchors_GroupLayersOfEqualStride()
    {
        var anchors = BlazeFaceAnchors.Build(64, [8, 8, 16, 32, 32]);
        CollectionAssert.AreEqual(
            new[] { new BlazeFaceAnchors.FeatureMap(8, 4), new BlazeFaceAnchors.FeatureMap(4, 2), new BlazeFaceAnchors.FeatureMap(2, 4) },
            anchors.Maps.ToArray());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => BlazeFaceAnchors.ForInputSize(192));
    }

    [TestMethod]
    public void WeightedNms_BlendsOverlappingDetectionsByScore_AndKeepsTheOthers()
    {
        var a = Candidate(0.9f, 0, 0, 100, 100, keypointX: 10);
        var b = Candidate(0.6f, 10, 0, 110, 100, keypointX: 40);
        var far = Candidate(0.7f, 300, 300, 350, 350, keypointX: 320);

        var merged = WeightedNms.Apply([b, far, a]);

        Assert.HasCount(2, merged);
        Assert.AreEqual(0.9f, merged[0].Score, "the group keeps its best score");
        Assert.AreEqual(10 * 0.6f / 1.5f, merged[0].X0, 1e-4, "box corners are score-weighted means");
        Assert.AreEqual(((0.9f * 10) + (0.6f * 40)) / 1.5f, merged[0].Geometry[4], 1e-4, "so are the keypoints");
        Assert.AreEqual(far, merged[1]);

        // Below the IoU threshold (0.3) nothing is blended.
        var apart = Candidate(0.5f, 80, 0, 180, 100, keypointX: 90);
        Assert.HasCount(2, WeightedNms.Apply([a, apart]));
    }

    [TestMethod]
    public void DropNested_RemovesAPartOfALargerFace_NotANeighbour()
    {
        // A close-up (0.8), the eyes and nose of it seen by one tile (0.85), a face beside it (0.7).
        List<FaceCandidate> detections =
        [
            Candidate(0.8f, 0, 0, 300, 300, keypointX: 100),
            Candidate(0.85f, 60, 120, 200, 260, keypointX: 100),
            Candidate(0.7f, 250, 0, 400, 150, keypointX: 300),
        ];

        CollectionAssert.AreEqual(new[] { 0.8f, 0.7f }, WeightedNms.DropNested(detections).Select(d => d.Score).ToArray());
    }

    [TestMethod]
    [DataRow(1920, 1080)]
    [DataRow(1024, 768)]
    [DataRow(350, 350)]
    [DataRow(3000, 400)]
    public void Pyramid_CoversTheImageAtEveryLevel_WithTilesOverlappingByTheLargestFaceOfTheLevel(int width, int height)
    {
        var range = BlazeFaceModelRange.ForInputSize(256);
        var levels = BlazeFacePyramid.Plan(width, height, range, 0.03f);

        Assert.AreEqual(range.WholeSide, Math.Max(levels[0].Width, levels[0].Height), "level 0 holds the whole image");
        Assert.HasCount(1, levels[0].Tiles);
        for (var k = 1; k < levels.Count; k++)
        {
            var ratio = (double)levels[k].Width / levels[k - 1].Width;
            Assert.IsTrue(ratio is > 1 and <= BlazeFacePyramid.MaxRatio + 0.02, $"level {k} is {ratio:F2}x level {k - 1}");
        }

        // The finest level makes a face of 3% of the longer side 22 px (or is the image itself).
        var finest = levels[^1];
        var scale = (double)Math.Max(finest.Width, finest.Height) / Math.Max(width, height);
        Assert.AreEqual(Math.Min(1.0, range.MinBox / (0.03 * Math.Max(width, height))), scale, 0.01);

        foreach (var level in levels)
        {
            var covered = new bool[level.Height, level.Width];
            foreach (var tile in level.Tiles)
            {
                Assert.IsTrue(tile.Width <= range.InputSize && tile.Height <= range.InputSize);
                Assert.IsTrue(tile.X >= 0 && tile.Y >= 0 && tile.Right <= level.Width && tile.Bottom <= level.Height, $"{tile} inside {level.Width}x{level.Height}");
                for (var y = tile.Y; y < tile.Bottom; y++)
                {
                    for (var x = tile.X; x < tile.Right; x++)
                    {
                        covered[y, x] = true;
                    }
                }
            }

            Assert.IsTrue(covered.Cast<bool>().All(c => c), $"level {level.Width}x{level.Height} is covered");
            var xs = level.Tiles.Select(t => t.X).Distinct().Order().ToList();
            for (var i = 1; i < xs.Count; i++)
            {
                var overlap = xs[i - 1] + range.InputSize - xs[i];
                Assert.IsGreaterThanOrEqualTo(level.MaxBox + (2 * level.EdgeMargin) - 1, overlap, "neighbouring tiles share a whole face of the level");
            }
        }
    }

    private static FaceCandidate Candidate(float score, float x0, float y0, float x1, float y1, float keypointX)
    {
        var g = new float[FaceCandidate.GeometryLength];
        (g[0], g[1], g[2], g[3]) = (x0, y0, x1, y1);
        for (var i = 4; i < g.Length; i += 2)
        {
            (g[i], g[i + 1]) = (keypointX, (y0 + y1) / 2);
        }

        return new FaceCandidate(score, g);
    }
}
