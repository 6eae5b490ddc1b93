using System.Globalization;
using UlcAg.Data.AuLabels;

namespace UlcAg.Data.Tests;

/// <summary>Writes CSV text laid out as OpenFace 2.0 writes it: ", "-separated header names, _r then _c AU columns.</summary>
internal static class OpenFaceCsv
{
    public static string Header(string? fileColumn = null) =>
        (fileColumn is null ? "" : fileColumn + ", ") + "frame, face_id, timestamp, confidence, success, gaze_0_x, gaze_0_y, pose_Rx, "
        + string.Join(", ", AuNames.OpenFaceIntensity.Select(a => a + "_r")) + ", "
        + string.Join(", ", AuNames.OpenFacePresence.Select(a => a + "_c"));

    /// <summary>A row whose presence of AU number k (0-based in the presence list) is 1 when k is in <paramref name="present"/>; intensity = 0.5 * k.</summary>
    public static string Row(int[] present, double confidence = 0.98, int success = 1, string? file = null, int faceId = 0)
    {
        var intensities = AuNames.OpenFaceIntensity.Select(a => (0.5 * AuNames.OpenFacePresence.ToList().IndexOf(a)).ToString("0.00", CultureInfo.InvariantCulture));
        var presence = AuNames.OpenFacePresence.Select((_, k) => present.Contains(k) ? "1.00" : "0.00");
        return (file is null ? "" : file + ", ") + $"1, {faceId}, 0.000, {confidence.ToString(CultureInfo.InvariantCulture)}, {success}, 0.1, -0.2, 0.05, "
            + string.Join(", ", intensities) + ", " + string.Join(", ", presence);
    }

    public static float[] Presence(params int[] present) =>
        [.. AuNames.OpenFacePresence.Select((_, k) => present.Contains(k) ? 1f : 0f)];
}
