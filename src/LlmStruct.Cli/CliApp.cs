using System.CommandLine;
using LlmStruct.Cli.Commands;
using LlmStruct.Cli.Logging;
using LlmStruct.Configuration;
using LlmStruct.Llm;
using LlmStruct.Llm.Cloud;
using LlmStruct.Llm.Local;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Cli;

/// <summary>The <c>llmstruct</c> command line: thin commands over the SDK packages.</summary>
public static class CliApp
{
    /// <summary>Runs the command line with the given arguments and output writers; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var console = new CliConsole(stdout, stderr);
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log the libraries' debug messages to stderr too (default: warnings and errors only).", Recursive = true };
        var otlp = new Option<string>("--otlp-endpoint")
        {
            Description = "Send this command's spans and metrics over OTLP/HTTP to this URL (default: the OTEL_EXPORTER_OTLP_* variables, if set).",
            Recursive = true,
        };
        var root = new RootCommand("llmstruct: turn a codebase into a deterministic struct.json and token-budgeted LLM context.")
        {
            verbose,
            otlp,
            ParseCommand.Create(console, CreateServices),
            ValidateCommand.Create(console),
            CacheCommand.Create(console),
            AskCommand.Create(console, CreateServices),
            ContextCommand.Create(console, CreateServices),
            AnalyzeCommand.Create(console, CreateServices),
            DiffCommand.Create(console, CreateServices),
            TasksCommand.Create(console, CreateServices, CreateServices),
            CiCommand.Create(console, CreateServices),
            ServeCommand.Create(console, AddParsers, ConfigureLogging, CreateServices),
            MetricsCommand.Create(console),
            McpCommand.Create(console, AddParsers, AddChain, ConfigureLogging),
            InitCommand.Create(console, CreateServices),
            BotCommand.Create(console, ConfigureLogging, CreateServices),
        };
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
        Telemetry.OtlpExport? export;
        try
        {
            export = Telemetry.OtlpExport.Start(parseResult.GetValue(otlp), parseResult.CommandResult.Command.Name, Environment.GetEnvironmentVariable);
        }
        catch (ArgumentException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UsageOrIo;
        }
        using (export)
        {
            int code = await parseResult.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken).ConfigureAwait(false);
            export?.Finish(code);
            return code;
        }
    }

    /// <summary>This invocation's logging (an async local: tests run several command lines at once).</summary>
    private static readonly AsyncLocal<CliLogging?> Logging = new();

    private static void ConfigureLogging(Microsoft.Extensions.Logging.ILoggingBuilder builder) =>
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
    private static void AddParsers(LlmStructBuilder builder) =>
        builder.AddCSharpParser().AddJavaScriptParser().AddTypeScriptParser().AddPythonParser().AddTasks();

    /// <summary>
    /// The services of <c>ask</c>: the LLM chain from <c>[llm]</c>, with the usage store and local model paths resolved
    /// against <paramref name="projectDirectory"/> (the folder of struct.json).
    /// </summary>
    internal static ServiceProvider CreateServices(LlmOptions llm, string projectDirectory)
    {
        var services = new ServiceCollection();
        services.AddLogging(ConfigureLogging);
        AddChain(services.AddLlmStruct(), llm, projectDirectory);
        return services.BuildServiceProvider();
    }

    /// <summary>The LLM chain from <c>[llm]</c> (see <see cref="CreateServices(LlmOptions, string)"/>) added to <paramref name="builder"/>.</summary>
    internal static void AddChain(LlmStructBuilder builder, LlmOptions llm, string projectDirectory)
    {
        var chain = builder.AddLlmStructLlm(o =>
        {
            o.UsageStorePath = Path.GetFullPath(llm.UsageStore, projectDirectory);
            foreach (var name in llm.Order)
            {
                o.Order.Add(name);
            }
        });
        foreach (var provider in llm.Providers)
        {
            if (provider.Kind == "local")
            {
                chain.AddLocalModel(LocalModelOptions.FromConfig(provider, projectDirectory));
            }
            else
            {
                chain.AddCloudModel(CloudModelOptions.FromConfig(provider));
            }
        }
    }
}
