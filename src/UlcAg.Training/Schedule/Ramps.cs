namespace UlcAg.Training.Schedule;

/// <summary>
/// The weighted ramp functions of eq. 12-13, with epochs counted from 1: early on the
/// auxiliary branch dominates (lambda2 = 1, lambda1 rising), after epoch beta the target
/// branch does (lambda1 = 1, lambda2 falling).
/// </summary>
public static class Ramps
{
    /// <summary>eq. 12: exp(-(1 - epoch/beta)^2) up to beta, then 1.</summary>
    public static double Lambda1(int epoch, double beta)
        => epoch <= beta ? Math.Exp(-Math.Pow(1 - epoch / beta, 2)) : 1;

    /// <summary>eq. 13: 1 up to beta, then exp(-(1 - beta/epoch)^2).</summary>
    public static double Lambda2(int epoch, double beta)
        => epoch <= beta ? 1 : Math.Exp(-Math.Pow(1 - beta / epoch, 2));
}

/// <summary>Step decay: the base rate times gamma for every milestone reached (epochs counted from 0).</summary>
public static class LrSchedule
{
    public static double At(double baseRate, int epochIndex, IReadOnlyList<int> milestones, double gamma)
        => baseRate * Math.Pow(gamma, milestones.Count(m => epochIndex >= m));
}
