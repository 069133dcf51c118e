using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace LlmStruct.TestSupport;

/// <summary>
/// The part the Kestrel-based fake servers share: a slim web application on 127.0.0.1 only (HTTP/1.1, a port the
/// system picks, no logging), its base URL once started, its stop, and reading and answering plain bodies.
/// </summary>
internal static class LoopbackKestrel
{
    /// <summary>An application that will listen on 127.0.0.1 at an ephemeral port; <paramref name="configure"/> adds limits.</summary>
    public static WebApplication Create(Action<KestrelServerOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1);
            configure?.Invoke(k);
        });
        return builder.Build();
    }

    /// <summary>Starts <paramref name="app"/>; its base URL (<c>http://127.0.0.1:PORT</c>, without a trailing slash).</summary>
    public static async Task<string> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        return app.Urls.Single().TrimEnd('/');
    }

    /// <summary>Stops <paramref name="app"/> (within the host's shutdown timeout) and disposes it.</summary>
    public static async ValueTask StopAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>The request body as UTF-8 text.</summary>
    public static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Answers <paramref name="status"/> with the JSON text <paramref name="json"/>.</summary>
    public static async Task WriteJsonAsync(HttpResponse response, int status, string json)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.WriteAsync(json);
    }
}
