using System.Diagnostics.CodeAnalysis;
using LlmStruct.Linking;
using LlmStruct.Parsing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmStruct;

/// <summary>Returned by <see cref="LlmStructServiceCollectionExtensions.AddLlmStruct"/>; packages add themselves to it (<c>.AddPythonParser()</c>…).</summary>
public sealed class LlmStructBuilder
{
    internal LlmStructBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection being composed.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Registers a language parser (once, however often it is called).</summary>
    public LlmStructBuilder AddParser<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TParser>()
        where TParser : class, ILanguageParser
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILanguageParser, TParser>());
        return this;
    }

    /// <summary>
    /// Registers a language linker (imports → modules, calls → definitions) once; a linker for a language that
    /// already has one replaces it in <see cref="StructLinker"/> (the last registered wins).
    /// </summary>
    public LlmStructBuilder AddLinker<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TLinker>()
        where TLinker : class, ILanguageLinker
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILanguageLinker, TLinker>());
        return this;
    }
}
