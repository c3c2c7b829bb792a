using Ductape.Sdk.Products;

namespace Ductape.Sdk.Tests;

public class DuctapeClientTests
{
    [Test]
    public void Invalid_options_are_rejected_with_every_problem_named()
    {
        var options = new DuctapeClientOptions
        {
            AccessKey = " ",
            BaseUrl = new Uri("/relative", UriKind.Relative),
            Timeout = TimeSpan.FromSeconds(-1),
        };

        var ex = Assert.Throws<ArgumentException>(() => new DuctapeClient(options));

        Assert.That(ex!.ParamName, Is.EqualTo("options"));
        Assert.That(ex.Message, Does.Contain("DuctapeClientOptions.AccessKey is required")
            .And.Contain("DuctapeClientOptions.BaseUrl must be an absolute http or https URL")
            .And.Contain("DuctapeClientOptions.Timeout must be positive"));
        Assert.That(options.Validate(), Has.Count.EqualTo(3));
    }

    [Test]
    public void A_non_http_base_url_is_rejected() =>
        Assert.That(new DuctapeClientOptions { AccessKey = "k", BaseUrl = new Uri("ftp://example.com") }.Validate().Single(),
            Does.Contain("BaseUrl"));

    [Test]
    public void Default_options_point_at_ductape_cloud()
    {
        var options = new DuctapeClientOptions();
        Assert.That(options.BaseUrl, Is.EqualTo(new Uri("https://api.ductape.app")));
        Assert.That(options.Timeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(options.TimeProvider, Is.SameAs(TimeProvider.System));
        Assert.That(options.Validate().Single(), Does.Contain("AccessKey"));
    }

    [Test]
    public void The_access_key_never_appears_in_option_errors()
    {
        var options = new DuctapeClientOptions { AccessKey = "ak_live_secret", BaseUrl = new Uri("file:///etc") };
        var ex = Assert.Throws<ArgumentException>(() => new DuctapeClient(options));
        Assert.That(ex!.Message, Does.Not.Contain("ak_live_secret"));
    }

    [Test]
    public async Task Dispose_leaves_a_caller_owned_http_client_usable()
    {
        using var mock = new ProxyMock();
        mock.ThenData("[]");
        using var http = new HttpClient(mock.Handler);
        var client = new DuctapeClient(http, mock.Options());

        client.Dispose();

        using var response = await http.PostAsync(ProxyMock.Endpoint, new StringContent("{}"));
        Assert.That(response.IsSuccessStatusCode, Is.True);
    }

    [Test]
    public void Dispose_of_an_owning_client_releases_its_http_client()
    {
        var client = new DuctapeClient(new DuctapeClientOptions { AccessKey = "k", Product = "p" });
        client.Dispose();
        Assert.ThrowsAsync<ObjectDisposedException>(() => client.Products.Sessions.FetchAllAsync());
    }

    [Test]
    public async Task Options_changed_after_construction_do_not_reach_the_client()
    {
        using var mock = new ProxyMock();
        mock.ThenData("[]");
        var options = mock.Options();
        using var client = new DuctapeClient(new HttpClient(DuctapeClient.CreateHttpMessageHandler(options, mock.Handler)), options);

        options.Product = "changed";
        options.AccessKey = "changed";
        await client.Products.Sessions.FetchAllAsync();

        Assert.That(mock.Requests.Single().Params[0].GetString(), Is.EqualTo(ProxyMock.Product));
        Assert.That(mock.Requests.Single().Header("x-access-key"), Is.EqualTo(ProxyMock.AccessKey));
    }

    [Test]
    public async Task Users_can_mock_the_client_by_subclassing()
    {
        var fake = new FakeClient();
        var sessions = await fake.Products.Sessions.FetchAllAsync();
        Assert.That(sessions.Single().Tag, Is.EqualTo("from-fake"));
    }

    [Test]
    public void A_mock_built_with_the_protected_constructor_cannot_send()
    {
        var bare = new BareSessions();
        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => bare.FetchAllAsync());
        Assert.That(ex!.Message, Does.Contain("mocking"));
    }

    private sealed class FakeClient : DuctapeClient
    {
        public override ProductsClient Products { get; } = new FakeProducts();
    }

    private sealed class FakeProducts : ProductsClient
    {
        public override ProductSessionsClient Sessions { get; } = new FakeSessions();
    }

    private sealed class FakeSessions : ProductSessionsClient
    {
        public override Task<IReadOnlyList<ProductSession>> FetchAllAsync(
            DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ProductSession>>([new ProductSession { Tag = "from-fake" }]);
    }

    private sealed class BareSessions : ProductSessionsClient;
}
