using UlcAg.Data.Issues;

namespace UlcAg.Data.Cache;

/// <summary>A sample left out of the cache under <see cref="IssuePolicy.Skip"/>, with the decoder's message.</summary>
public sealed record SkippedSample(int Index, string Id, string Reason);
