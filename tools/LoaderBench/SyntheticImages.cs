using OpenCvSharp;
using UlcAg.Data;

namespace UlcAg.Tools.LoaderBench;

/// <summary>Random JPEG files standing in for a face dataset.</summary>
internal static class SyntheticImages
{
    public static DatasetSplit Ensure(string directory, int count, int size)
    {
        Directory.CreateDirectory(directory);
        var samples = new Sample[count];
        var created = 0;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var path = Path.Combine(directory, $"face_{i:D6}.jpg");
            if (!File.Exists(path))
            {
                var rng = new Random(i);
                var side = size + rng.Next(size / 2);
                using var image = new Mat(side, side, MatType.CV_8UC3);
                Cv2.Randu(image, Scalar.All(0), Scalar.All(256));
                for (var k = 0; k < 8; k++)
                {
                    Cv2.Circle(image, new Point(rng.Next(side), rng.Next(side)), rng.Next(4, side / 3),
                        new Scalar(rng.Next(256), rng.Next(256), rng.Next(256)), -1);
                }

                Cv2.ImWrite(path, image, new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));
                Interlocked.Increment(ref created);
            }

            samples[i] = new Sample($"face_{i:D6}", new ImageSource.File(Path.GetFullPath(path)), i % 7);
        });
        if (created > 0)
        {
            Console.WriteLine($"wrote {created} synthetic JPEGs to {directory}");
        }

        return new DatasetSplit("loaderbench", "train", ["c0", "c1", "c2", "c3", "c4", "c5", "c6"], [], samples);
    }
}
