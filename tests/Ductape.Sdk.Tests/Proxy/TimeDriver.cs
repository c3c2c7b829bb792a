using System.Diagnostics;

namespace Ductape.Sdk.Tests.Proxy;

/// <summary>
/// Moves the mock's fake time forward in 1 ms steps until a call completes: no real sleeping. MockHttp answers on the
/// thread pool, so the pump runs on a dedicated thread, never steps while a request is on its way to an answer, and paces
/// itself (at most 1 ms of fake time per 10 µs of real time) so the SDK's own continuations keep up with the clock.
/// Work can still trail the clock slightly, so tests assert the exact delays the pipeline chose and lower bounds on gaps.
/// </summary>
internal static class TimeDriver
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan RealTimePerStep = TimeSpan.FromTicks(100); // 10 µs
    private static readonly TimeSpan StallGuard = TimeSpan.FromSeconds(10);

    public static async Task<T> Drive<T>(this ProxyMock mock, Task<T> call, TimeSpan? limit = null)
    {
        await Pump(mock, call, limit).ConfigureAwait(false);
        return await call.ConfigureAwait(false);
    }

    public static async Task Drive(this ProxyMock mock, Task call, TimeSpan? limit = null)
    {
        await Pump(mock, call, limit).ConfigureAwait(false);
        await call.ConfigureAwait(false);
    }

    private static Task Pump(ProxyMock mock, Task call, TimeSpan? limit) =>
        Task.Factory.StartNew(
            () =>
            {
                var time = mock.Time;
                var end = time.GetUtcNow() + (limit ?? TimeSpan.FromMinutes(2));
                var clock = Stopwatch.StartNew();
                long steps = 0;
                while (!call.IsCompleted && time.GetUtcNow() < end)
                {
                    var stalled = Stopwatch.StartNew();
                    while (!call.IsCompleted && (mock.AnswersInProgress > 0 || ThreadPool.PendingWorkItemCount > 0)
                           && stalled.Elapsed < StallGuard)
                    {
                        Thread.Yield();
                    }

                    while (clock.Elapsed < RealTimePerStep * steps)
                    {
                        Thread.Yield();
                    }

                    time.Advance(Step);
                    steps++;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
}
