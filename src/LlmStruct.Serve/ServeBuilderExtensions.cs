using LlmStruct.Serve;
using LlmStruct.Serve.Api;
using LlmStruct.Serve.Project;
using LlmStruct.Serve.Security;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmStruct;

/// <summary>Adds the web UI and API package to an LlmStruct host.</summary>
public static class ServeBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="ServeOptions"/> (configured by <paramref name="configure"/>), the loaded project (struct.json
    /// and its symbol index), the tasks package, anti-forgery, problem details and the OpenAPI document; <c>app.MapLlmStruct()</c> mounts the
    /// endpoints.
    /// </summary>
    public static LlmStructBuilder AddServe(this LlmStructBuilder builder, Action<ServeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddTasks();
        builder.Services.Configure(configure);
        builder.Services.TryAddSingleton<ServeProject>();
        builder.Services.TryAddSingleton<ServeAuth>();
        builder.Services.TryAddSingleton<ServeTasks>();
        builder.Services.TryAddSingleton<Serve.Work.ServeWork>();
        builder.Services.AddHostedService<ServeWatch>();
        builder.Services.AddAntiforgery();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.Configure<JsonOptions>(o => 
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ServeJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(1, Serve.Work.WorkJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(2, Serve.Usage.UsageJsonContext.Default);
        });
        return builder;
    }
}
