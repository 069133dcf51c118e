using LlmStruct.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace LlmStruct.Cli.Logging;

/// <summary>
/// Where the libraries' log goes in the CLI: stderr, warnings and errors only unless <c>--verbose</c> (then debug too).
/// On the real console it is Microsoft.Extensions.Logging.Console; when the CLI runs with other writers (tests, a
/// host), the same lines go to that stderr writer. Every line passes the secret redactor first.
/// </summary>
internal sealed class CliLogging(TextWriter stderr, bool verbose)
{
    /// <summary>The lowest level written.</summary>
    public LogLevel MinimumLevel { get; } = verbose ? LogLevel.Debug : LogLevel.Warning;

    /// <summary>Adds the providers to <paramref name="builder"/>.</summary>
    public void Configure(ILoggingBuilder builder)
    {
        builder.ClearProviders();
        builder.SetMinimumLevel(MinimumLevel);
        ILoggerProvider inner;
        if (ReferenceEquals(stderr, Console.Error))
        {
            inner = new ConsoleLoggerProvider(new StaticOptions(new ConsoleLoggerOptions
            {
                LogToStandardErrorThreshold = LogLevel.Trace,
                FormatterName = ConsoleFormatterNames.Simple,
            }), [new SimpleLineFormatter()]);
        }
        else
        {
            inner = new WriterLoggerProvider(stderr);
        }
        builder.Services.AddSingleton<ILoggerProvider>(new RedactingLoggerProvider(inner));
    }

    private sealed class StaticOptions(ConsoleLoggerOptions value) : Microsoft.Extensions.Options.IOptionsMonitor<ConsoleLoggerOptions>
    {
        public ConsoleLoggerOptions CurrentValue => value;

        public ConsoleLoggerOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ConsoleLoggerOptions, string?> listener) => null;
    }

    /// <summary>One line per entry: <c>warning: [Category] message</c>, as the CLI's own warnings look.</summary>
    private sealed class SimpleLineFormatter() : ConsoleFormatter(ConsoleFormatterNames.Simple)
    {
        public override void Write<TState>(in Microsoft.Extensions.Logging.Abstractions.LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
        {
            var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
            textWriter.WriteLine(Line(logEntry.LogLevel, logEntry.Category, message));
        }
    }

    internal static string Line(LogLevel level, string category, string message)
    {
        var name = level switch
        {
            LogLevel.Critical or LogLevel.Error => "error",
            LogLevel.Warning => "warning",
            LogLevel.Information => "info",
            _ => "debug",
        };
        int dot = category.LastIndexOf('.');
        return $"{name}: [{(dot < 0 ? category : category[(dot + 1)..])}] {message}";
    }

    private sealed class WriterLoggerProvider(TextWriter writer) : ILoggerProvider
    {
        private readonly Lock _gate = new();

        public ILogger CreateLogger(string categoryName) => new WriterLogger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class WriterLogger(WriterLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = Line(logLevel, category, formatter(state, exception));
                lock (owner._gate)
                {
                    owner.Writer.WriteLine(line);
                }
            }
        }

        private TextWriter Writer => writer;
    }

    /// <summary>Formats each entry (with its exception's message) and redacts secrets before the inner provider sees it.</summary>
    private sealed class RedactingLoggerProvider(ILoggerProvider inner) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

        public void Dispose() => inner.Dispose();

        private sealed class RedactingLogger(ILogger inner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

            public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel))
                {
                    return;
                }
                var message = formatter(state, exception);
                if (exception is not null)
                {
                    message += $" ({exception.GetType().Name}: {exception.Message})";
                }
                inner.Log(logLevel, eventId, SourceRedactor.Default.Redact(message), null, static (text, _) => text);
            }
        }
    }
}
