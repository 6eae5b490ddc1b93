using System.Runtime.Serialization;

namespace UlcAg.Graph.Optim;

/// <summary>The parameter update rule. The member names or their <see cref="EnumMemberAttribute"/> values are the words of the configuration.</summary>
public enum OptimizerKind
{
    /// <summary>SGD with momentum (the paper's setting).</summary>
    Sgd,

    /// <summary>Adam with L2 weight decay added to the gradient.</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay.</summary>
    [EnumMember(Value = "adamw")]
    AdamW,
}
