using System.Buffers.Text;

using System.Text.Json;
using BenchmarkDotNet.Attributes;
using JWE = Jose.JWE;

namespace Ductape.Sdk.Benchmarks;

/// <summary>
/// Validating one ~510-character session token: the SDK, jose-jwt (decrypt + the same claim checks with JsonDocument), and a
/// hand-written floor that does only the unavoidable work (the same claims, audience included). Ratios are against the floor,
/// measured in the same run.
/// </summary>
[MemoryDiagnoser]
public class TokenValidationBenchmarks
{
    private TokenFixture _fixture = null!;
    private System.Security.Cryptography.AesGcm _floorAes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new TokenFixture();
        _floorAes = new System.Security.Cryptography.AesGcm(TokenFixture.Secret, 16);
        if (!Ours() || !OursWithRevocations() || !JoseJwt() || !Floor() || OursTampered())
        {
            throw new InvalidOperationException("The benchmark fixture is not what it claims to be.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _floorAes.Dispose();

    [Benchmark(Baseline = true, Description = "floor (hand-written)")]
    public bool Floor()
    {
        var token = _fixture.Token.AsSpan();
        var colon = token.IndexOf(':');
        var tagPrefix = token[..colon];
        var jwe = token[(colon + 1)..];
        Span<Range> parts = stackalloc Range[6];
        if (jwe.Split(parts, '.') != 5)
        {
            return false;
        }

        var header = jwe[parts[0]];
        Span<byte> iv = stackalloc byte[12];
        Span<byte> tag = stackalloc byte[16];
        Span<byte> cipher = stackalloc byte[Base64Url.GetMaxDecodedLength(jwe[parts[3]].Length)];
        Span<byte> aad = stackalloc byte[header.Length];
        Base64Url.DecodeFromChars(jwe[parts[2]], iv);
        Base64Url.DecodeFromChars(jwe[parts[4]], tag);
        var length = Base64Url.DecodeFromChars(jwe[parts[3]], cipher);
        for (var i = 0; i < header.Length; i++)
        {
            aad[i] = (byte)header[i];
        }

        Span<byte> plain = stackalloc byte[length];
        _floorAes.Decrypt(iv, cipher[..length], tag, plain, aad);

        var reader = new Utf8JsonReader(plain);
        long exp = 0, nbf = 0;
        bool iss = false, tagOk = false, sub = false, product = false, env = false;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("exp"u8)) { reader.Read(); exp = reader.GetInt64(); }
            else if (reader.ValueTextEquals("nbf"u8)) { reader.Read(); nbf = reader.GetInt64(); }
            else if (reader.ValueTextEquals("iss"u8)) { reader.Read(); iss = reader.ValueTextEquals("ductape"u8); }
            else if (reader.ValueTextEquals("tag"u8)) { reader.Read(); tagOk = reader.ValueTextEquals(tagPrefix); }
            else if (reader.ValueTextEquals("sub"u8)) { reader.Read(); sub = reader.TokenType == JsonTokenType.String; }
            else if (reader.ValueTextEquals("prd"u8)) { reader.Read(); product = reader.ValueTextEquals("acme:shop"u8); }
            else if (reader.ValueTextEquals("env"u8)) { reader.Read(); env = reader.ValueTextEquals("prd"u8); }
            else { reader.Read(); reader.Skip(); }
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return iss && tagOk && sub && product && env && now < exp + 30 && nbf <= now + 30;
    }

    [Benchmark(Description = "Ductape.Sdk SessionTokenValidator")]
    public bool Ours() => _fixture.Validator.Validate(_fixture.Token, "session_name").IsValid;

    [Benchmark(Description = "Ductape.Sdk SessionTokenValidator + revocation check (20k entries)")]
    public bool OursWithRevocations() => _fixture.WithRevocations.Validate(_fixture.Token, "session_name").IsValid;

    [Benchmark(Description = "jose-jwt JWE.Decrypt + JsonDocument checks")]
    public bool JoseJwt()
    {
        var plaintext = JWE.Decrypt(_fixture.Jwe, TokenFixture.Secret).PlaintextBytes;
        using var claims = JsonDocument.Parse(plaintext);
        var root = claims.RootElement;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return root.GetProperty("iss").GetString() == "ductape"
            && root.GetProperty("tag").GetString() == "session_name"
            && root.GetProperty("sub").ValueKind == JsonValueKind.String
            && now < root.GetProperty("exp").GetInt64() + 30
            && root.GetProperty("nbf").GetInt64() <= now + 30;
    }

    [Benchmark(Description = "Ductape.Sdk, tampered token (rejected)")]
    public bool OursTampered() => _fixture.Validator.Validate(_fixture.Tampered).IsValid;
}
