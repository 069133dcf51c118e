using System.Net;
using LlmStruct.Serve.Project;
using LlmStruct.Serve.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Serve.Hosting;

/// <summary>What <c>llmstruct serve</c> listens on and with which token.</summary>
public sealed record ServeHostOptions
{
    /// <summary>The project folder.</summary>
    public required string Root { get; init; }

    /// <summary>The address to bind: an IP address or <c>localhost</c> (default 127.0.0.1, loopback only).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port (0: a free one, reported in <see cref="RunningServe.Urls"/>).</summary>
    public int Port { get; init; } = 5170;

    /// <summary>The token; null to generate one (only allowed on a loopback address).</summary>
    public string? Token { get; init; }

    /// <summary>Largest request body accepted.</summary>
    public long MaxRequestBodyBytes { get; init; } = ServeOptions.DefaultMaxRequestBodyBytes;

    /// <summary>Follow the project's files and parse changes incrementally (see <see cref="ServeOptions.Watch"/>). Default true.</summary>
    public bool Watch { get; init; } = true;

    /// <summary>The LLM chain's composition for the work pages (see <see cref="ServeOptions.LlmServices"/>); null: they answer 503.</summary>
    public Func<LlmStruct.Configuration.LlmOptions, string, IServiceProvider>? LlmServices { get; init; }
}

/// <summary>Refused settings (a non-loopback address without a token, an address that is not one, a bad port).</summary>
public sealed class ServeHostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServeHostException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public ServeHostException() { }

    /// <summary>Creates the exception with its cause.</summary>
    public ServeHostException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A started server.</summary>
public sealed class RunningServe : IAsyncDisposable
{
    private readonly WebApplication _app;

    internal RunningServe(WebApplication app, IReadOnlyList<string> urls, string token, bool tokenGenerated)
    {
        _app = app;
        Urls = urls;
        Token = token;
        TokenGenerated = tokenGenerated;
    }

    /// <summary>The addresses it listens on (<c>http://127.0.0.1:5170</c>).</summary>
    public IReadOnlyList<string> Urls { get; }

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
/// The standalone host behind <c>llmstruct serve</c>: a slim ASP.NET Core app (Kestrel, minimal APIs, Native AOT) with
/// <c>AddServe</c> and <c>MapLlmStruct</c>, bound to loopback unless told otherwise (and then only with a token).
/// </summary>
public static class ServeHost
{
    /// <summary>
    /// Checks the settings, loads the project (struct.json, or a parse with the parsers <paramref name="configure"/>
    /// registers) and starts listening. Throws <see cref="ServeHostException"/> for refused settings and
    /// <see cref="ServeProjectException"/> when the project cannot be loaded.
    /// </summary>
    public static async Task<RunningServe> StartAsync(
        ServeHostOptions options, Action<LlmStructBuilder>? configure = null, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = Address(options.Host);
        if (options.Port is < 0 or > 65535)
        {
            throw new ServeHostException($"--port must be between 0 and 65535 (got {options.Port})");
        }
        bool loopback = address is null || IPAddress.IsLoopback(address);
        if (!loopback && string.IsNullOrEmpty(options.Token))
        {
            throw new ServeHostException($"refusing to listen on {options.Host} (not a loopback address) with a generated token: give --token or LLMSTRUCT_SERVE_TOKEN");
        }
        bool generated = string.IsNullOrEmpty(options.Token);
        var token = generated ? ServeAuth.NewToken() : options.Token!;
        if (!Directory.Exists(options.Root))
        {
            throw new ServeHostException($"input folder not found: {options.Root}");
        }

        // The content root is the tool's folder, and no configuration source is read: an appsettings.json or
        // ASPNETCORE_* variable in the project or environment can neither rebind Kestrel nor change the limits.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
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
        llm.AddServe(o =>
        {
            o.ProjectRoot = options.Root;
            o.Token = token;
            o.MaxRequestBodyBytes = options.MaxRequestBodyBytes;
            o.LlmServices = options.LlmServices;
            o.Watch = options.Watch;
        });
        var app = builder.Build();
        app.MapLlmStruct();
        try
        {
            await app.Services.GetRequiredService<ServeProject>().GetAsync(cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
        return new RunningServe(app, urls, token, generated);
    }

    // null for "localhost" (both loopback addresses); else the IP address.
    private static IPAddress? Address(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return IPAddress.TryParse(host, out var ip) ? ip : throw new ServeHostException($"--host must be an IP address or localhost (got '{host}')");
    }
}
