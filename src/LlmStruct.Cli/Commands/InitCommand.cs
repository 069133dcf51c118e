using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Mcp.Continue;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Cli.Commands;

/// <summary>
/// <c>llmstruct init</c>: configuration for editors and agents. <c>init continue</c> writes the project's
/// <c>.continue/config.yaml</c> (<see cref="ContinueConfig"/>): merged into an existing one, or with <c>--force</c> a new
/// one (the old kept as <c>config.yaml.bak</c>). Exit 0 when written or already current, 2 for bad input or a config
/// that cannot be merged (nothing written).
/// </summary>
internal static class InitCommand
{
    public static Command Create(CliConsole console, Func<ServiceProvider> services) =>
        new("init", "Write editor and agent configuration for the project.") { Continue(console, services) };

    private static Command Continue(CliConsole console, Func<ServiceProvider> services)
    {
        var input = new Option<DirectoryInfo>("--input", "-i") { Description = "Project folder (default: the current folder); its struct.json gives the rules, else it is parsed.", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var port = new Option<int>("--port", "-p") { Description = "Port of `llmstruct serve`, whose OpenAI-compatible endpoint the local models go through.", DefaultValueFactory = _ => 5170 };
        var force = new Option<bool>("--force") { Description = "Write a new config instead of merging (the old one is kept as config.yaml.bak)." };
        var mcpCommand = new Option<string>("--mcp-command") { Description = "The command Continue runs for `llmstruct mcp`.", DefaultValueFactory = _ => "llmstruct" };
        var command = new Command("continue", "Write .continue/config.yaml: the local models through `llmstruct serve`, the cloud models of llmstruct.toml, the `llmstruct mcp` server and the struct's instructions as rules; merged into an existing config.")
        {
            input, port, force, mcpCommand,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var root = result.GetValue(input)!.FullName;
            int servePort = result.GetValue(port);
            if (!Directory.Exists(root))
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, $"input folder not found: {root}").ConfigureAwait(false);
            }
            if (servePort is < 1 or > 65535)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, "--port must be between 1 and 65535").ConfigureAwait(false);
            }
            if (string.IsNullOrWhiteSpace(result.GetValue(mcpCommand)))
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, "--mcp-command must not be empty").ConfigureAwait(false);
            }
            try
            {
                var config = await ConfigLoader.LoadAsync(ConfigFile.Find(null, root), cancellationToken).ConfigureAwait(false);
                foreach (var warning in config.Warnings)
                {
                    await console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
                }
                var document = await StructAsync(root, config, services, cancellationToken).ConfigureAwait(false);
                var setup = new ContinueSetup
                {
                    Name = Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar)) is { Length: > 0 } name ? name : "llmstruct",
                    ServePort = servePort,
                    Providers = config.Options.Llm.Providers,
                    Instructions = document.Instructions,
                    McpCommand = result.GetValue(mcpCommand)!.Trim(),
                };
                var written = await ContinueConfig.WriteAsync(root, setup, result.GetValue(force), cancellationToken).ConfigureAwait(false);
                string relative = Path.GetRelativePath(Environment.CurrentDirectory, written.Path);
                string what = written.Created ? "wrote" : written.Changed ? "updated" : "unchanged:";
                int rules = (document.Instructions.Base.Length > 0 ? 1 : 0) + (document.Instructions.Custom.Length > 0 ? 1 : 0);
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{what} {relative} (LlmStruct's entries: models {1 + config.Options.Llm.Providers.Count}, rules {rules}, the MCP server; serve's port {servePort})")).ConfigureAwait(false);
                if (written.Backup is not null)
                {
                    await console.Out.WriteLineAsync($"the previous config is in {Path.GetRelativePath(Environment.CurrentDirectory, written.Backup)}").ConfigureAwait(false);
                }
                return ExitCodes.Ok;
            }
            catch (Exception ex) when (ex is ContinueConfigException or ConfigException or IOException or UnauthorizedAccessException or JsonException)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
            }
        });
        return command;
    }

    /// <summary>The project's struct.json when there is one, else a fresh parse (not written).</summary>
    private static async Task<StructDocument> StructAsync(string root, LoadedConfig config, Func<ServiceProvider> services, CancellationToken cancellationToken)
    {
        var structPath = Path.Combine(root, "struct.json");
        if (File.Exists(structPath))
        {
            return await StructJson.ReadFileAsync(structPath, cancellationToken).ConfigureAwait(false);
        }
        using var provider = services();
        var request = new PipelineRequest { Root = root, Options = config.Options, ConfigPath = ConfigFile.Find(null, root), CollectionHoldBudget = ParseCommand.CollectionHoldBudget() };
        return (await provider.GetRequiredService<StructPipeline>().RunAsync(request, null, cancellationToken).ConfigureAwait(false)).Document;
    }
}
