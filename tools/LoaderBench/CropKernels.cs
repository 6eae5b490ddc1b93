using System.Diagnostics;
using OpenCvSharp;
using UlcAg.Data.Cache;
using UlcAg.Data.Loading;

namespace UlcAg.Tools.LoaderBench;

/// <summary>Random resized crop of one cached image: C# span bilinear against OpenCV resize on Mat headers.</summary>
internal static class CropKernels
{
    public static unsafe void Compare(ImageCache cache, int runs)
    {
        var (w, h) = (cache.Width, cache.Height);
        var destination = new byte[cache.ImageBytes];
        var crops = new (int X, int Y, int W, int H)[1024];
        var rng = new Random(5);
        for (var i = 0; i < crops.Length; i++)
        {
            var cw = rng.Next((int)(w * 0.85), w + 1);
            var ch = rng.Next((int)(h * 0.85), h + 1);
            crops[i] = (rng.Next(w - cw + 1), rng.Next(h - ch + 1), cw, ch);
        }

        void Spans(int i)
        {
            var c = crops[i];
            ImageOps.ResizeCrop(cache.GetImage(i % cache.Count), w, h, c.X, c.Y, c.W, c.H, flip: false, destination, w, h);
        }

        void OpenCv(int i)
        {
            var c = crops[i];
            fixed (byte* src = cache.GetImage(i % cache.Count))
            fixed (byte* dst = destination)
            {
                using var whole = Mat.FromPixelData(h, w, MatType.CV_8UC3, (IntPtr)src);
                using var roi = new Mat(whole, new Rect(c.X, c.Y, c.W, c.H));
                using var output = Mat.FromPixelData(h, w, MatType.CV_8UC3, (IntPtr)dst);
                Cv2.Resize(roi, output, new Size(w, h), 0, 0, InterpolationFlags.Linear);
            }
        }

        // CPU time rather than wall time: other processes on the machine then do not skew the comparison.
        double Once(Action<int> crop)
        {
            const int repeats = 4;
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var start = process.TotalProcessorTime;
            for (var k = 0; k < repeats; k++)
            {
                for (var i = 0; i < crops.Length; i++)
                {
                    crop(i);
                }
            }

            process.Refresh();
            return (process.TotalProcessorTime - start).TotalMicroseconds / (repeats * crops.Length);
        }

        Once(Spans);
        Once(OpenCv);
        // Interleaved, so both kernels see the same background load.
        var spanTimes = new double[runs];
        var openCvTimes = new double[runs];
        for (var r = 0; r < runs; r++)
        {
            spanTimes[r] = Once(Spans);
            openCvTimes[r] = Once(OpenCv);
        }

        var spans = spanTimes.Order().ElementAt(runs / 2);
        var openCv = openCvTimes.Order().ElementAt(runs / 2);
        Console.WriteLine($"resized crop {w}x{h}, one thread, CPU time: C# spans {spans:F1} us/image, OpenCV on Mat headers {openCv:F1} us/image (median of {runs})");
    }
}
