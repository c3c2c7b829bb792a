using System.Diagnostics;
using System.Text;
using Ductape.Sdk.Cli;

namespace Ductape.Sdk.IntegrationTests.Cli;

/// <summary>Files nobody vetted: each gets an error with a place, within bounds, never a hang, a crash or a raw byte printed.</summary>
public class CliInputTests : CliTest
{
    private const string Valid = """{"description":"d","expiry":1,"name":"n","period":"hours","schema":{"id":"1"},"selector":"$Session{id}","tag":"a"}""";

    private async Task<Run> Validate(byte[] content, params string[] options)
    {
        await File.WriteAllBytesAsync(PathOf("f.json"), content);
        return await Ductape(["sessions", "validate", PathOf("f.json"), .. options]);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Test]
    public async Task Invalid_utf8_is_an_error_at_its_line_and_column_not_a_silent_replacement()
    {
        var run = await Validate([.. Utf8("[\n  {\"tag\":\"é"), 0xFF, .. Utf8("\"}]")]);

        Assert.That((run.ExitCode, run.Error.Trim()), Is.EqualTo((1, $"{PathOf("f.json")}(2,12): error: not valid UTF-8 (byte 0xFF); save the file as UTF-8")));
    }

    [Test]
    public async Task A_key_written_twice_is_an_error_at_the_second_one_at_any_depth()
    {
        var twiceTag = await Validate(Utf8("[\n " + Valid.TrimEnd('}') + ",\"tag\":\"b\"}]"));
        Assert.That(twiceTag.Error, Does.Contain($"f.json(2,{Valid.Length + 2}): error: key 'tag' appears twice in one object; keep one"));

        var inSchema = await Validate(Utf8("[" + Valid.Replace("{\"id\":\"1\"}", "{\"id\":\"1\",\n\"id\":\"2\"}", StringComparison.Ordinal) + "]"));
        Assert.That(inSchema.Error, Does.Contain("f.json(2,1): error: key 'id' appears twice in one object"));
    }

    [Test]
    public async Task Columns_count_characters_and_stay_right_on_one_long_minified_line()
    {
        // 2,000 valid types with multi-byte names on one line, then a bad period: the column is in characters, not bytes.
        var items = Enumerable.Range(0, 2000).Select(i => Valid.Replace("\"a\"", $"\"t{i}\"", StringComparison.Ordinal).Replace("\"n\"", "\"名前\"", StringComparison.Ordinal)).ToList();
        var prefix = "[" + string.Join(",", items) + ",";
        var bad = Valid.Replace("hours", "fortnights", StringComparison.Ordinal).Replace("\"a\"", "\"z\"", StringComparison.Ordinal);

        var run = await Validate(Utf8(prefix + bad + "]"));

        var column = prefix.Length + bad.IndexOf("\"period\"", StringComparison.Ordinal) + 1;
        Assert.That(run.Error.Trim(), Is.EqualTo($"{PathOf("f.json")}(1,{column}): error: period must be one of secs, mins, hours, days, weeks, months, years"));
    }

    [Test]
    public async Task A_byte_order_mark_is_accepted_and_positions_ignore_it()
    {
        Assert.That((await Validate([0xEF, 0xBB, 0xBF, .. Utf8("[" + Valid + "]")])).ExitCode, Is.EqualTo(0));
        Assert.That((await Validate([0xEF, 0xBB, 0xBF, .. Utf8("[x]")])).Error, Does.Contain("f.json(1,2): error: not valid JSON"));
    }

