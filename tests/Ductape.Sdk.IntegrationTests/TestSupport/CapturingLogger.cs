using Microsoft.Extensions.Logging;

namespace Ductape.Sdk.IntegrationTests.TestSupport;

/// <summary>One log call: its formatted message and its structured state, flattened to text.</summary>
internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, string State = "");

/// <summary>Collects what the SDK logs, so tests can check levels, content, and that no secret leaks.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._entries)
            {
                var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                    ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}"))
                    : state?.ToString() ?? "";
                owner._entries.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception), structured));
            }
        }
    }
}
