namespace UlcAg.Data.Synthetic;

/// <summary>The two splits of the synthetic dataset, named as in RAF-DB's file names.</summary>
public enum SynthSplit
{
    /// <summary>Training split (<c>train_00001.jpg</c>, ...).</summary>
    Train = 0,
    /// <summary>Test split (<c>test_0001.jpg</c>, ...).</summary>
    Test = 1,
}
