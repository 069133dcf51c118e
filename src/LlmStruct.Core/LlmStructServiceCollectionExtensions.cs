using LlmStruct.Context;
using LlmStruct.Linking;
using LlmStruct.Parsing;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmStruct;

/// <summary>DI entry point of the SDK.</summary>
public static class LlmStructServiceCollectionExtensions
{
    /// <summary>
    /// Adds the LlmStruct core services (parser registry, pipeline, linker with the Python/JavaScript/C# resolvers, context builder); chain <c>Add…Parser()</c> calls on the result.
    /// </summary>
    public static LlmStructBuilder AddLlmStruct(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ParserRegistry>();
        services.TryAddSingleton<StructPipeline>();
        services.TryAddSingleton<StructLinker>();
        services.TryAddSingleton<IContextBuilder, ContextBuilder>();
        return new LlmStructBuilder(services)
            .AddLinker<PythonLinker>()
            .AddLinker<JavaScriptLinker>()
            .AddLinker<TypeScriptLinker>()
            .AddLinker<CSharpLinker>();
    }
}
