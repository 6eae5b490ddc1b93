namespace UlcAg.Network.Models;

/// <summary>
/// The contract between the network graphs, the trainer and other apps: every input and
/// output name of <c>train_step.onnx</c>, <c>eval.onnx</c> and <c>model.onnx</c>, in order.
/// docs/artifacts.md says the same in prose.
/// </summary>
/// <remarks>
/// <para><b>train_step.onnx</b> inputs, in order: <see cref="Images"/> uint8 [N,H,W,3] RGB;
/// <see cref="Labels"/> int64 [N] (current labels); <see cref="ClassWeights"/> float [N]
/// (gamma of each sample's label, eq. 2); <see cref="AuTargets"/> float [N,M] and
/// <see cref="AuMask"/> float [N] (1 where the sample has AU labels) and
/// <see cref="Adjacency"/> float [M,M] (row-normalized, eq. 5) when the method has the AU
/// branch; <see cref="Lambda1"/>, <see cref="Lambda2"/> (eq. 12-13) and <see cref="RrMargin"/>
/// (theta) float scalars; one learning rate per group, <c>lr.backbone</c>, <c>lr.target</c>,
/// <c>lr.aux</c>; then the state: every weight under its torchvision-style name, the
/// optimizer buffers (<c>{name}.momentum</c> or <c>{name}.exp_avg</c>/<c>{name}.exp_avg_sq</c>
/// and <c>optimizer.step</c>). Outputs, in order: <see cref="Loss"/>, <see cref="LossCls"/>,
/// <see cref="LossRr"/>, <see cref="LossAu"/> (float scalars), <see cref="Alpha"/> [N],
/// <see cref="Logits"/> [N,C], <see cref="Semantic"/> [N,S] (AU branch only); then
/// <c>{state}.next</c> for every state input (listed in the metadata key
/// <c>ulcag.train_state</c>).</para>
/// <para>With gradient accumulation (<see cref="UlcAgNetwork.BuildAccumulatingTrainStep"/>)
/// <b>train_step.onnx</b> is the micro-batch graph: the inputs above at the micro-batch size, plus
/// <see cref="AuCount"/> with the AU branch and without the learning rates; the weights are read
/// only; its state is the running statistics and <c>{param}.grad</c>, one gradient accumulator per
/// parameter; its loss outputs are the micro-batch's shares of the batch's loss.
/// <b>apply_step.onnx</b> takes the learning rates, weights, optimizer state and accumulators and
/// outputs their next values (the accumulators zero).</para>
/// <para><b>eval.onnx</b>: inputs <see cref="Images"/> (any N), <see cref="Adjacency"/> (AU
/// branch only), then the weights by name; outputs <see cref="Logits"/>, <see cref="Alpha"/>,
/// <see cref="Semantic"/> (AU branch only). Batch norm uses running statistics.</para>
/// <para><b>model.onnx</b> (inference export, target branch only, weights embedded): input
/// <see cref="ExportImage"/> uint8 [N,H,W,3] RGB (float32 [N,3,H,W] 0-255 in the float
/// variant); outputs <see cref="Probabilities"/> [N,C] and <see cref="Alpha"/> [N].</para>
/// </remarks>
public static class ArtifactNames
{
    public const string Images = "images";
    public const string Labels = "labels";
    public const string ClassWeights = "class_weights";
    public const string AuTargets = "au_targets";
    public const string AuMask = "au_mask";
    public const string Adjacency = "adjacency";
    public const string Lambda1 = "lambda1";
    public const string Lambda2 = "lambda2";
    public const string RrMargin = "rr_margin";
    /// <summary>Micro-batch graph of an accumulating step with the AU branch: float scalar, the effective batch's number of samples with AU labels (L_au's denominator).</summary>
    public const string AuCount = "au_count";

    public const string Loss = "loss";
    public const string LossCls = "loss_cls";
    public const string LossRr = "loss_rr";
    public const string LossAu = "loss_au";
    public const string Alpha = "alpha";
    public const string Logits = "logits";
    public const string Semantic = "semantic";

    public const string ExportImage = "image";
    public const string Probabilities = "probabilities";

    /// <summary>Optimizer groups: backbone, target branch (classifier, attention), auxiliary branch.</summary>
    public const string GroupBackbone = "backbone", GroupTarget = "target", GroupAux = "aux";
}
