// The quick start: the product owner's seed example in C#.
// With DUCTAPE_ACCESS_KEY set it creates the seed's session type on Ductape; without it, it builds and checks the
// session type locally and shows what would be sent.
using Ductape.Sdk;
using Ductape.Sdk.Periods;
using Ductape.Sdk.Products;
using Ductape.Sdk.Selectors;

var accessKey = Environment.GetEnvironmentVariable("DUCTAPE_ACCESS_KEY");
Console.WriteLine(string.IsNullOrEmpty(accessKey)
    ? "Ductape quick start: no DUCTAPE_ACCESS_KEY set, so this run builds and checks the seed's session type locally."
    : "Ductape quick start: talking to Ductape.");

var details = new ProductSession
{
    Name = "Session Name",
    Tag = "session_name",
    Description = "Session Description Here",
    // Sample values, not types: they show what a session holds (and is encrypted in the token).
    Schema = SessionJson.Parse("""
        {"userId":"191010192-19198829819","details":{"username":"ductape-user","email":"santos@ductape.app"}}
        """),
    Selector = "$Session{userId}",
    Expiry = 7,
    Period = TokenPeriod.Hours,
};

var selector = SessionSelector.Parse(details.Selector);
if (!selector.ResolvesToPrimitive(details.Schema, out var problem))
{
    Console.Error.WriteLine($"The selector does not fit the schema: {problem}");
    return 1;
}

selector.TryResolveIdentifier(details.Schema, out var sampleIdentifier);
var now = DateTimeOffset.UtcNow;
Console.WriteLine($"Session type '{details.Tag}' ({details.Name}): {details.Description}");
Console.WriteLine($"  selector  {selector} -> segments [{string.Join(", ", selector.Segments)}], sample identifier {sampleIdentifier}");
Console.WriteLine($"  lifetime  {details.Expiry} {details.Period.ToWireValue()}: a session started now ends {details.Period.AddTo(now, details.Expiry):u}");
Console.WriteLine($"  updated   14 days: a session started now would end {TokenPeriod.Days.AddTo(now, 14):u}");

var nested = SessionSelector.Parse("$Session{details}{username}");
nested.TryResolveIdentifier(details.Schema, out var username);
Console.WriteLine($"  nested    {nested} -> {username}");

if (!string.IsNullOrEmpty(accessKey))
{
    var options = new DuctapeClientOptions
    {
        AccessKey = accessKey,
        Product = Environment.GetEnvironmentVariable("DUCTAPE_PRODUCT"),
        Env = Environment.GetEnvironmentVariable("DUCTAPE_ENV"),
    };
    if (Environment.GetEnvironmentVariable("DUCTAPE_BASE_URL") is { Length: > 0 } baseUrl)
    {
        options.BaseUrl = new Uri(baseUrl);
    }

    using var client = new DuctapeClient(options);
    var created = await client.Products.Sessions.CreateAsync(details);
    Console.WriteLine($"Created '{created.Tag}'.");
    var updated = await client.Products.Sessions.UpdateAsync(
        new ProductSessionUpdate("session_name") { Expiry = 14, Period = TokenPeriod.Days });
    Console.WriteLine($"Updated expiry to {updated.Expiry} {updated.Period.ToWireValue()}.");
    var all = await client.Products.Sessions.FetchAllAsync();
    Console.WriteLine($"The product has {all.Count} session type(s): {string.Join(", ", all.Select(s => s.Tag))}.");
    var one = await client.Products.Sessions.FetchAsync("session_name");
    Console.WriteLine($"Fetched '{one.Tag}': {one.Expiry} {one.Period.ToWireValue()}, selector {one.Selector}.");
}

Console.WriteLine("Done.");
return 0;
