namespace UlcAg.Network.Weights.Torch;

/// <summary>The tensors read from a PyTorch checkpoint, and what the reader did to find them.</summary>
/// <param name="Tensors">The state dict's tensors in file order, with any <c>module.</c> prefix removed.</param>
/// <param name="WrapperKey">
/// The top-level key the state dict was found under (<c>state_dict</c>, <c>model</c>, ...), or
/// null when the file's top level is the state dict itself.
/// </param>
/// <param name="Notes">Entries that were skipped and names that were changed, one sentence each.</param>
public sealed record CheckpointContents(TensorMap Tensors, string? WrapperKey, IReadOnlyList<string> Notes);
