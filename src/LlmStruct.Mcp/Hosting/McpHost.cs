using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace LlmStruct.Mcp.Hosting;

/// <summary>The project an MCP host serves.</summary>
public record McpHostOptions
{
    /// <summary>The project folder.</summary>
    public required string Root { get; init; }

    /// <summary>Parse again when files change (see <see cref="StructMcpOptions.WatchFiles"/>).</summary>
    public bool WatchFiles { get; init; } = true;
}

/// <summary>Where the streamable HTTP host listens, and its token.</summary>
public sealed record McpHttpOptions : McpHostOptions
{
    /// <summary>The address to bind: an IP address or <c>localhost</c> (default 127.0.0.1, loopback only).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port (0: a free one, reported in <see cref="RunningMcp.Url"/>).</summary>
    public int Port { get; init; } = 5171;

    /// <summary>The token clients send (<c>Authorization: Bearer …</c>); null to generate one (only on a loopback address).</summary>
    public string? Token { get; init; }
}

/// <summary>Refused settings (a non-loopback address without a token, an address that is not one, a bad port, no such folder).</summary>
public sealed class McpHostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public McpHostException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public McpHostException() { }

    /// <summary>Creates the exception with its cause.</summary>
    public McpHostException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A started streamable HTTP server.</summary>
public sealed class RunningMcp : IAsyncDisposable
{
    private readonly WebApplication _app;

    internal RunningMcp(WebApplication app, string url, string token, bool tokenGenerated)
    {
        _app = app;
        Url = url;
        Token = token;
        TokenGenerated = tokenGenerated;
    }

    /// <summary>The MCP endpoint (<c>http://127.0.0.1:5171/mcp</c>).</summary>
    public string Url { get; }

    /// <summary>The access token.</summary>
    public string Token { get; }

    /// <summary>Whether the token was generated (print it once: nobody else knows it).</summary>
    public bool TokenGenerated { get; }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled, then stops gracefully.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>
/// The hosts behind <c>llmstruct mcp</c>: MCP over standard input and output (one client, until it closes its end), or
/// streamable HTTP on loopback with a token. Logs go where <c>logging</c> sends them, never to standard output (the
/// protocol's channel in stdio mode).
/// </summary>
public static class McpHost
{
    /// <summary>
    /// Serves MCP over <paramref name="input"/> and <paramref name="output"/> (the process's standard streams for
    /// <c>llmstruct mcp</c>) until the client closes its end or <paramref name="cancellationToken"/> is cancelled.
    /// <paramref name="configure"/> adds the parsers (to parse a project without struct.json, and when files change)
    /// and the LLM chain.
    /// </summary>
    public static async Task RunStreamsAsync(
        McpHostOptions options, Stream input, Stream output, Action<LlmStructBuilder>? configure = null, Action<ILoggingBuilder>? logging = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        CheckRoot(options.Root);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        var llm = builder.Services.AddLlmStruct();
        configure?.Invoke(llm);
        llm.AddStructMcp(o => Configure(o, options), server => server.WithStreamServerTransport(input, output));
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks the settings and starts the streamable HTTP server at <c>/mcp</c>: every request needs the token
    /// (<c>Authorization: Bearer TOKEN</c>, or <c>?token=TOKEN</c> for clients that cannot set headers), and on a loopback
    /// address a request whose Host or Origin is not loopback is refused (DNS rebinding). Throws
    /// <see cref="McpHostException"/> for refused settings.
    /// </summary>
    public static async Task<RunningMcp> StartHttpAsync(
        McpHttpOptions options, Action<LlmStructBuilder>? configure = null, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = Address(options.Host);
        if (options.Port is < 0 or > 65535)
        {
            throw new McpHostException($"--port must be between 0 and 65535 (got {options.Port})");
        }
        bool loopback = address is null || IPAddress.IsLoopback(address);
        if (!loopback && string.IsNullOrEmpty(options.Token))
        {
            throw new McpHostException($"refusing to listen on {options.Host} (not a loopback address) with a generated token: give --token or LLMSTRUCT_MCP_TOKEN");
        }
        CheckRoot(options.Root);
        bool generated = string.IsNullOrEmpty(options.Token);
        var token = generated ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_') : options.Token!;

        // No configuration source is read: an appsettings.json or ASPNETCORE_* variable cannot rebind Kestrel.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
            if (address is null)
            {
                k.ListenLocalhost(options.Port);
            }
            else
            {
                k.Listen(address, options.Port);
            }
        });
        var llm = builder.Services.AddLlmStruct();
        configure?.Invoke(llm);
        // Sessions for clients of the initialize handshake (today's editors and agents: Mcp-Session-Id, several streams);
        // clients of the 2026-07-28 revision are served statelessly on the same endpoint.
        llm.AddStructMcp(o => Configure(o, options), server => server.WithHttpTransport(t => t.SessionMode = ModelContextProtocol.AspNetCore.HttpServerSessionMode.StatefulForInitializeClients));
        var app = builder.Build();
        var expected = Encoding.UTF8.GetBytes(token);
        app.Use(async (context, next) =>
        {
            if (loopback && !(IsLoopbackHost(context.Request.Host.Host) && IsLoopbackOrigin(context.Request.Headers.Origin)))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("forbidden: not a loopback host or origin\n", context.RequestAborted).ConfigureAwait(false);
                return;
            }
            if (!Authorized(context.Request, expected))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await context.Response.WriteAsync("unauthorized: send Authorization: Bearer TOKEN\n", context.RequestAborted).ConfigureAwait(false);
                return;
            }
            await next(context).ConfigureAwait(false);
        });
        app.MapMcp("/mcp");
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? $"http://{options.Host}:{options.Port}";
        return new RunningMcp(app, bound.TrimEnd('/') + "/mcp", token, generated);
    }

    private static void Configure(StructMcpOptions o, McpHostOptions options)
    {
        o.ProjectRoot = options.Root;
        o.WatchFiles = options.WatchFiles;
    }

    private static void CheckRoot(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new McpHostException($"input folder not found: {root}");
        }
    }

    private static bool Authorized(HttpRequest request, byte[] expected)
    {
        string? given = null;
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            given = header["Bearer ".Length..].Trim();
        }
        else if (request.Query.TryGetValue("token", out var query))
        {
            given = query.ToString();
        }
        return given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected);
    }

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static bool IsLoopbackOrigin(Microsoft.Extensions.Primitives.StringValues origin) =>
        origin.Count == 0 || (Uri.TryCreate(origin.ToString(), UriKind.Absolute, out var uri) && IsLoopbackHost(uri.Host));

    // null for "localhost" (both loopback addresses); else the IP address.
    private static IPAddress? Address(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return IPAddress.TryParse(host, out var ip) ? ip : throw new McpHostException($"--host must be an IP address or localhost (got '{host}')");
    }
}
