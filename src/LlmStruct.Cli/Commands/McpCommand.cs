using System.CommandLine;
using LlmStruct.Configuration;
using LlmStruct.Mcp.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Cli.Commands;

/// <summary>
/// <c>llmstruct mcp</c>: a Model Context Protocol server over the project (<see cref="McpHost"/>): over standard input and
/// output (stdout carries only the protocol; logs go to stderr), or with <c>--http</c> streamable HTTP on loopback with a
/// token. The LLM tools use the providers of the project's llmstruct.toml. Exit 0 when the client or Ctrl+C ends it,
/// 2 for bad settings or a project that cannot be loaded.
/// </summary>
internal static class McpCommand
{
    /// <summary>The environment variable that gives the token when <c>--token</c> is not.</summary>
    public const string TokenVariable = "LLMSTRUCT_MCP_TOKEN";

    public static Command Create(
        CliConsole console, Action<LlmStructBuilder> parsers, Action<LlmStructBuilder, LlmOptions, string> chain, Action<ILoggingBuilder> logging)
    {
        var input = new Option<DirectoryInfo>("--input", "-i") { Description = "Project folder (default: the current folder); its struct.json is served, else it is parsed.", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var http = new Option<bool>("--http") { Description = "Serve streamable HTTP at /mcp instead of standard input and output." };
        var port = new Option<int>("--port", "-p") { Description = "Port with --http (0: a free one).", DefaultValueFactory = _ => 5171 };
        var host = new Option<string>("--host") { Description = "Address to bind with --http: an IP address or localhost. Anything but loopback needs a token.", DefaultValueFactory = _ => "127.0.0.1" };
        var token = new Option<string>("--token") { Description = $"Access token with --http (default: ${TokenVariable}, else one is generated and printed once)." };
        var noWatch = new Option<bool>("--no-watch") { Description = "Do not parse again when files change (struct.json is still read again when it changes)." };
        var command = new Command("mcp", "Serve the project to MCP clients (Claude Code, VS Code, Continue…): code-structure tools, tasks, LLM analyze/diff, struct resources.")
        {
            input, http, port, host, token, noWatch,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var root = result.GetValue(input)!.FullName;
            if (!Directory.Exists(root))
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, $"input folder not found: {root}").ConfigureAwait(false);
            }
            LoadedConfig config;
            try
            {
                config = await ConfigLoader.LoadAsync(ConfigFile.Find(null, root), cancellationToken).ConfigureAwait(false);
            }
            catch (ConfigException ex)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
            }
            foreach (var warning in config.Warnings)
            {
                await console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
            }
            void Configure(LlmStructBuilder builder)
            {
                parsers(builder);
                if (config.Options.Llm.Providers.Count > 0)
                {
                    chain(builder, config.Options.Llm, root);
                }
            }
            bool watch = !result.GetValue(noWatch);
            try
            {
                if (!result.GetValue(http))
                {
                    await McpHost.RunStreamsAsync(new McpHostOptions { Root = root, WatchFiles = watch }, Console.OpenStandardInput(), Console.OpenStandardOutput(),
                        Configure, logging, cancellationToken).ConfigureAwait(false);
                    return ExitCodes.Ok;
                }
                var options = new McpHttpOptions
                {
                    Root = root,
                    WatchFiles = watch,
                    Port = result.GetValue(port),
                    Host = result.GetValue(host)!,
                    Token = result.GetValue(token) is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } env ? env : null,
                };
                var server = await McpHost.StartHttpAsync(options, Configure, logging, cancellationToken).ConfigureAwait(false);
                await using (server.ConfigureAwait(false))
                {
                    await console.Out.WriteLineAsync($"listening on {server.Url}").ConfigureAwait(false);
                    if (server.TokenGenerated)
                    {
                        await console.Out.WriteLineAsync($"token: {server.Token}").ConfigureAwait(false);
                    }
                    await console.Out.WriteLineAsync("press Ctrl+C to stop").ConfigureAwait(false);
                    await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                    await server.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                return ExitCodes.Ok;
            }
            catch (Exception ex) when (ex is McpHostException or IOException)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
            }
        });
        return command;
    }
}
