using LlmStruct.Serve.Api;
using LlmStruct.Serve.Pages;
using LlmStruct.Serve.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmStruct.Serve;

/// <summary>Mounts the LlmStruct web UI and JSON API in a host's ASP.NET Core app.</summary>
public static class ServeEndpoints
{
    /// <summary>
    /// Maps the pages (<c>/tasks</c>, <c>/update_task</c>, <c>/code</c>, <c>/context</c>, <c>/analyze_task</c>, <c>/generate_diff</c>, <c>/usage</c>, <c>/login</c>) and the JSON API
    /// (<c>/api/tasks</c>, <c>/api/symbols</c>, <c>/api/context</c>, <c>/api/analyze_task</c>, <c>/api/generate_diff</c>, <c>/api/apply_diff</c>, <c>/api/usage</c>) and its OpenAPI document (<c>/openapi/v1.json</c>) registered by <c>AddServe</c>, and the OpenAI-compatible
    /// <c>/v1/models</c> and <c>/v1/chat/completions</c> (the serve token as the API key). Every API call
    /// needs the token (<c>Authorization: Bearer</c>; the login cookie for reads), every page with project data the
    /// login cookie, every form its anti-forgery token; bodies past <see cref="ServeOptions.MaxRequestBodyBytes"/>
    /// are refused (413). Returns the group of all endpoints, for the host's own conventions.
    /// </summary>
    public static RouteGroupBuilder MapLlmStruct(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<ServeOptions>>().Value;
        var all = endpoints.MapGroup("");
        all.AddEndpointFilter(async (context, next) =>
            RequestBody.DeclaredTooLarge(context.HttpContext.Request, options.MaxRequestBodyBytes) ? TooLarge(options) : await next(context).ConfigureAwait(false));

        var api = all.MapGroup("/api").WithTags("llmstruct");
        api.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var auth = http.RequestServices.GetRequiredService<ServeAuth>();
            // The cookie counts for reads only: a change through the API needs the header (no cross-site form can set it).
            bool safe = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
            if (!auth.IsAuthorized(http, allowCookie: safe))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return TypedResults.Problem(title: "Unauthorized", detail: "send the serve token: Authorization: Bearer <token>", statusCode: StatusCodes.Status401Unauthorized);
            }
            return await next(context).ConfigureAwait(false);
        });
        ApiEndpoints.Map(api);
        Work.WorkEndpoints.MapApi(api);
        Usage.UsageEndpoints.MapApi(api);

        LoginPage.Map(all);
        var pages = all.MapGroup("").ExcludeFromDescription();
        pages.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var auth = http.RequestServices.GetRequiredService<ServeAuth>();
            if (!auth.IsAuthorized(http, allowCookie: true))
            {
                return HttpMethods.IsGet(http.Request.Method)
                    ? TypedResults.Redirect("/login?return=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString))
                    : TypedResults.Problem(title: "Unauthorized", detail: "log in first", statusCode: StatusCodes.Status401Unauthorized);
            }
            return await next(context).ConfigureAwait(false);
        });
        TaskPages.Map(pages);
        CodePages.Map(pages);
        ContextPage.Map(pages);
        Work.WorkEndpoints.MapPages(pages);
        Usage.UsageEndpoints.MapPages(pages);
        Metrics.MetricsEndpoint.Map(all);
        OpenAi.OpenAiEndpoints.Map(endpoints);
        // The API's description (no project data in it): /openapi/v1.json, linked from every page.
        endpoints.MapOpenApi();
        return all;
    }

    /// <summary>The 413 answer.</summary>
    internal static IResult TooLarge(ServeOptions options) =>
        TypedResults.Problem(title: "Request body too large", detail: $"the body is larger than {options.MaxRequestBodyBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
}
