namespace UlcAg.Training.Config;

/// <summary>
/// Keeps a resumed run consistent with its checkpoints. The checkpoint holds weights, labels and
/// templates by sample index and tensor shape, so a changed seed, dataset, noise, split, method or
/// network would draw other samples and apply the saved labels to them, or fail deep inside with a
/// shape message. A resumed configuration may therefore differ from the one the run was started
/// with only in <see cref="SafeKeys"/>: how long and how fast it trains, and on what hardware.
/// </summary>
public static class ResumeCheck
{
    /// <summary>
    /// The reference a run is resumed against, written when the run starts and never rewritten:
    /// <c>config.yaml</c> beside it may be edited or rewritten on resume, this copy may not.
    /// </summary>
    public static string ReferenceFile(string runDirectory) => Path.Combine(runDirectory, RunFolder.CheckpointsFolder, RunFolder.ConfigFile);

    /// <summary>
    /// The keys a resumed run may change: the schedule's length and rates (e.g. a lower
    /// <c>train.lr</c> after a divergence), checkpoint frequency, and where and how fast it runs
    /// (the micro-batch too: a checkpoint is never taken inside an accumulation, so it holds the
    /// same tensors with or without one).
    /// None of them changes which samples, labels or tensor shapes the checkpoint refers to.
    /// </summary>
    public static IReadOnlyList<string> SafeKeys { get; } =
    [
        "train.epochs", "train.lr", "train.aux_lr", "train.lr_milestones", "train.lr_gamma", "train.checkpoint_every",
        "train.workers", "train.eval_batch_size", "train.micro_batch_size", "train.memory_budget", "device", "threads", "output", "run_name", "data.cache_dir",
    ];

    /// <summary>Every key outside <see cref="SafeKeys"/> whose value differs, naming both values.</summary>
    /// <param name="trained">The options the run's checkpoints were trained with.</param>
    /// <param name="resumed">The options of the resumed run.</param>
    /// <param name="reference">The file <paramref name="trained"/> was read from, for the messages.</param>
    /// <param name="origin">Where the resume was asked for (<c>--resume RUN</c>).</param>
    public static IReadOnlyList<ConfigMessage> Differences(TrainOptions trained, TrainOptions resumed, string reference, ConfigLocation origin)
    {
        var before = Flatten(trained);
        var now = Flatten(resumed);
        var messages = new List<ConfigMessage>();
        foreach (var key in before.Keys.Union(now.Keys))
        {
            if (SafeKeys.Any(safe => key == safe || key.StartsWith(safe + "[", StringComparison.Ordinal)))
                continue;
            var (a, b) = (before.GetValueOrDefault(key, "(absent)"), now.GetValueOrDefault(key, "(absent)"));
            if (a != b)
                messages.Add(new ConfigMessage(key, $"is {b} here, but the run was trained with {a} ({reference}); a resumed run may change only " +
                    $"{string.Join(", ", SafeKeys)}. Start a new run to change it, or resume without changing it", origin));
        }
        return messages;
    }

    /// <summary>The options as key path -> value text, lists as <c>[a, b]</c>, as <see cref="OptionsYaml"/> writes them.</summary>
    private static Dictionary<string, string> Flatten(TrainOptions options)
    {
        var flat = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(YamlConfigReader.ReadDocument(new StringReader(OptionsYaml.Write(options)), "options"), "");
        return flat;

        void Add(ConfigMapping mapping, string prefix)
        {
            foreach (var entry in mapping.Entries)
            {
                var key = prefix + entry.Key;
                if (entry.Value is ConfigMapping section) Add(section, key + ".");
                else flat[key] = Text(entry.Value);
            }
        }
    }

    private static string Text(ConfigNode node) => node switch
    {
        ConfigScalar s => s.Text ?? "null",
        ConfigSequence list => "[" + string.Join(", ", list.Items.Select(Text)) + "]",
        _ => node.Describe(),
    };
}
