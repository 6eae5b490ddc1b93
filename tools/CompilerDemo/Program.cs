// Trains a small CNN (ToyCnn) on generated 12x12 line-pattern images through UlcAg's own
// training graphs: the compiler emits forward, loss, backward and SGD update as one ONNX
// model, and ONNX Runtime runs it step by step.
//
//   dotnet run -c Release --project tools/CompilerDemo [-- --steps 300 --out artifacts/demo]
using System.CommandLine;
using System.Diagnostics;
using UlcAg.Cli;
using UlcAg.Graph;
using UlcAg.Graph.Examples;
using UlcAg.Graph.Optim;
using UlcAg.Runtime;

var stepsOption = CliOptions.Value("--steps", "N", "Training steps (default 300).", CliOptions.Int("--steps", minimum: 1), 300);
var outOption = CliOptions.Text("--out", "DIR", "Where the train-step graph is written (default artifacts/compiler-demo).", Path.Combine("artifacts", "compiler-demo"));
var command = new RootCommand("""
    Trains a small CNN on generated 12x12 line-pattern images through UlcAg's own training graphs:
    forward, loss, backward and SGD update compiled into one ONNX model that ONNX Runtime steps.
    """)
{
    stepsOption, outOption,
};
if (!new CliProgram("CompilerDemo", "dotnet run -c Release --project tools/CompilerDemo -- [options]").TryParse(command, args, out var parsed, out var exitCode))
    return exitCode;
var (steps, batch, output) = (parsed.GetValue(stepsOption), 32, parsed.GetValue(outOption)!);

var model = ToyCnn.TrainStepModel(batch, new Sgd([new ParamGroup("default", 1e-4)], momentum: 0.9));
Directory.CreateDirectory(output);
var modelPath = Path.Combine(output, "train_step.onnx");
File.WriteAllBytes(modelPath + ".tmp", model);
File.Move(modelPath + ".tmp", modelPath, overwrite: true);
Console.WriteLine($"train-step graph: {modelPath} ({model.Length / 1024} KiB)");

using var session = new TrainingSession(model, Device.Cpu, ToyCnn.InitialState(seed: 7));
var rng = new Random(3);
var sw = Stopwatch.StartNew();
double lossSum = 0;
int correct = 0, seen = 0;
for (var step = 1; step <= steps; step++)
{
    var (images, labels) = ToyCnn.Batch(rng, batch);
    images.CopyTo(session.Feed<float>("images"));
    labels.CopyTo(session.Feed<long>("labels"));
    session.Feed<float>(Optimizer.LearningRateInput("default"))[0] = 0.05f;
    session.Step();
    lossSum += session.Result<float>("loss")[0];
    var logits = session.Result<float>("logits");
    for (var b = 0; b < batch; b++)
    {
        var row = logits.Slice(b * ToyCnn.Classes, ToyCnn.Classes);
        var argmax = 0;
        for (var k = 1; k < row.Length; k++) if (row[k] > row[argmax]) argmax = k;
        if (argmax == labels[b]) correct++;
        seen++;
    }
    if (step % 50 == 0 || step == steps)
    {
        Console.WriteLine($"step {step,4}: loss {lossSum / 50:F3}, batch accuracy {(double)correct / seen:P1}, {seen / sw.Elapsed.TotalSeconds:F0} img/s");
        (lossSum, correct, seen) = (0, 0, 0);
        sw.Restart();
    }
}
return 0;
