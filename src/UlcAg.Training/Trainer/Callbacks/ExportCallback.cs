using System.Text.Json;
using UlcAg.Graph;
using UlcAg.Network.Models;
using UlcAg.Network.Weights;
using UlcAg.Training.Config;

namespace UlcAg.Training.Trainer.Callbacks;

/// <summary>Exports the tested weights as <c>model.onnx</c> (uint8 RGB in) and <c>model.float32.onnx</c>: the target branch only, with its face alignment in the metadata.</summary>
public sealed class ExportCallback : ITrainerCallback
{
    public void OnFitEnd(RunContext run, TestOutcome test)
    {
        var map = new TensorMap();
        foreach (var s in run.Step.Weights) map.Add(s.Name, new HostTensor(s.Shape, test.Weights[s.Name]));
        // The keys ulcag-infer reads (UlcAg.Inference.FaceAlignmentSpec), with the values the training crops were made with.
        var faces = RunSetup.FaceOptions(run.Options);
        var alignment = JsonSerializer.Serialize(new { mode = EnumWords.ToWord(faces.Mode), margin = faces.Margin, template_padding = faces.TemplatePadding });
        foreach (var float32 in new[] { false, true })
        {
            var model = ModelExport.Build(run.Network, map, new ExportSettings(run.Data.ClassNames, alignment, float32));
            model.Save(float32 ? run.Folder.ModelFloat32 : run.Folder.Model);
        }
    }
}