    [TestCase("[{\"tag\":\"\\ud800\"}]", "(1,9): error: not valid JSON: a \\u escape that is half of a surrogate pair")]
    [TestCase("[]]", "(1,3): error: not valid JSON")]
    [TestCase("", "(1,1): error: not valid JSON")]
    [TestCase("{\"tag\":\"a\"}", "(1,1): error: the file must be a JSON array of session types")]
    public async Task Malformed_json_is_an_error_with_a_place(string content, string expected)
    {
        var run = await Validate(Utf8(content));

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error, Does.Contain("f.json" + expected));
    }

    [Test]
    public async Task Nesting_deeper_than_64_is_an_error_not_a_stack_overflow()
    {
        var run = await Validate(Utf8(new string('[', 100_000) + new string(']', 100_000)));

        Assert.That(run.Error, Does.Contain("f.json(1,65): error: not valid JSON: The maximum configured depth of 64 has been exceeded"));
    }

    [Test]
    public async Task A_duplicate_tag_is_reported_even_when_its_row_has_other_errors()
    {
        var run = await Validate(Utf8("[" + Valid + ",\n" + Valid.Replace("\"expiry\":1", "\"expiry\":\"1\"", StringComparison.Ordinal) + "]"));

        Assert.That(run.Error, Does.Contain("error: tag 'a' is declared twice (first on line 1)").And.Contain("error: expiry must be a whole number"));
    }

    [Test]
    public async Task A_million_problems_print_the_first_thousand_and_a_count()
    {
        var run = await Validate(Utf8("[" + string.Join(",", Enumerable.Repeat("{}", 200_000)) + "]"));

        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(FileProblems.Limit + 1));
        Assert.That(lines[^1], Is.EqualTo($"{PathOf("f.json")}: and {(200_000 * 7) - FileProblems.Limit} more problem(s) not shown."));
    }

    [Test]
    public async Task Files_over_the_size_cap_are_refused_and_the_cap_is_configurable()
    {
        var content = Utf8("[" + string.Join(",", Enumerable.Repeat(Valid, 30).Select((v, i) => v.Replace("\"a\"", $"\"t{i}\"", StringComparison.Ordinal))) + "]");
        Assert.That(content, Has.Length.GreaterThan(3 * 1024));

        var refused = await Validate(content, "--max-file-size", "2KiB");
        Assert.That((refused.ExitCode, refused.Error.Trim()), Is.EqualTo((1,
            $"error: {PathOf("f.json")}: {Inputs.Size(content.Length)}, over the 2 KiB limit; raise it with --max-file-size or DUCTAPE_MAX_FILE_SIZE (such as 256MiB).")));

        Environment["DUCTAPE_MAX_FILE_SIZE"] = "2K";
        Assert.That((await Validate(content)).Error, Does.Contain("over the 2 KiB limit"));
        Assert.That((await Validate(content, "--max-file-size", "1MiB")).ExitCode, Is.EqualTo(0), "the option wins over the variable");

        var badSize = await Validate(content, "--max-file-size", "lots");
        Assert.That(badSize.Error.Trim(), Is.EqualTo("error: --max-file-size: 'lots' is not a size; use bytes or a number with KiB, MiB or GiB, up to 1GiB (such as 256MiB)."));

        var piped = await DuctapeWithInput(Encoding.UTF8.GetString(content), "sessions", "validate", "-", "--max-file-size", "1K");
        Assert.That(piped.Error.Trim(), Is.EqualTo("error: standard input: more than 1 KiB, over the 1 KiB limit; raise it with --max-file-size or DUCTAPE_MAX_FILE_SIZE (such as 256MiB)."));
    }

    [Test]
    [Platform(Exclude = "Win")]
    public async Task A_fifo_a_device_behind_a_link_and_a_directory_are_refused_without_being_opened()
    {
        var fifo = PathOf("fifo.json");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]))!)
        {
            await mkfifo.WaitForExitAsync();
        }

        File.CreateSymbolicLink(PathOf("zero.json"), "/dev/zero");

        // No writer ever opens the FIFO: opening it would block forever, so an answer at all proves it was not opened.
        var pipe = await Ductape("sessions", "validate", fifo);
        Assert.That((pipe.ExitCode, pipe.Error.Trim()), Is.EqualTo((1,
            $"error: {fifo}: is a named pipe (FIFO), not a regular file; to read a stream, pipe it to standard input and pass - as the file.")));
        Assert.That((await Ductape("sessions", "validate", PathOf("zero.json"))).Error, Does.Contain("zero.json: is a character device, not a regular file"));
        Assert.That((await Ductape("sessions", "plan", Dir)).Error.Trim(), Is.EqualTo($"error: {Dir}: is a directory, not a file."));
    }

    [Test]
    public async Task Standard_input_is_a_file_too()
    {
        var run = await DuctapeWithInput("[" + Valid + "]", "sessions", "validate", "-");

        Assert.That((run.ExitCode, run.Output.Trim()), Is.EqualTo((0, "stdin: 1 session type(s), valid.")));
        Assert.That((await DuctapeWithInput("[x", "sessions", "validate", "-")).Error, Does.StartWith("stdin(1,2): error: not valid JSON"));
    }

    [Test]
    public async Task Control_characters_in_a_file_are_escaped_in_every_message()
    {
        var hostile = Valid.Replace("\"tag\":\"a\"", "\"tag\":\"a\\u001b[2J\\r\\u202Eb\"", StringComparison.Ordinal);

        var run = await Validate(Utf8("[" + hostile + "]"));

        Assert.That(run.Error, Does.Contain("a\\u001B[2J\\r\\u202Eb: tag may contain only"));
        Assert.That(run.Error.Any(c => c is '\u001b' or '\r' or '\u202E'), Is.False);
    }
}
