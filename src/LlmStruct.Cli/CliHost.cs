using System.CommandLine;
using LlmStruct.Cli.Logging;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Cli;

/// <summary>
/// What every <c>llmstruct</c> command line shares, whichever binary runs it: the root command with its recursive
/// options, argument errors, logging, and the parser services. The full tool (<c>CliApp</c>) runs every command
/// through it; the native front of the linux-x64 package (<c>llmstruct-front</c>, see <see cref="FrontCommands"/>) runs
/// the commands that need only the parsers through the same code, so both binaries answer alike.
/// </summary>
internal static class CliHost
{
    /// <summary>
    /// Runs the chosen command's invocation (<paramref name="invoke"/>) for <paramref name="command"/> with the
    /// <c>--otlp-endpoint</c> value given; returns the exit code. The full tool exports telemetry around it.
    /// </summary>
    internal delegate Task<int> Invoker(string command, string? otlpEndpoint, Func<Task<int>> invoke);

    /// <summary>
    /// Parses <paramref name="args"/> against a root command made of <paramref name="commands"/> and runs the chosen one
    /// through <paramref name="invoker"/>; argument errors are printed to <paramref name="stderr"/> (exit code 2).
    /// </summary>
    public static async Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, Func<CliConsole, IEnumerable<Command>> commands, Invoker invoker, CancellationToken cancellationToken)
    {
        var console = new CliConsole(stdout, stderr);
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log the libraries' debug messages to stderr too (default: warnings and errors only).", Recursive = true };
        var otlp = new Option<string>("--otlp-endpoint")
        {
            Description = "Send this command's spans and metrics over OTLP/HTTP to this URL (default: the OTEL_EXPORTER_OTLP_* variables, if set).",
            Recursive = true,
        };
        var root = new RootCommand("llmstruct: turn a codebase into a deterministic struct.json and token-budgeted LLM context.") { verbose, otlp };
        foreach (var command in commands(console))
        {
            root.Subcommands.Add(command);
        }
        CliVersion.Use(root);
        // No response files: an argument such as `--assign @kim` is a value, not a file to read arguments from.
        var parseResult = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await stderr.WriteLineAsync($"error: {Readable(error.Message)}").ConfigureAwait(false);
            }
            await stderr.WriteLineAsync("Run 'llmstruct --help' for usage.").ConfigureAwait(false);
            return ExitCodes.UsageOrIo;
        }
        Logging.Value = new CliLogging(stderr, parseResult.GetValue(verbose));
        return await invoker(
            parseResult.CommandResult.Command.Name,
            parseResult.GetValue(otlp),
            () => parseResult.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>This invocation's logging (an async local: tests run several command lines at once).</summary>
    private static readonly AsyncLocal<CliLogging?> Logging = new();

    /// <summary>Logging as this invocation's <c>--verbose</c> asks (warnings and errors to stderr by default).</summary>
    internal static void ConfigureLogging(Microsoft.Extensions.Logging.ILoggingBuilder builder) =>
        (Logging.Value ?? new CliLogging(Console.Error, verbose: false)).Configure(builder);

    /// <summary>
    /// The parser's message with .NET type names in words: "Cannot parse argument 'abc' for option '--jobs' as
    /// expected type 'System.Nullable`1[System.Int32]'" names the type a user has to write.
    /// </summary>
    internal static string Readable(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @"as expected type '([^']+)'\.?", m => "as " + TypeInWords(m.Groups[1].Value) + ".");

    private static string TypeInWords(string type)
    {
        var inner = System.Text.RegularExpressions.Regex.Match(type, @"^System\.Nullable`1\[(.+)\]$") is { Success: true } nullable ? nullable.Groups[1].Value : type;
        return inner switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" or "System.UInt32" or "System.UInt64" => "a whole number",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Boolean" => "true or false",
            _ => "a value of the expected kind",
        };
    }

    /// <summary>The services every command uses: the SDK with all parser packages this tool ships.</summary>
    internal static ServiceProvider CreateServices()
    {
        var services = new ServiceCollection();
        services.AddLogging(ConfigureLogging);
        AddParsers(services.AddLlmStruct().AddCi());
        return services.BuildServiceProvider();
    }

    /// <summary>The parser packages this tool ships, and the tasks package.</summary>
    internal static void AddParsers(LlmStructBuilder builder) =>
        builder.AddCSharpParser().AddJavaScriptParser().AddTypeScriptParser().AddPythonParser().AddTasks();
}
