using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LlmStruct.Cli.Tests;

public sealed class VersionTests
{
    [Fact]
    public async Task Version_prints_the_version_of_Directory_Build_props_and_the_commit_the_tool_was_built_from()
    {
        var outcome = await CliRunner.RunAsync("--version");

        Assert.Equal(0, outcome.ExitCode);
        var match = Regex.Match(outcome.Out.Trim(), "^(?<version>[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?)\\+(?<commit>[0-9a-f]{40})$");
        Assert.True(match.Success, $"expected VERSION+COMMIT, got '{outcome.Out.Trim()}'");
        var props = await File.ReadAllTextAsync(Path.Combine(CliRunner.RepoRoot, "Directory.Build.props"));
        Assert.Equal(Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value, match.Groups["version"].Value);
        Assert.Equal(await HeadCommitAsync(), match.Groups["commit"].Value);
    }

    private static async Task<string> HeadCommitAsync()
    {
        var start = new ProcessStartInfo("git", ["-C", CliRunner.RepoRoot, "rev-parse", "HEAD"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var git = Process.Start(start) ?? throw new InvalidOperationException("git did not start");
        var head = (await git.StandardOutput.ReadToEndAsync()).Trim();
        await git.WaitForExitAsync();
        Assert.Equal(0, git.ExitCode);
        return head;
    }
}
