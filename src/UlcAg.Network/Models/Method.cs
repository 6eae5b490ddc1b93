using System.Runtime.Serialization;

namespace UlcAg.Network.Models;

/// <summary>The training methods one network builder covers.</summary>
public enum Method
{
    /// <summary>Plain ResNet-18 with cross-entropy.</summary>
    Baseline,
    /// <summary>Self-Cure Network (Wang et al. 2020): logits times alpha, rank regularization, its own relabel rule.</summary>
    Scn,
    /// <summary>ULC-AG: target branch (eq. 1-4) and auxiliary AU graph branch (eq. 5-7), relabeling (eq. 8-10).</summary>
    [EnumMember(Value = "ulcag")]
    UlcAg,
    /// <summary>Ablation: target branch only (weighted CE + rank regularization), no AU graph, no relabeling.</summary>
    TargetOnly,
    /// <summary>Ablation: auxiliary branch only; alpha is computed (to split the batch) but not used in the classification loss.</summary>
    AuxOnly,
    /// <summary>Ablation: ULC-AG with a random adjacency instead of the data-driven one (Table II).</summary>
    RandomEdges,
}

/// <summary>What each method switches on.</summary>
public static class MethodTraits
{
    /// <summary>The attention FC + sigmoid giving alpha exists.</summary>
    public static bool HasAttention(this Method m) => m != Method.Baseline;

    /// <summary>The AU graph branch exists.</summary>
    public static bool HasAuxBranch(this Method m) => m is Method.UlcAg or Method.AuxOnly or Method.RandomEdges;

    /// <summary>Rank regularization (eq. 4) is part of the loss.</summary>
    public static bool HasRankRegularization(this Method m) => m is Method.Scn or Method.UlcAg or Method.TargetOnly or Method.RandomEdges;

    /// <summary>Logits are scaled by alpha * gamma (eq. 3).</summary>
    public static bool HasWeightedCe(this Method m) => m is Method.UlcAg or Method.TargetOnly or Method.RandomEdges;

    /// <summary>Semantic-template relabeling (eq. 8-10) runs.</summary>
    public static bool RelabelsByTemplates(this Method m) => m.HasAuxBranch();

    /// <summary>The configuration word of a method.</summary>
    public static string Name(this Method m) => m switch
    {
        Method.UlcAg => "ulcag",
        Method.TargetOnly => "target-only",
        Method.AuxOnly => "aux-only",
        Method.RandomEdges => "random-edges",
        _ => m.ToString().ToLowerInvariant(),
    };
}
