using Ductape.Sdk;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDuctape(builder.Configuration.GetSection("Ductape")); // AccessKey, Product, Env, SessionKeys, …
builder.Services.AddAuthentication(DuctapeSessionDefaults.AuthenticationScheme)
    .AddDuctapeSession("session_name");                                    // Authorization: Bearer <session token>
builder.Services.AddAuthorization();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/me", (HttpContext ctx) => ctx.GetDuctapeSession()!.Identifier).RequireAuthorization();
app.Run();
