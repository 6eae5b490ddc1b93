namespace UlcAg.Inference;

/// <summary>No model was given and none was found where training writes them; the message says how to train one.</summary>
public sealed class ModelNotFoundException : Exception
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public ModelNotFoundException(string message)
        : base(message)
    {
    }
}
