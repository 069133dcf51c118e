using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Ci.Tests;

/// <summary>The SDK with the Python parser and the CI package, as a host would register them.</summary>
internal static class Services
{
    public static ServiceProvider Create()
    {
        var services = new ServiceCollection();
        services.AddLlmStruct().AddPythonParser().AddTasks().AddCi();
        return services.BuildServiceProvider();
    }
}
