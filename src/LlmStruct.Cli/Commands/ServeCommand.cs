using System.CommandLine;
using LlmStruct.Serve.Hosting;
using LlmStruct.Serve.Project;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Cli.Commands;

/// <summary>
/// <c>llmstruct serve</c>: the web UI and JSON API over the project (<see cref="ServeHost"/>), until Ctrl+C or SIGTERM.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The environment variable that gives the token when <c>--token</c> is not.</summary>
    public const string TokenVariable = "LLMSTRUCT_SERVE_TOKEN";

    public static Command Create(
        CliConsole console, Action<LlmStructBuilder> parsers, Action<ILoggingBuilder> logging, Func<LlmStruct.Configuration.LlmOptions, string, IServiceProvider> llm)
    {
        var input = new Option<DirectoryInfo>("--input", "-i") { Description = "Project folder (default: the current folder); its struct.json is served, else it is parsed.", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var port = new Option<int>("--port", "-p") { Description = "Port (0: a free one).", DefaultValueFactory = _ => 5170 };
        var host = new Option<string>("--host") { Description = "Address to bind: an IP address or localhost. Anything but loopback needs a token.", DefaultValueFactory = _ => "127.0.0.1" };
        var token = new Option<string>("--token") { Description = $"Access token (default: ${TokenVariable}, else one is generated and printed once)." };
        var noWatch = new Option<bool>("--no-watch") { Description = "Do not follow file changes (by default edits are parsed incrementally while serving, as parse --watch does)." };
        var command = new Command("serve", "Serve a web UI and JSON API for the project's tasks, code map, context, LLM usage and LLM work (analyze, diff).") { input, port, host, token, noWatch };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new ServeHostOptions
            {
                Root = result.GetValue(input)!.FullName,
                Port = result.GetValue(port),
                Host = result.GetValue(host)!,
                LlmServices = llm,
                Watch = !result.GetValue(noWatch),
                Token = result.GetValue(token) is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } env ? env : null,
            };
            RunningServe server;
            try
            {
                server = await ServeHost.StartAsync(options, parsers, logging, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ServeHostException or ServeProjectException or IOException)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
            }
            await using (server.ConfigureAwait(false))
            {
                foreach (var url in server.Urls)
                {
                    await console.Out.WriteLineAsync($"listening on {url}").ConfigureAwait(false);
                }
                if (server.TokenGenerated)
                {
                    await console.Out.WriteLineAsync($"token: {server.Token}").ConfigureAwait(false);
                }
                await console.Out.WriteLineAsync("press Ctrl+C to stop").ConfigureAwait(false);
                await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                await server.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
