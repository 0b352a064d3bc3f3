using System.Globalization;
using Quartz;
using Wetstoets.Domain;

namespace Wetstoets.Storage.Scheduling;

/// <summary>
/// The whole second a review timer fires in, and its shard. Timers due in the same second share one Quartz
/// trigger per shard: a thousand rounds whose deadlines fall in the same second cost <see cref="Shards"/>
/// trigger firings instead of a thousand, each a handful of job store transactions on the same database the
/// rounds are closed in. The shards are what several workers (and the threads of one) divide between them.
/// A slot is the second a timer is due rounded up, so no timer fires before it is due.
/// </summary>
public readonly record struct TimerSlot(DateTimeOffset At, int Shard)
{
    public const string Group = "timer-slots";
    // Sixteen lanes, so enough rounds wait for the report repository to make batches worth their fixed cost:
    // a storm of 1,000 with eight took 13.2-14.2 s, with sixteen 11.1-11.3 s, with thirty-two 13.9-16.0 s.
    public const int Shards = 16;

    public static TimerSlot Of(ReviewTimer timer)
    {
        var due = timer.DueAt.ToUniversalTime();
        var second = due.AddTicks(-(due.Ticks % TimeSpan.TicksPerSecond));
        return new TimerSlot(second == due ? second : second.AddSeconds(1), ShardOf(timer.ReviewId));
    }

    /// <summary>A review's shard: the same in every process and every release (string hash codes are neither).</summary>
    public static int ShardOf(string reviewId)
    {
        var hash = 2166136261u;
        foreach (var c in reviewId)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash % Shards);
    }

    /// <summary>Every shard's slot of the second ending at <paramref name="at"/>.</summary>
    public static IEnumerable<TimerSlot> AllIn(DateTimeOffset at) => Enumerable.Range(0, Shards).Select(shard => new TimerSlot(at, shard));

    public bool Holds(ReviewTimer timer) => Of(timer) == this;

    public JobKey Key => new($"{At.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}/{Shard}", Group);

    public static TimerSlot Parse(string key)
    {
        var slash = key.IndexOf('/');
        var at = DateTimeOffset.ParseExact(key[..slash], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return new TimerSlot(at, int.Parse(key[(slash + 1)..], CultureInfo.InvariantCulture));
    }
}
