using System.Text;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Tests.Tokens;

public class SessionTokenValidatorTests
{
    private TokenTestKit _kit = null!;
    private SessionTokenValidator _validator = null!;

    [SetUp]
    public void SetUp()
    {
        _kit = new TokenTestKit();
        _validator = _kit.Validator();
    }

    private void AssertFails(string? token, SessionTokenFailure failure, string? expectedTag = null)
    {
        SessionTokenValidationResult result = null!;
        Assert.DoesNotThrow(() => result = _validator.Validate(token, expectedTag));
        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Failure, Is.EqualTo(failure));
        Assert.That(result.Session, Is.Null);
        Assert.That(_validator.Validate(token.AsSpan(), expectedTag).Failure, Is.EqualTo(failure), "span overload agrees");
    }

    [Test]
    public void A_valid_token_yields_its_session()
    {
        var result = _validator.Validate(_kit.Make(), "session_name");

        Assert.That(result.IsValid, Is.True, result.ToString());
        Assert.That(result.Failure, Is.EqualTo(SessionTokenFailure.None));
        var session = result.Session!;
        Assert.That(session.SessionId, Is.EqualTo("ses_1"));
        Assert.That(session.Tag, Is.EqualTo("session_name"));
        Assert.That(session.Product, Is.EqualTo("acme:shop"));
        Assert.That(session.Env, Is.EqualTo("prd"));
        Assert.That(session.Identifier, Is.EqualTo("191010192-19198829819"));
        Assert.That(session.IssuedAt, Is.EqualTo(TokenTestKit.Now));
        Assert.That(session.NotBefore, Is.EqualTo(TokenTestKit.Now));
        Assert.That(session.ExpiresAt, Is.EqualTo(TokenTestKit.Now.AddHours(1)));
        Json.AssertEquivalent(session.Data, """{"userId":"191010192-19198829819","details":{"username":"ductape-user"}}""");
        var typed = session.GetData(TokenJson.Default.SeedData)!;
        Assert.That(typed.UserId, Is.EqualTo("191010192-19198829819"));
        Assert.That(typed.Details.Username, Is.EqualTo("ductape-user"));
        Assert.That(session.ToString(), Does.Not.Contain("191010192"));
    }

    [Test]
    public void Data_stays_valid_after_the_call_and_across_threads()
    {
        var session = _validator.Validate(_kit.Make()).Session!;
        var values = new string?[8];
        Parallel.For(0, values.Length, i => values[i] = session.Data.GetProperty("userId").GetString());
        Assert.That(values, Has.All.EqualTo("191010192-19198829819"));
    }

    [Test]
    public void The_header_member_order_is_free_and_unknown_members_are_ignored()
    {
        var header = """{"typ":"JWT","kid":"k1","cty":"x","enc":"A256GCM","alg":"dir"}""";
        Assert.That(_validator.Validate(TokenTestKit.Make(header, _kit.Claims())).IsValid, Is.True);
        var noTyp = """{"enc":"A256GCM","alg":"dir","kid":"k1"}""";
        Assert.That(_validator.Validate(TokenTestKit.Make(noTyp, _kit.Claims())).IsValid, Is.True);
    }

    [Test]
    public void Unknown_claims_are_ignored() =>
        Assert.That(_validator.Validate(_kit.Make(_kit.Claims(extra: ""","jti":"x","aud":["a"]"""))).IsValid, Is.True);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("no-prefix-at-all")]
    [TestCase(":eyJ..a.b.c")]
    [TestCase("bad tag:eyJ..a.b.c")]
    [TestCase("_tag:eyJ..a.b.c")]
    [TestCase("ta/g:eyJ..a.b.c")]
    public void Garbage_is_malformed(string? token) => AssertFails(token, SessionTokenFailure.Malformed);

    [Test]
    public void A_megabyte_of_text_is_too_large() => AssertFails(new string('a', 1024 * 1024), SessionTokenFailure.TooLarge);

    [Test]
    public void Four_or_six_segments_are_malformed()
    {
        var parts = _kit.Make().Split('.');
        AssertFails(string.Join('.', parts.Take(4)), SessionTokenFailure.Malformed);
        AssertFails(string.Join('.', parts.Append("AAAA")), SessionTokenFailure.Malformed);
    }

    [TestCase(0, "e*J")]
    [TestCase(2, "A=AA")]
    [TestCase(3, "@@@@")]
    [TestCase(4, "A")]
    public void Bad_base64url_is_malformed(int segment, string value)
    {
        var parts = _kit.Make().Split('.');
        var prefixed = segment == 0;
        parts[segment] = prefixed ? "session_name:" + value : value;
        AssertFails(string.Join('.', parts), SessionTokenFailure.Malformed);
    }

    [Test]
    public void A_header_that_is_not_json_is_malformed() =>
        AssertFails(TokenTestKit.Make("not json {", _kit.Claims()), SessionTokenFailure.Malformed);

    [TestCase("""{"alg":"none","enc":"A256GCM","kid":"k1"}""")]
    [TestCase("""{"alg":"RSA-OAEP","enc":"A256GCM","kid":"k1"}""")]
    [TestCase("""{"alg":"A256KW","enc":"A256GCM","kid":"k1"}""")]
    [TestCase("""{"alg":"DIR","enc":"A256GCM","kid":"k1"}""")]
    [TestCase("""{"alg":"dir","enc":"A128CBC-HS256","kid":"k1"}""")]
    [TestCase("""{"alg":"dir","enc":"A128GCM","kid":"k1"}""")]
    [TestCase("""{"alg":"dir","enc":"A256GCM","kid":"k1","zip":"DEF"}""")]
    [TestCase("""{"alg":"dir","enc":"A256GCM","kid":"k1","crit":["exp"]}""")]
    public void Other_algorithms_encryptions_zip_and_crit_are_unsupported(string header) =>
        AssertFails(TokenTestKit.Make(header, _kit.Claims()), SessionTokenFailure.UnsupportedAlgorithm);

    [TestCase("""{"alg":"dir","enc":"A256GCM"}""")]
    [TestCase("""{"alg":"dir","enc":"A256GCM","kid":7}""")]
    [TestCase("""{"alg":"dir","enc":"A256GCM","kid":"k1","typ":"JOSE"}""")]
    [TestCase("""{"enc":"A256GCM","kid":"k1"}""")]
    [TestCase("""{"alg":"dir","kid":"k1"}""")]
    [TestCase("""{"alg":"dir","alg":"dir","enc":"A256GCM","kid":"k1"}""")]
    [TestCase("""["alg","dir"]""")]
    public void A_header_missing_or_repeating_a_member_is_malformed(string header) =>
        AssertFails(TokenTestKit.Make(header, _kit.Claims()), SessionTokenFailure.Malformed);

    [Test]
    public void An_unknown_kid_is_reported() =>
        AssertFails(TokenTestKit.Make("""{"alg":"dir","enc":"A256GCM","kid":"k9"}""", _kit.Claims()), SessionTokenFailure.UnknownKey);

    [Test]
    public void A_token_for_another_key_ring_fails_to_decrypt()
    {
        var otherSecret = Enumerable.Repeat((byte)7, 32).ToArray();
        AssertFails(TokenTestKit.Make(TokenTestKit.Header, _kit.Claims(), otherSecret), SessionTokenFailure.DecryptionFailed);
    }

    [Test]
    public void A_token_from_another_issuers_ring_has_an_unknown_key()
    {
        var other = new TokenTestKit().Issuer(new SessionKeyRing(SessionKey.Generate("other")));
        AssertFails(other.Issue(Descriptor()).Token, SessionTokenFailure.UnknownKey);
    }

    [Test]
    public void A_remembered_header_still_needs_an_empty_key_segment_and_other_headers_are_checked_afresh()
    {
        var good = _kit.Make();
        Assert.That(_validator.Validate(good).IsValid, Is.True); // the header is now remembered
        var parts = good.Split('.');
        parts[1] = "AAAA";
        AssertFails(string.Join('.', parts), SessionTokenFailure.Malformed);
        AssertFails(TokenTestKit.Make("""{"alg":"dir","enc":"A256GCM","kid":"k9"}""", _kit.Claims()), SessionTokenFailure.UnknownKey);
        Assert.That(_validator.Validate(TokenTestKit.Make("""{"kid":"k1","alg":"dir","enc":"A256GCM"}""", _kit.Claims())).IsValid, Is.True);
        Assert.That(_validator.Validate(good).IsValid, Is.True);
    }

    [Test]
    public void An_iv_that_is_not_12_bytes_is_malformed() =>
        AssertFails(TokenTestKit.Make(TokenTestKit.Header, _kit.Claims(), ivSize: 16), SessionTokenFailure.Malformed);

    [Test]
    public void A_tag_shorter_than_16_bytes_is_malformed() =>
        AssertFails(TokenTestKit.Make(TokenTestKit.Header, _kit.Claims(), tagSize: 12), SessionTokenFailure.Malformed);

    [Test]
    public void An_encrypted_key_segment_is_malformed_for_dir()
    {
        var parts = _kit.Make().Split('.');
        parts[1] = "AAAA";
        AssertFails(string.Join('.', parts), SessionTokenFailure.Malformed);
    }

    [TestCase(0)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void One_flipped_bit_in_any_segment_is_rejected(int segment)
    {
        var token = _kit.Make();
        var colon = token.IndexOf(':');
        var parts = token[(colon + 1)..].Split('.');
        var bytes = Decode(parts[segment]);
        bytes[bytes.Length / 2] ^= 0x04;
        parts[segment] = TokenTestKit.B64(bytes);
        var result = _validator.Validate(token[..(colon + 1)] + string.Join('.', parts));
        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Failure, segment == 0
            ? Is.AnyOf(SessionTokenFailure.Malformed, SessionTokenFailure.UnsupportedAlgorithm, SessionTokenFailure.UnknownKey, SessionTokenFailure.DecryptionFailed)
            : Is.AnyOf(SessionTokenFailure.DecryptionFailed, SessionTokenFailure.Malformed));
    }

    [Test]
    public void A_flipped_bit_in_the_ciphertext_fails_decryption()
    {
        var token = _kit.Make();
        var colon = token.IndexOf(':');
        var parts = token[(colon + 1)..].Split('.');
        var bytes = Decode(parts[3]);
        bytes[0] ^= 1;
        parts[3] = TokenTestKit.B64(bytes);
        AssertFails(token[..(colon + 1)] + string.Join('.', parts), SessionTokenFailure.DecryptionFailed);
    }

    [TestCase("this is not json")]
    [TestCase("[1,2,3]")]
    [TestCase("""{"iss":"ductape"}""")]
    public void Claims_that_are_not_the_contract_are_invalid(string claims) =>
        AssertFails(_kit.Make(claims), SessionTokenFailure.InvalidClaims);

    [Test]
    public void Claims_nested_1000_deep_are_invalid()
    {
        var deep = new StringBuilder();
        for (var i = 0; i < 1000; i++)
        {
            deep.Append("{\"a\":");
        }

        deep.Append('1').Append('}', 1000);
        AssertFails(_kit.Make(_kit.Claims(extra: ",\"deep\":" + deep)), SessionTokenFailure.InvalidClaims);
    }

    [Test]
    public void A_missing_exp_is_invalid() =>
        AssertFails(_kit.Make(_kit.Claims().Replace($"\"exp\":{_kit.NowSeconds + 3600},", "")), SessionTokenFailure.InvalidClaims);

    [Test]
    public void An_exp_that_is_a_string_is_invalid() =>
        AssertFails(_kit.Make(_kit.Claims().Replace($"\"exp\":{_kit.NowSeconds + 3600}", $"\"exp\":\"{_kit.NowSeconds + 3600}\"")),
            SessionTokenFailure.InvalidClaims);

    [Test]
    public void Data_that_is_not_an_object_is_invalid() =>
        AssertFails(_kit.Make(_kit.Claims().Replace("\"data\":{", "\"data\":[{").Replace("}}\n", "}]}\n")), SessionTokenFailure.InvalidClaims);

    [Test]
    public void Expired_by_skew_plus_one_second_is_rejected_and_by_skew_minus_one_accepted()
    {
        var expiredLongAgo = _kit.Make(_kit.Claims(exp: _kit.NowSeconds - 31));
        var expiredWithinSkew = _kit.Make(_kit.Claims(exp: _kit.NowSeconds - 29));
        AssertFails(expiredLongAgo, SessionTokenFailure.Expired);
        Assert.That(_validator.Validate(expiredWithinSkew).IsValid, Is.True);
    }

    [Test]
    public void Expiry_follows_the_injected_clock()
    {
        var token = _kit.Make();
        Assert.That(_validator.Validate(token).IsValid, Is.True);
        _kit.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(29));
        Assert.That(_validator.Validate(token).IsValid, Is.True);
        _kit.Time.Advance(TimeSpan.FromSeconds(1));
        AssertFails(token, SessionTokenFailure.Expired);
    }

    [Test]
    public void Not_before_in_the_future_beyond_skew_is_rejected()
    {
        AssertFails(_kit.Make(_kit.Claims(nbf: _kit.NowSeconds + 31)), SessionTokenFailure.NotYetValid);
        Assert.That(_validator.Validate(_kit.Make(_kit.Claims(nbf: _kit.NowSeconds + 29))).IsValid, Is.True);
    }

    [Test]
    public void A_custom_clock_skew_applies()
    {
        var strict = _kit.Validator(o => o.ClockSkew = TimeSpan.Zero);
        Assert.That(strict.Validate(_kit.Make(_kit.Claims(exp: _kit.NowSeconds))).Failure, Is.EqualTo(SessionTokenFailure.Expired));
    }

    [Test]
    public void A_wrong_issuer_is_rejected() =>
        AssertFails(_kit.Make(_kit.Claims(iss: "someone-else")), SessionTokenFailure.IssuerMismatch);

    [Test]
    public void A_tag_claim_unlike_the_prefix_is_rejected() =>
        AssertFails(_kit.Make(_kit.Claims(tag: "admin")), SessionTokenFailure.TagMismatch);

    [Test]
    public void An_unexpected_session_tag_is_rejected() =>
        AssertFails(_kit.Make(), SessionTokenFailure.TagMismatch, expectedTag: "admin");

    // The validator expects acme:shop / prd (TokenTestKit); the same keys, any other audience → AudienceMismatch.
    [TestCase("acme:shop", "stg")]
    [TestCase("acme:blog", "prd")]
    [TestCase("other:app", "dev")]
    [TestCase("ACME:shop", "prd")]
    [TestCase("acme:shop", "PRD")]
    [TestCase("acme:shop ", "prd")]
    public void A_token_of_another_product_or_environment_is_an_audience_mismatch(string product, string env)
    {
        var claims = _kit.Claims().Replace("\"prd\":\"acme:shop\"", $"\"prd\":\"{product}\"").Replace("\"env\":\"prd\"", $"\"env\":\"{env}\"");
        AssertFails(_kit.Make(claims), SessionTokenFailure.AudienceMismatch);
        Assert.That(_validator.ValidateFor(_kit.Make(claims), "session_name", product, env).IsValid, Is.True,
            "the per-call audience accepts its own tokens");
        Assert.That(_validator.ValidateFor(_kit.Make(), "session_name", product, env).Failure,
            Is.EqualTo(SessionTokenFailure.AudienceMismatch), "and refuses the options' audience");
    }

    [Test]
    public void The_audience_is_checked_after_the_time_checks()
    {
        var claims = _kit.Claims(exp: _kit.NowSeconds - 3600).Replace("\"env\":\"prd\"", "\"env\":\"stg\"");
        AssertFails(_kit.Make(claims), SessionTokenFailure.Expired);
    }

    [Test]
    public void A_validator_needs_an_audience_or_an_explicit_opt_out()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SessionTokenValidator(new SessionTokenValidationOptions { Keys = _kit.Ring }));
        Assert.That(ex!.Message, Does.Contain("Product and Env are required").And.Contain("ValidateAudience = false"));
        Assert.Throws<ArgumentException>(() => _kit.Validator(o => o.Env = " "));

        var any = _kit.Validator(o =>
        {
            o.Product = null;
            o.Env = null;
            o.ValidateAudience = false;
        });
        var claims = _kit.Claims().Replace("\"env\":\"prd\"", "\"env\":\"stg\"");
        Assert.That(any.Validate(_kit.Make(claims)).Session!.Env, Is.EqualTo("stg"), "opted out: the caller checks Env");
    }

    [Test]
    public void Older_keys_of_the_ring_still_validate()
    {
        var newKey = SessionKey.Generate("k2");
        var rotated = new SessionTokenValidator(new SessionTokenValidationOptions
        {
            Keys = new SessionKeyRing(newKey, _kit.Key),
            TimeProvider = _kit.Time,
            Product = "acme:shop",
            Env = "prd",
        });
        Assert.That(rotated.Validate(_kit.Make()).IsValid, Is.True, "a token of the old key");
        var fresh = _kit.Issuer(new SessionKeyRing(newKey, _kit.Key)).Issue(Descriptor());
        Assert.That(rotated.Validate(fresh.Token).IsValid, Is.True, "a token of the new primary");
        AssertFails(fresh.Token, SessionTokenFailure.UnknownKey);
    }

    [Test]
    public void Smaller_aes_keys_need_both_the_key_size_and_permission()
    {
        var key128 = new SessionKey("k128", TokenTestKit.Secret.AsSpan(0, 16));
        var header = """{"alg":"dir","enc":"A128GCM","kid":"k128","typ":"JWT"}""";
        var token = TokenTestKit.Make(header, _kit.Claims(), TokenTestKit.Secret[..16]);
        var defaults = new SessionTokenValidator(new() { Keys = new SessionKeyRing(key128), TimeProvider = _kit.Time, ValidateAudience = false });
        var allowing = new SessionTokenValidator(new()
        {
            Keys = new SessionKeyRing(key128),
            TimeProvider = _kit.Time,
            ValidateAudience = false,
            AllowedEncryptions = SessionTokenEncryption.Aes128Gcm | SessionTokenEncryption.Aes256Gcm,
        });
        Assert.That(defaults.Validate(token).Failure, Is.EqualTo(SessionTokenFailure.UnsupportedAlgorithm));
        Assert.That(allowing.Validate(token).IsValid, Is.True);

        var mismatched = TokenTestKit.Make("""{"alg":"dir","enc":"A256GCM","kid":"k128"}""", _kit.Claims(), TokenTestKit.Secret);
        Assert.That(allowing.Validate(mismatched).Failure, Is.EqualTo(SessionTokenFailure.UnsupportedAlgorithm));
    }

    [Test]
    public void Results_describe_themselves_without_the_token() =>
        Assert.That(_validator.Validate(_kit.Make(_kit.Claims(exp: 1))).ToString(), Is.EqualTo("Invalid session token: Expired"));

    [Test]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new SessionTokenValidator(new SessionTokenValidationOptions()));
        Assert.Throws<ArgumentException>(() => _kit.Validator(o => o.ClockSkew = TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentException>(() => _kit.Validator(o => o.MaxTokenLength = 10));
        Assert.Throws<ArgumentException>(() => _kit.Validator(o => o.AllowedEncryptions = SessionTokenEncryption.None));
        Assert.Throws<ArgumentException>(() => _kit.Validator(o => o.Issuer = ""));
    }

    internal static SessionTokenDescriptor Descriptor() => new()
    {
        Tag = "session_name",
        Selector = "$Session{userId}",
        Data = TokenTestKit.SeedData,
        Product = "acme:shop",
        Env = "prd",
        Expiry = 7,
        Period = Ductape.Sdk.TokenPeriod.Hours,
    };

    private static byte[] Decode(string b64Url)
    {
        var s = b64Url.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
