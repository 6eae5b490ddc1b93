using System.Globalization;

namespace UlcAg.Training.Tests.Cuda;

/// <summary>
/// The CUDA execution provider's kernel registrations as ONNX Runtime documents them
/// (tests/fixtures/onnxruntime/cuda-kernels.tsv; its header names the source): which op, domain,
/// opset range and element types have a CUDA kernel, and which inputs and outputs those kernels
/// keep in host memory.
/// </summary>
internal sealed class CudaKernelTable
{
    /// <summary>One registration: a row of the table.</summary>
    public sealed record Registration(
        string Op, string Domain, int Since, int Until, string[] Inputs, string[] Outputs,
        IReadOnlyDictionary<string, HashSet<string>> Types, IReadOnlySet<int> CpuInputs, IReadOnlySet<int> CpuOutputs)
    {
        public bool Covers(int opset) => Since <= opset && opset <= Until;

        public string Versions => Until == int.MaxValue ? $"{Since}+" : Since == Until ? $"{Since}" : $"{Since}-{Until}";

        /// <summary>The constraint that binds input (or output) <paramref name="position"/>, or null where the kernel leaves it unconstrained.</summary>
        public string? Constraint(bool input, int position)
        {
            var signature = input ? Inputs : Outputs;
            for (var i = 0; i < signature.Length; i++)
            {
                var name = signature[i];
                if (name.EndsWith("...", StringComparison.Ordinal) && position >= i) return name[..^3];
                if (i == position) return name == "-" ? null : name;
            }
            return null;
        }
    }

    private readonly Dictionary<(string Op, string Domain), List<Registration>> _rows = [];

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "fixtures", "onnxruntime", "cuda-kernels.tsv");

    public static CudaKernelTable Load(string? path = null)
    {
        var table = new CudaKernelTable();
        var header = true;
        foreach (var line in File.ReadLines(path ?? DefaultPath))
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            if (header)
            {
                header = false;
                continue;
            }
            var f = line.Split('\t');
            if (f.Length != 8) throw new FormatException($"cuda-kernels.tsv: expected 8 columns: '{line}'");
            var (since, until) = Range(f[2]);
            var types = f[5].Split(';').Select(c => c.Split('=')).ToDictionary(c => c[0], c => c[1].Split(',').ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
            var row = new Registration(f[0], f[1], since, until, f[3].Split(','), f[4].Split(','), types, Positions(f[6]), Positions(f[7]));
            foreach (var c in row.Inputs.Concat(row.Outputs).Where(c => c != "-").Select(c => c.TrimEnd('.')))
            {
                if (!types.ContainsKey(c)) throw new FormatException($"cuda-kernels.tsv: {row.Op} {row.Versions} binds '{c}' but lists no types for it");
            }
            if (!table._rows.TryGetValue((row.Op, row.Domain), out var list)) table._rows[(row.Op, row.Domain)] = list = [];
            list.Add(row);
        }
        return table;
    }

    /// <summary>Every registration of <paramref name="op"/> in <paramref name="domain"/> ("ai.onnx" for the default domain).</summary>
    public IReadOnlyList<Registration> For(string op, string domain) => _rows.TryGetValue((op, domain), out var list) ? list : [];

    private static (int, int) Range(string text)
    {
        if (text.EndsWith('+')) return (Parse(text[..^1]), int.MaxValue);
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? (Parse(text), Parse(text)) : (Parse(text[..dash]), Parse(text[(dash + 1)..]));
    }

    private static HashSet<int> Positions(string text) => text == "-" ? [] : text.Split(',').Select(Parse).ToHashSet();

    private static int Parse(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
