using System.Globalization;
using Ductape.Sdk;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Reads <see cref="DuctapeClientOptions"/> from a configuration section (by convention <c>Ductape</c>) by hand: every key is
/// named here, so there is no reflection and the package stays trimming- and AOT-clean. Unreadable values are reported by
/// the start-up validation, each naming its key.
/// </summary>
internal static class DuctapeConfiguration
{
    public static void Apply(IConfiguration section, DuctapeClientOptions options)
    {
        var problems = new List<string>();
        var path = section is IConfigurationSection s ? s.Path : "Ductape";
        if (!section.GetChildren().Any())
        {
            // Say where we looked: "AccessKey is required" alone sends people hunting for the wrong problem.
            problems.Add($"The configuration section '{path}' is missing or empty: check its name (AddDuctape(configuration.GetSection(\"Ductape\"))).");
        }

        Text(section, "AccessKey", v => options.AccessKey = v);
        Text(section, "PublishableKey", v => options.PublishableKey = v);
        Text(section, "Product", v => options.Product = v);
        Text(section, "Env", v => options.Env = v);
        Text(section, "BaseUrl", v =>
        {
            if (Uri.TryCreate(v, UriKind.Absolute, out var url))
            {
                options.BaseUrl = url;
            }
            else
            {
                problems.Add($"{path}:BaseUrl is not an absolute URL.");
            }
        });
        Time(section, "Timeout", path, problems, v => options.Timeout = v);
        Time(section, "RevocationRecheckInterval", path, problems, v => options.RevocationRecheckInterval = v);
        Text(section, "MaxResponseBytes", v =>
        {
            if (int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                options.MaxResponseBytes = n;
            }
            else
            {
                problems.Add($"{path}:MaxResponseBytes is not a whole number.");
            }
        });

        var retry = section.GetSection("Retry");
        Text(retry, "MaxRetries", v =>
        {
            if (int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                options.Retry.MaxRetries = n;
            }
            else
            {
                problems.Add($"{path}:Retry:MaxRetries is not a whole number.");
            }
        });
        Time(retry, "BaseDelay", path + ":Retry", problems, v => options.Retry.BaseDelay = v);
        Time(retry, "MaxDelay", path + ":Retry", problems, v => options.Retry.MaxDelay = v);
        Time(retry, "MaxRetryAfter", path + ":Retry", problems, v => options.Retry.MaxRetryAfter = v);
        Time(retry, "AttemptTimeout", path + ":Retry", problems, v => options.Retry.AttemptTimeout = v);

        foreach (var child in section.GetSection("SessionKeys").GetChildren())
        {
            // Checked here to name the configuration path; never echo the value: it is a secret.
            if (SessionKey.TryParse(child.Value, out _))
            {
                options.SessionKeyTexts.Add(child.Value!);
            }
            else
            {
                problems.Add($"{child.Path} is not a session key ({SessionKey.TextForm}).");
            }
        }

        options.ConfigurationProblems = problems.Count == 0 ? null : problems;
        options.ConfigurationPath = path;
        options.ConfigurationWarnings = UnknownKeys(section, path);
    }

    private static readonly string[] Settings =
    [
        "AccessKey", "PublishableKey", "Product", "Env", "BaseUrl", "Timeout", "RevocationRecheckInterval", "MaxResponseBytes",
        "Retry", "SessionKeys",
    ];

    private static readonly string[] RetrySettings = ["MaxRetries", "BaseDelay", "MaxDelay", "MaxRetryAfter", "AttemptTimeout"];

    /// <summary>Keys that are not settings (a typo is otherwise ignored in silence), each with the nearest setting's name.</summary>
    private static List<string>? UnknownKeys(IConfiguration section, string path)
    {
        List<string>? warnings = null;
        void Check(IConfiguration level, string[] known, string where)
        {
            foreach (var child in level.GetChildren())
            {
                if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                {
                    var nearest = known.MinBy(k => Distance(k.ToUpperInvariant(), child.Key.ToUpperInvariant()))!;
                    (warnings ??= []).Add($"{where}:{child.Key} is not a Ductape setting and is ignored" +
                        (Distance(nearest.ToUpperInvariant(), child.Key.ToUpperInvariant()) <= 3 ? $"; did you mean {where}:{nearest}?" : "."));
                }
            }
        }

        Check(section, Settings, path);
        Check(section.GetSection("Retry"), RetrySettings, path + ":Retry");
        return warnings;
    }

    /// <summary>Levenshtein distance, for "did you mean" (short setting names only).</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private static void Text(IConfiguration section, string key, Action<string> apply)
    {
        if (section[key] is { Length: > 0 } value)
        {
            apply(value);
        }
    }

    private static void Time(IConfiguration section, string key, string path, List<string> problems, Action<TimeSpan> apply) =>
        Text(section, key, v =>
        {
            if (TimeSpan.TryParse(v, CultureInfo.InvariantCulture, out var time))
            {
                apply(time);
            }
            else
            {
                problems.Add($"{path}:{key} is not a time span such as 00:00:30.");
            }
        });
}
