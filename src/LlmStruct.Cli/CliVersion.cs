using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace LlmStruct.Cli;

/// <summary>
/// What <c>llmstruct --version</c> prints: the version from Directory.Build.props and the commit the tool was built
/// from (the SDK appends it from git), e.g. <c>0.2.0+1a2b…</c>. Read from this assembly, not the entry assembly, so it
/// is the tool's own whoever hosts it.
/// </summary>
internal sealed class CliVersion : SynchronousCommandLineAction
{
    /// <summary>The informational version of the tool: <c>VERSION+COMMIT</c> (just <c>VERSION</c> when built outside git).</summary>
    public static string Text { get; } =
        typeof(CliVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Makes <paramref name="root"/>'s <c>--version</c> print <see cref="Text"/>.</summary>
    public static void Use(RootCommand root)
    {
        foreach (var option in root.Options.OfType<VersionOption>())
        {
            option.Action = new CliVersion();
        }
    }

    /// <inheritdoc />
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(Text);
        return ExitCodes.Ok;
    }
}
