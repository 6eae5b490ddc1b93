using System.Runtime.Serialization;

namespace UlcAg.Training.Config;

/// <summary>The parameter update rule.</summary>
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
