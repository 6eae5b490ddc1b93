namespace UlcAg.Training.Metrics;

/// <summary>
/// The entries read back from an append-only log, and a note when its last line was incomplete (a run
/// that stopped while writing it) and was left out.
/// </summary>
/// <typeparam name="T">The entry type.</typeparam>
public sealed record LogContents<T>(IReadOnlyList<T> Entries, string? Warning);
