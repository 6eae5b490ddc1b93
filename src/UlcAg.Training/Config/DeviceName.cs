using System.Globalization;

namespace UlcAg.Training.Config;

/// <summary>Reads the <c>device</c> setting: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
internal static class DeviceName
{
    public static bool IsValid(string device) =>
        string.Equals(device, "cpu", StringComparison.OrdinalIgnoreCase) || TryCuda(device, out _);

    public static int? CudaIndex(string device) => TryCuda(device, out var index) ? index : null;

    private static bool TryCuda(string device, out int index)
    {
        index = 0;
        if (string.Equals(device, "cuda", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return device.StartsWith("cuda:", StringComparison.OrdinalIgnoreCase)
            && device.Length > 5
            && device.Skip(5).All(char.IsAsciiDigit)
            && int.TryParse(device.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }
}
