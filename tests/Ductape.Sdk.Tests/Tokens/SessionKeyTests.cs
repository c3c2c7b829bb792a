using System.Security.Cryptography;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Tests.Tokens;

public class SessionKeyTests
{
    [Test]
    public void Text_form_round_trips_and_hides_the_secret()
    {
        var key = SessionKey.Generate("2026-11");
        var text = key.ExportText();
        var again = SessionKey.Parse(text);

        Assert.That(again.KeyId, Is.EqualTo("2026-11"));
        Assert.That(again.SizeInBits, Is.EqualTo(256));
        Assert.That(again.ExportText(), Is.EqualTo(text));
        Assert.That(key.ToString(), Is.EqualTo("SessionKey 2026-11 (256-bit)"));
        Assert.That(key.ToString(), Does.Not.Contain(text[(text.IndexOf(':') + 1)..]));
    }

    [TestCase(128)]
    [TestCase(192)]
    [TestCase(256)]
    public void Every_aes_size_can_be_generated(int bits) =>
        Assert.That(SessionKey.Parse(SessionKey.Generate("k", bits).ExportText()).SizeInBits, Is.EqualTo(bits));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("no-colon")]
    [TestCase(":AAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("k:not*base64")]
    [TestCase("k:AAAA")]
    [TestCase("bad kid:AAAAAAAAAAAAAAAAAAAAAA")]
    public void Bad_text_is_rejected_without_echoing_it(string? text)
    {
        Assert.That(SessionKey.TryParse(text, out var key), Is.False);
        Assert.That(key, Is.Null);
        if (text is not null)
        {
            var ex = Assert.Throws<FormatException>(() => SessionKey.Parse(text));
            if (text.Length > 3)
            {
                Assert.That(ex!.Message, Does.Not.Contain(text));
            }
        }
    }

    [Test]
    public void Secret_sizes_other_than_16_24_32_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => _ = new SessionKey("k", new byte[20]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SessionKey.Generate("k", 512));
        Assert.Throws<ArgumentException>(() => SessionKey.Generate("bad id"));
    }

    [Test]
    public void A_ring_finds_keys_by_id_and_rejects_duplicates()
    {
        var a = SessionKey.Generate("a");
        var b = SessionKey.Generate("b");
        var ring = new SessionKeyRing(a, b);
        Assert.That(ring.Primary, Is.SameAs(a));
        Assert.That(ring.Keys, Is.EqualTo(new[] { a, b }));
        Assert.That(ring.TryGetKey("b", out var found), Is.True);
        Assert.That(found, Is.SameAs(b));
        Assert.That(ring.TryGetKey("c", out _), Is.False);
        Assert.Throws<ArgumentException>(() => _ = new SessionKeyRing(a, SessionKey.Generate("a")));
    }

    [Test]
    public void A_key_does_not_share_the_callers_buffer()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var key = new SessionKey("k", secret);
        var before = key.ExportText();
        secret[0] ^= 0xFF;
        Assert.That(key.ExportText(), Is.EqualTo(before));
    }
}
