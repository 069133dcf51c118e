using System.CommandLine;
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
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var console = new CliConsole(stdout, stderr);
        var root = new RootCommand("llmstruct: turn a codebase into a deterministic struct.json and token-budgeted LLM context.")
        {
            ParseCommand.Create(console, CreateServices),
            ValidateCommand.Create(console),
            CacheCommand.Create(console),
            AskCommand.Create(console, CreateServices),
            ContextCommand.Create(console, CreateServices),
            AnalyzeCommand.Create(console, CreateServices),
            DiffCommand.Create(console, CreateServices),
            new Command("tasks", "Project tasks.") { TasksSyncCommand.Create(console) },
        };
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }
            await stderr.WriteLineAsync("Run 'llmstruct --help' for usage.").ConfigureAwait(false);
            return ExitCodes.UsageOrIo;
        }
        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The services every command uses: the SDK with all parser packages this tool ships.</summary>
    internal static ServiceProvider CreateServices()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLlmStruct()
            .AddCSharpParser()
            .AddJavaScriptParser()
            .AddPythonParser();
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// The services of <c>ask</c>: the LLM chain from <c>[llm]</c>, with the usage store and local model paths resolved
    /// against <paramref name="projectDirectory"/> (the folder of struct.json).
    /// </summary>
    internal static ServiceProvider CreateServices(LlmOptions llm, string projectDirectory)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var chain = services.AddLlmStruct().AddLlmStructLlm(o =>
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
        return services.BuildServiceProvider();
    }
}
