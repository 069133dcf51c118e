using LlmStruct.Pipeline;
using LlmStruct.Tasks;
using LlmStruct.Tasks.Service;
using LlmStruct.Tasks.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmStruct;

/// <summary>Adds the tasks package to an LlmStruct host.</summary>
public static class TasksBuilderExtensions
{
    /// <summary>
    /// Registers the tasks services: <see cref="TasksOptions"/> (configured by <paramref name="configure"/>), the
    /// task service behind the <c>llmstruct tasks</c> commands, the tracker sync (<see cref="TaskSyncService"/>;
    /// the host makes the <see cref="IIssueTracker"/>, e.g. with <see cref="TaskSyncRunner.CreateTracker"/>),
    /// and the contributor that puts the tasks of <c>llmstruct.toml</c> into struct.json.
    /// </summary>
    public static LlmStructBuilder AddTasks(this LlmStructBuilder builder, Action<TasksOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TasksOptions>();
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }
        builder.Services.TryAddSingleton<TaskService>();
        builder.Services.TryAddSingleton<TaskSyncService>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IStructContributor, TaskStructContributor>());
        return builder;
    }
}
