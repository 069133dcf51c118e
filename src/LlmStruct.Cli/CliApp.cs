using LlmStruct.Cli.Commands;
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
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        CliHost.RunAsync(args, stdout, stderr, console =>
        [
            .. FrontCommands.Create(console, CliHost.CreateServices),
            AskCommand.Create(console, CreateServices),
            AnalyzeCommand.Create(console, CreateServices),
            DiffCommand.Create(console, CreateServices),
            TasksCommand.Create(console, CliHost.CreateServices, CreateServices),
            CiCommand.Create(console, CliHost.CreateServices),
            ServeCommand.Create(console, CliHost.AddParsers, CliHost.ConfigureLogging, CreateServices),
            MetricsCommand.Create(console),
            McpCommand.Create(console, CliHost.AddParsers, AddChain, CliHost.ConfigureLogging),
            InitCommand.Create(console, CliHost.CreateServices),
            BotCommand.Create(console, CliHost.ConfigureLogging, CreateServices),
        ], (command, otlpEndpoint, invoke) => InvokeExportingAsync(command, otlpEndpoint, invoke, stderr), cancellationToken);

    /// <summary>Runs the command inside an OTLP export when <c>--otlp-endpoint</c> or the <c>OTEL_EXPORTER_OTLP_*</c> variables ask for one.</summary>
    private static async Task<int> InvokeExportingAsync(string command, string? otlpEndpoint, Func<Task<int>> invoke, TextWriter stderr)
    {
        Telemetry.OtlpExport? export;
        try
        {
            export = Telemetry.OtlpExport.Start(otlpEndpoint, command, Environment.GetEnvironmentVariable);
        }
        catch (ArgumentException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UsageOrIo;
        }
        using (export)
        {
            int code = await invoke().ConfigureAwait(false);
            export?.Finish(code);
            return code;
        }
    }

    /// <summary>
    /// The services of <c>ask</c>: the LLM chain from <c>[llm]</c>, with the usage store and local model paths resolved
    /// against <paramref name="projectDirectory"/> (the folder of struct.json).
    /// </summary>
    internal static ServiceProvider CreateServices(LlmOptions llm, string projectDirectory)
    {
        var services = new ServiceCollection();
        services.AddLogging(CliHost.ConfigureLogging);
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
