using UlcAg.Graph.Optim;

namespace UlcAg.Training.Config;

/// <summary>
/// YAML section <c>train</c>: epochs, batches, optimizer and learning-rate schedule. Epoch-valued
/// settings count completed epochs: a milestone of 10 changes the rate after the 10th epoch.
/// </summary>
public sealed record TrainLoopOptions
{
    /// <summary>YAML <c>epochs</c>: passes over the training set (30 in the paper).</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>YAML <c>batch_size</c>: images per step; the last partial batch of an epoch is dropped (512 in the paper, on two GPUs).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// YAML <c>micro_batch_size</c>: images per forward and backward run. Smaller than
    /// <see cref="BatchSize"/>, the step accumulates the gradient of batch_size / micro_batch_size
    /// micro-batches before one update, so that a large batch fits in memory; null (the default)
    /// runs the whole batch at once. docs/training.md says how each per-batch quantity is defined then.
    /// </summary>
    public int? MicroBatchSize { get; init; }

    /// <summary>Images per forward and backward run: <see cref="MicroBatchSize"/>, or the whole batch.</summary>
    public int MicroBatch => MicroBatchSize ?? BatchSize;

    /// <summary>Micro-batches per step (1 without accumulation).</summary>
    public int AccumulationSteps => BatchSize / MicroBatch;

    /// <summary>YAML <c>optimizer</c>: the update rule.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>YAML <c>momentum</c>: SGD momentum (Adam's beta1 for adam and adamw).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>YAML <c>weight_decay</c>: L2 penalty (decoupled for adamw).</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>YAML <c>lr</c>: initial learning rate of the backbone and target branch (0.01 in the paper).</summary>
    public double Lr { get; init; } = 0.01;

    /// <summary>YAML <c>aux_lr</c>: initial learning rate of the auxiliary AU graph branch (0.005 in the paper).</summary>
    public double AuxLr { get; init; } = 0.005;

    /// <summary>YAML <c>lr_milestones</c>: completed epochs after which both rates are multiplied by <see cref="LrGamma"/>; strictly increasing.</summary>
    public IReadOnlyList<int> LrMilestones { get; init; } = [10, 20];

    /// <summary>YAML <c>lr_gamma</c>: the factor applied at each milestone.</summary>
    public double LrGamma { get; init; } = 0.1;

    /// <summary>YAML <c>workers</c>: threads that decode and augment batches ahead of the training step.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>YAML <c>eval_batch_size</c>: images per evaluation run.</summary>
    public int EvalBatchSize { get; init; } = 128;

    /// <summary>YAML <c>checkpoint_every</c>: save a checkpoint every N epochs; 0 saves only at the end.</summary>
    public int CheckpointEvery { get; init; } = 1;

    /// <summary>
    /// YAML <c>memory_budget</c>: MiB of forward intermediates (Winograd tiles, im2col matrices
    /// of the lowered convolutions) that the train step keeps for its backward pass instead of
    /// computing them again, or <c>all</c> (keep every one: the fastest steps). A smaller budget
    /// lowers the step's peak memory and costs speed; the step's results are the same. The default,
    /// 0, keeps none: the ResNet-18 step then peaks below PyTorch's at 112 and 224 px and runs at about
    /// 0.96x the speed of <c>all</c> (docs/BENCHMARKS.md, "Train-step memory").
    /// </summary>
    public string MemoryBudget { get; init; } = "0";

    /// <summary>The value of <see cref="MemoryBudget"/> that keeps everything.</summary>
    public const string AllMemory = "all";

    /// <summary>The largest budget in MiB (1 TiB).</summary>
    public const int MaxMemoryBudgetMiB = 1 << 20;

    /// <summary><see cref="MemoryBudget"/> in bytes for the graph compiler; <see cref="long.MaxValue"/> for <c>all</c>.</summary>
    public long MemoryBudgetBytes => ParseMemoryBudget(MemoryBudget) is { } mib ? (long)mib << 20 : long.MaxValue;

    /// <summary>MiB of a budget text (a whole number), or null for <c>all</c>, for anything else too.</summary>
    private static int? ParseMemoryBudget(string text)
        => text != AllMemory && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var mib) && mib <= MaxMemoryBudgetMiB ? mib : null;

    /// <summary>The multiplier of the initial learning rates during epoch <paramref name="completedEpochs"/> + 1.</summary>
    public double LrFactor(int completedEpochs) => Math.Pow(LrGamma, LrMilestones.Count(m => m <= completedEpochs));

    internal void Check(ConfigChecker check)
    {
        check.Between("epochs", Epochs, 1, 100_000);
        var batchInRange = check.Between("batch_size", BatchSize, 2, 65_536);
        if (MicroBatchSize is { } micro && batchInRange && check.Between("micro_batch_size", micro, 2, BatchSize))
        {
            var divisors = Enumerable.Range(2, BatchSize - 1).Where(d => BatchSize % d == 0).ToList();
            var near = divisors.OrderBy(d => Math.Abs(d - micro)).Take(2).Order();
            check.Require(BatchSize % micro == 0, "micro_batch_size",
                $"is {micro}, which does not divide train.batch_size {BatchSize}; expected a divisor of the batch size, e.g. {string.Join(" or ", near)}");
        }
        check.Between("momentum", Momentum, 0, 1, maxOpen: true);
        check.Between("weight_decay", WeightDecay, 0, 1);
        check.Between("lr", Lr, 0, 10, minOpen: true);
        check.Between("aux_lr", AuxLr, 0, 10, minOpen: true);
        for (var i = 0; i < LrMilestones.Count; i++)
        {
            var key = $"lr_milestones[{i}]";
            check.AtLeast(key, LrMilestones[i], 1);
            if (i > 0)
            {
                check.Require(LrMilestones[i] > LrMilestones[i - 1], key,
                    $"is {LrMilestones[i]}, not after the previous milestone {LrMilestones[i - 1]}; expected strictly increasing epochs");
            }

            if (LrMilestones[i] >= Epochs)
            {
                check.Warn(key, $"is {LrMilestones[i]}, at or after the last epoch ({Epochs}): it never takes effect");
            }
        }

        check.Between("lr_gamma", LrGamma, 0, 1, minOpen: true);
        check.Between("workers", Workers, 0, 64);
        check.Between("eval_batch_size", EvalBatchSize, 1, 65_536);
        check.AtLeast("checkpoint_every", CheckpointEvery, 0);
        check.Require(MemoryBudget == AllMemory || ParseMemoryBudget(MemoryBudget) is not null, "memory_budget",
            $"is '{MemoryBudget}'; expected '{AllMemory}' or a whole number of MiB, 0..{MaxMemoryBudgetMiB}");
    }
}
