using System.CommandLine;
using LlmStruct.Cli.Commands;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Cli;

/// <summary>
/// Which command lines the native front of the linux-x64 tool package runs itself. The package ships two Native AOT
/// binaries: <c>llmstruct-front</c>, the command users start, holds only <c>parse</c>, <c>validate</c>, <c>cache</c> and
/// <c>context</c> (the parsers, linking, the cache and the renderer: a small binary that starts in a fraction of the
/// full tool's time), and <c>llmstruct</c>, the whole tool. The front replaces itself with the whole tool (the same
/// process, arguments, streams and exit code) for every other command line: other commands, help, <c>--version</c>,
/// and telemetry export, which only the whole tool carries.
/// </summary>
internal static class FrontCommands
{
    /// <summary>The names of the commands the front runs (the first argument): those <see cref="Create"/> makes.</summary>
    public static readonly IReadOnlyList<string> Commands = ["parse", "validate", "cache", "context"];

    /// <summary>The commands the front runs, as both binaries build them (<paramref name="services"/>: the parser services).</summary>
    public static IEnumerable<Command> Create(CliConsole console, Func<ServiceProvider> services) =>
    [
        ParseCommand.Create(console, services),
        ValidateCommand.Create(console),
        CacheCommand.Create(console),
        ContextCommand.Create(console, services),
    ];

    /// <summary>The variables that turn OTLP export on without <c>--otlp-endpoint</c> (read by the OpenTelemetry SDK).</summary>
    public static readonly IReadOnlyList<string> OtlpEndpointVariables =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];

    /// <summary>The tokens that ask for help or the version anywhere on the line (System.CommandLine's spellings).</summary>
    private static readonly HashSet<string> HelpOrVersion = new(StringComparer.Ordinal) { "-h", "--help", "-?", "/?", "/h", "--version" };

    /// <summary>
    /// True when the front runs <paramref name="args"/> itself: the first argument is one of <see cref="Commands"/>,
    /// nothing on the line asks for help, the version or an OTLP endpoint, and no OTLP endpoint variable is set.
    /// Anything else goes to the whole tool, which answers every command line.
    /// </summary>
    public static bool RunsHere(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        if (args.Count == 0 || !Commands.Contains(args[0], StringComparer.Ordinal))
        {
            return false;
        }
        foreach (var arg in args)
        {
            if (HelpOrVersion.Contains(arg) || arg.StartsWith("--otlp-endpoint", StringComparison.Ordinal))
            {
                return false;
            }
        }
        return !OtlpEndpointConfigured(environment);
    }

    /// <summary>Whether one of <see cref="OtlpEndpointVariables"/> is set to something other than blanks.</summary>
    public static bool OtlpEndpointConfigured(Func<string, string?> environment) =>
        OtlpEndpointVariables.Any(v => !string.IsNullOrWhiteSpace(environment(v)));
}
