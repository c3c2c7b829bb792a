namespace Ductape.Sdk.Tests.Proxy;

// The attempt timeout costs a timer only when an attempt waits.
public partial class ResilienceTests
{
    [Test]
    public async Task An_answer_there_at_once_arms_no_timer_and_one_that_waits_arms_one()
    {
        var time = new ArmCountingTime(Mock.Time);
        var later = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answers = new Queue<Task<HttpResponseMessage>>([Task.FromResult(ProxyMock.Success(SeedWire)), later.Task]);
        var options = Mock.Options(o => o.TimeProvider = time);
        using var http = new HttpClient(DuctapeClient.CreateHttpMessageHandler(options, new Answering(answers)));
        using var client = new DuctapeClient(http, options);

        Assert.That((await client.Products.Sessions.FetchAsync("session_name")).Tag, Is.EqualTo("session_name"));
        Assert.That(time.Arms, Is.Zero, "an answer that is there at once");

        var waiting = client.Products.Sessions.FetchAsync("session_name");
        Assert.That(time.Arms, Is.EqualTo(1), "an attempt that waits has its timeout armed");
        later.SetResult(ProxyMock.Success(SeedWire));
        Assert.That((await waiting).Tag, Is.EqualTo("session_name"));
    }

    /// <summary>Answers each request with the next task of a queue, as it is (complete or not).</summary>
    private sealed class Answering(Queue<Task<HttpResponseMessage>> answers) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            answers.Dequeue();
    }

    /// <summary>The mock's clock, counting how often a timer is set to fire after it was made (how a cancellation source is armed).</summary>
    private sealed class ArmCountingTime(TimeProvider inner) : TimeProvider
    {
        private int _arms;

        public int Arms => Volatile.Read(ref _arms);

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            new Counted(inner.CreateTimer(callback, state, dueTime, period), this);

        private sealed class Counted(ITimer timer, ArmCountingTime owner) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    Interlocked.Increment(ref owner._arms);
                }

                return timer.Change(dueTime, period);
            }

            public void Dispose() => timer.Dispose();

            public ValueTask DisposeAsync() => timer.DisposeAsync();
        }
    }
}
