
namespace Ductape.Sdk.Tests.Tokens;

public class Base64UrlTests
{
    [Test]
    public void Both_decoders_round_trip_every_length()
    {
        var random = new Random(7);
        for (var length = 0; length < 200; length++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            var text = Base64Url.Encode(bytes);
            Assert.That(text, Is.EqualTo(TokenTestKit.B64(bytes)));

            var fast = new byte[length];
            var scalar = new byte[length];
            Assert.That(Base64Url.TryDecode(text, fast, out var written), Is.True);
            Assert.That(written, Is.EqualTo(length));
            Assert.That(Base64Url.TryDecodeScalar(text, scalar, length, out written), Is.True);
            Assert.That(fast, Is.EqualTo(bytes));
            Assert.That(scalar, Is.EqualTo(bytes));
        }
    }

    [TestCase("AAA=")]
    [TestCase("AA==")]
    [TestCase("AA AA")]
    [TestCase("AA\nAA")]
    [TestCase("A+/A")]
    [TestCase("AAAAA")]
    [TestCase("AB")]
    [TestCase("AAB")]
    [TestCase("é123")]
    public void Both_decoders_reject_anything_but_the_one_canonical_spelling(string text)
    {
        var buffer = new byte[16];
        Assert.That(Base64Url.TryDecode(text, buffer, out _), Is.False);
        var length = Base64Url.DecodedLength(text.Length);
        Assert.That(length < 0 || !Base64Url.TryDecodeScalar(text, buffer, length, out _), Is.True);
    }
}
