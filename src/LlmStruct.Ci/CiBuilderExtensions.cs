using LlmStruct.Ci.Errors;
using LlmStruct.Ci.Report;
using LlmStruct.Ci.Update;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmStruct;

/// <summary>Adds the CI package to an LlmStruct host.</summary>
public static class CiBuilderExtensions
{
    /// <summary>Registers the CI services: the revision parser and the change reporter behind <c>llmstruct ci report</c>, the struct.json updater behind <c>ci check</c> and <c>ci update</c>, and the parse-error issues of <c>ci errors</c>.</summary>
    public static LlmStructBuilder AddCi(this LlmStructBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<RevisionParser>();
        builder.Services.TryAddSingleton<ChangeReporter>();
        builder.Services.TryAddSingleton<StructUpdater>();
        builder.Services.TryAddSingleton<ErrorIssueSync>();
        return builder;
    }
}
