using System.Net;

namespace Ductape.Sdk.Tests.Proxy;

/// <summary>CONTRACT §5: every failure the server reports becomes a <see cref="DuctapeApiException"/> with its fields.</summary>
public class ErrorResponseTests : ProxyMockTest
{
    private DuctapeClient _client = null!;

    [SetUp]
    public void SetUp()
    {
        _client = Mock.Client(o => o.Retry.MaxRetries = 0);
    }

    [TearDown]
    public void TearDown()
    {
        _client.Dispose();
    }

    private DuctapeApiException FetchFails() =>
        Assert.ThrowsAsync<DuctapeApiException>(() => _client.Products.Sessions.FetchAsync("session_name"))!;

    [TestCase(HttpStatusCode.BadRequest, "VALIDATION_FAILED")]
    [TestCase(HttpStatusCode.Unauthorized, "UNAUTHORIZED")]
    [TestCase(HttpStatusCode.Forbidden, "FORBIDDEN")]
    [TestCase(HttpStatusCode.NotFound, "SESSION_NOT_FOUND")]
    [TestCase(HttpStatusCode.Conflict, "SESSION_EXISTS")]
    [TestCase(HttpStatusCode.TooManyRequests, "RATE_LIMITED")]
    [TestCase(HttpStatusCode.InternalServerError, "INTERNAL")]
    [TestCase(HttpStatusCode.ServiceUnavailable, "UNAVAILABLE")]
    public void Each_error_code_becomes_an_api_exception(HttpStatusCode status, string code)
    {
        Mock.ThenStatus(status, ProxyMock.Failure(code, "Something about the session", "req_42"));

        var ex = FetchFails();

        Assert.That(ex.StatusCode, Is.EqualTo(status));
        Assert.That(ex.Code, Is.EqualTo(code));
        Assert.That(ex.RequestId, Is.EqualTo("req_42"));
        Assert.That(ex.ResponseBody, Is.Null);
        Assert.That(ex.RetryAfter, Is.Null);
        Assert.That(ex.Message, Is.EqualTo($"Ductape rejected 'fetch' ({(int)status} {code}): Something about the session (request id req_42)."));
        Assert.That(ex.Message, Does.Not.Contain(ProxyMock.AccessKey));
        Assert.That(Mock.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void Rate_limiting_carries_retry_after()
    {
        Mock.Then(_ =>
        {
            var response = ProxyMock.Response(HttpStatusCode.TooManyRequests, ProxyMock.Failure("RATE_LIMITED", "Slow down"));
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return response;
        });
        var ex = FetchFails();
        Assert.That(ex.Code, Is.EqualTo("RATE_LIMITED"));
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
    }

    [Test]
    public void A_502_with_an_html_body_keeps_the_first_kilobyte()
    {
        var html = "<html><head><title>502 Bad Gateway</title></head><body>" + new string('x', 3000) + "</body></html>";
        Mock.ThenStatus(HttpStatusCode.BadGateway, html, "text/html");

        var ex = FetchFails();

        Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(ex.Code, Is.EqualTo(DuctapeApiException.InvalidResponseCode));
        Assert.That(ex.ResponseBody, Is.EqualTo(html[..1024]));
        Assert.That(ex.Message, Does.Contain("(502 Bad Gateway) is not a Ductape response; see ResponseBody"));
        Assert.That(ex.Message, Does.Not.Contain("<html>"));
    }

    [Test]
    public void A_request_id_header_is_used_when_the_body_has_none()
    {
        Mock.Then(_ =>
        {
            var response = ProxyMock.Response(HttpStatusCode.BadGateway, "upstream down", "text/plain");
            response.Headers.Add("x-request-id", "req_from_header");
            return response;
        });
        var ex = FetchFails();
        Assert.That(ex.RequestId, Is.EqualTo("req_from_header"));
        Assert.That(ex.ResponseBody, Is.EqualTo("upstream down"));
    }

    [Test]
    public void A_200_whose_envelope_says_status_false_is_an_error()
    {
        Mock.ThenStatus(HttpStatusCode.OK, ProxyMock.Failure("SESSION_NOT_FOUND", "No session 'x'", "req_7"));
        var ex = FetchFails();
        Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ex.Code, Is.EqualTo("SESSION_NOT_FOUND"));
        Assert.That(ex.RequestId, Is.EqualTo("req_7"));
        Assert.That(ex.Message, Does.Contain("No session 'x'"));
    }

    // ResponseBody keeps the JSON's shape but masks every value except the envelope's own status/code/message/request_id.
    [TestCase("""{"status":true,"data":{"data":{"tag":"session_name","na""", """{"status":true,"data":{"data":{"tag":*** (unreadable from here)""")]
    [TestCase("""{"status":true,"data":{"data":{"tag":"x","expiry":"seven"}}}""", """{"status":true,"data":{"data":{"tag":***,"expiry":***}}}""")]
    [TestCase("""{"status":true,"data":{"data":{"tag":"x","period":"fortnight"}}}""", """{"status":true,"data":{"data":{"tag":***,"period":***}}}""")]
    [TestCase("""[1,2,3]""", """[***,***,***]""")]
    [TestCase("""{"status":true} trailing""", """{"status":true} (unreadable from here)""")]
    [TestCase("", "")]
    public void A_truncated_or_unreadable_success_body_is_an_invalid_response(string body, string excerpt)
    {
        Mock.ThenStatus(HttpStatusCode.OK, body);
        var ex = FetchFails();
        Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ex.Code, Is.EqualTo(DuctapeApiException.InvalidResponseCode));
        Assert.That(ex.ResponseBody, Is.EqualTo(excerpt));
        Assert.That(ex.Message, Does.Contain("could not be read"));
    }

    [TestCase("""{"status":true,"data":{"data":null}}""")]
    [TestCase("""{"status":true,"data":{}}""")]
    [TestCase("""{"status":true}""")]
    public void A_success_without_data_where_data_is_needed_is_an_invalid_response(string body)
    {
        Mock.ThenStatus(HttpStatusCode.OK, body);
        var ex = FetchFails();
        Assert.That(ex.Code, Is.EqualTo(DuctapeApiException.InvalidResponseCode));
        Assert.That(ex.Message, Does.Contain("holds no result (data.data)"));
    }

    [Test]
    public void A_success_body_without_status_is_not_an_envelope()
    {
        Mock.ThenStatus(HttpStatusCode.OK, """{"hello":"world"}""");
        var ex = FetchFails();
        Assert.That(ex.Code, Is.EqualTo(DuctapeApiException.InvalidResponseCode));
        Assert.That(ex.ResponseBody, Is.EqualTo("""{"hello":***}"""));
    }

    [Test]
    public void An_error_without_a_message_or_code_still_says_what_happened()
    {
        Mock.ThenStatus(HttpStatusCode.InternalServerError, """{"status":false}""");
        var ex = FetchFails();
        Assert.That(ex.Code, Is.Null);
        Assert.That(ex.Message, Is.EqualTo("Ductape rejected 'fetch' (500 no code): no message."));
    }

    [Test]
    public async Task Delete_accepts_any_data_and_none()
    {
        Mock.ThenStatus(HttpStatusCode.OK, """{"status":true,"data":{"data":{"deleted":true},"request_id":"r"}}""")
            .ThenStatus(HttpStatusCode.OK, """{"status":true}""");
        await _client.Products.Sessions.DeleteAsync("a");
        await _client.Products.Sessions.DeleteAsync("b");
        Assert.That(Mock.Requests, Has.Count.EqualTo(2));
    }
}
