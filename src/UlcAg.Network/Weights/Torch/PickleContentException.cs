namespace UlcAg.Network.Weights.Torch;

/// <summary>
/// A pickle that the checkpoint reader will not or cannot turn into objects. Raised while
/// unpickling, where the file is not known; <see cref="TorchUnpickler"/> turns it into a
/// <see cref="WeightsException"/> that names the file.
/// </summary>
internal sealed class PickleContentException : Exception
{
    public PickleContentException(string message)
        : base(message)
    {
    }

    /// <summary>The refused global (<c>module.name</c>), when that is the reason.</summary>
    public string? Global { get; private init; }

    public static PickleContentException Refused(string global) =>
        new($"the global '{global}' is not allowed") { Global = global };
}
