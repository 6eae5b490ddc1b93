using OpenCvSharp;
using UlcAg.Data.Synthetic;

namespace SynthFaces;

/// <summary>A grid of synthetic faces: one row per class, labelled on the left.</summary>
internal static class ContactSheet
{
    private const int Margin = 84;

    /// <summary>
    /// Renders the first <paramref name="perClass"/> training faces of every class into one image.
    /// Ambiguous faces (blends) get a small orange corner mark.
    /// </summary>
    public static Mat Build(SyntheticFaceGenerator generator, int perClass, int cell)
    {
        var sheet = new Mat(BasicExpressions.Count * cell, Margin + perClass * cell, MatType.CV_8UC3, Scalar.White);
        foreach (var expression in BasicExpressions.All)
        {
            var row = (int)expression;
            var indices = Enumerable.Range(0, generator.Count(SynthSplit.Train))
                .Where(i => generator.LabelOf(SynthSplit.Train, i) == expression).Take(perClass).ToArray();
            for (var col = 0; col < indices.Length; col++)
            {
                var face = generator.Generate(SynthSplit.Train, indices[col]);
                using var image = Mat.FromPixelData(face.Size, face.Size, MatType.CV_8UC3, face.Pixels);
                using var resized = new Mat();
                Cv2.Resize(image, resized, new Size(cell, cell), 0, 0, InterpolationFlags.Area);
                using var target = new Mat(sheet, new Rect(Margin + col * cell, row * cell, cell, cell));
                resized.CopyTo(target);
                if (face.Info.BlendedWith is not null)
                    Cv2.Rectangle(sheet, new Rect(Margin + col * cell + cell - 7, row * cell + 1, 6, 6), new Scalar(0, 140, 255), -1);
            }
            Cv2.PutText(sheet, expression.ToString(), new Point(4, row * cell + cell / 2 + 5), HersheyFonts.HersheySimplex, 0.45,
                Scalar.Black, 1, LineTypes.AntiAlias);
        }
        return sheet;
    }
}
