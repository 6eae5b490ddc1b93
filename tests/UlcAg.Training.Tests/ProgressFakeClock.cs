namespace UlcAg.Training.Tests;

/// <summary>A clock that moves only when told, in UTC.</summary>
internal sealed class ProgressFakeClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private long _ticks;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(double seconds)
    {
        var step = TimeSpan.FromSeconds(seconds);
        _now += step;
        _ticks += step.Ticks;
    }
}
