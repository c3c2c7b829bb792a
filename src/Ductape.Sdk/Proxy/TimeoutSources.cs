namespace Ductape.Sdk.Proxy;

/// <summary>
/// Cancellation sources on the client's clock, kept for reuse: a call rents one, re-arms it for each attempt and returns it,
/// so the common call (one attempt, no timeout) creates neither a source nor a timer, and arms none when its answer is there at once. A source that was cancelled cannot be
/// reset and is disposed instead. One per handler; thread-safe without locks.
/// </summary>
internal sealed class TimeoutSources(TimeProvider time)
{
    private readonly CancellationTokenSource?[] _kept = new CancellationTokenSource?[Math.Clamp(Environment.ProcessorCount * 2, 4, 64)];

    public CancellationTokenSource Rent()
    {
        for (var i = 0; i < _kept.Length; i++)
        {
            if (Volatile.Read(ref _kept[i]) is not null && Interlocked.Exchange(ref _kept[i], null) is { } kept)
            {
                return kept;
            }
        }

        // On the system clock a plain source creates its timer on the first CancelAfter only, so a call that never waits
        // never touches the timer queue; another clock (a test's) needs a source bound to it.
        return time == TimeProvider.System ? new CancellationTokenSource() : new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    public void Return(CancellationTokenSource source)
    {
        if (source.TryReset())
        {
            for (var i = 0; i < _kept.Length; i++)
            {
                if (Interlocked.CompareExchange(ref _kept[i], source, null) is null)
                {
                    return;
                }
            }
        }

        source.Dispose();
    }
}
