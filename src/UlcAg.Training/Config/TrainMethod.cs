using System.Runtime.Serialization;

namespace UlcAg.Training.Config;

/// <summary>What is trained: ULC-AG, one of its ablations (paper Tables I-II), or a comparison method.</summary>
public enum TrainMethod
{
    /// <summary>ULC-AG: target branch (eq. 1-4), auxiliary AU graph branch (eq. 5-7) and relabeling (eq. 8-10).</summary>
    [EnumMember(Value = "ulcag")]
    UlcAg,

    /// <summary>A plain ResNet-18 with cross-entropy: both branches off (Table I, first row).</summary>
    Baseline,

    /// <summary>Self-Cure Network (Wang et al. 2020): attention-scaled logits, rank regularization, relabeling by probability margin.</summary>
    Scn,

    /// <summary>Ablation: the target branch only (weighted regularization, no AU graph, no relabeling).</summary>
    TargetOnly,

    /// <summary>Ablation: the auxiliary branch only; confidence weights are computed but do not weight the classification loss.</summary>
    AuxOnly,

    /// <summary>Ablation: full ULC-AG with a randomly initialized AU adjacency instead of eq. 5 (Table II).</summary>
    RandomEdges,
}
