using LlmStruct.Serve.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlmStruct.Serve.Metrics;

/// <summary>
/// <c>GET /metrics</c>: LlmStruct's instruments in Prometheus's text format (0.0.4). The series describe the project's
/// work (parse sizes, models, token counts), so the token is needed like for the API: Prometheus sends it with
/// <c>authorization: { credentials: … }</c> (or <c>bearer_token_file</c>) in its scrape config.
/// </summary>
internal static class MetricsEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var collector = new PrometheusCollector();
        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(collector.Dispose);
        endpoints.MapGet("/metrics", (HttpContext http) =>
        {
            var auth = http.RequestServices.GetRequiredService<ServeAuth>();
            if (!auth.IsAuthorized(http, allowCookie: true))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Text("send the serve token: Authorization: Bearer <token>\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            }
            return Results.Text(collector.Scrape(), ContentType);
        }).ExcludeFromDescription();
    }
}
