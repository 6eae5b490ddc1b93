using System.Runtime.Serialization;

namespace UlcAg.Training.Config;

/// <summary>What the semantic feature s (eq. 8-9) of a sample is.</summary>
public enum SemanticFeature
{
    /// <summary>The M pre-sigmoid AU scores: s is "R^{1xM}" in the paper.</summary>
    [EnumMember(Value = "au_scores")]
    AuScores,

    /// <summary>The flattened GCN node features (M x channels).</summary>
    [EnumMember(Value = "node_features")]
    NodeFeatures,
}
