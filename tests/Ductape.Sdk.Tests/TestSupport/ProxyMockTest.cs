namespace Ductape.Sdk.Tests;

/// <summary>
/// A test class whose clients talk to a fresh <see cref="ProxyMock"/> per test: made before the class's own set-up, disposed
/// after its tear-down (NUnit runs a base class's <c>[SetUp]</c> first and its <c>[TearDown]</c> last).
/// </summary>
public abstract class ProxyMockTest
{
    private ProxyMock? _mock;

    /// <summary>This test's mock Ductape.</summary>
    internal ProxyMock Mock => _mock ?? throw new InvalidOperationException("The mock exists from set-up to tear-down.");

    [SetUp]
    public void StartMock() => _mock = new ProxyMock();

    [TearDown]
    public void StopMock()
    {
        _mock?.Dispose();
        _mock = null;
    }
}
