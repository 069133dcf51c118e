using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace LlmStruct.Cli.Tests.Ci;

/// <summary>Runs only where the pinned validator is installed (tests/tools/action-validator/setup.sh; .ci/run runs it).</summary>
public sealed class ActionValidatorFactAttribute : FactAttribute
{
    public ActionValidatorFactAttribute()
    {
        if (!File.Exists(ActionValidationTests.Validator))
        {
            Skip = "@action-validator/cli is not installed: run tests/tools/action-validator/setup.sh (needs npm; .ci/run runs it)";
        }
    }
}

/// <summary>action.yml and the workflows pass an independent validator; the GitLab template is YAML with the documented keys.</summary>
public sealed class ActionValidationTests
{
    public static string Validator => Path.Combine(CliRunner.RepoRoot, "tests", "tools", "action-validator", "node_modules", ".bin", "action-validator");

    private static string[] GitHubFiles() =>
        [.. new[] { "action.yml" }
            .Concat(Directory.GetFiles(Path.Combine(CliRunner.RepoRoot, "integrations", "github"), "*.yml"))
            .Concat(Directory.GetFiles(Path.Combine(CliRunner.RepoRoot, ".github", "workflows"), "*.yml"))
            .Select(f => Path.GetRelativePath(CliRunner.RepoRoot, Path.Combine(CliRunner.RepoRoot, f)).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    [Fact]
    public void The_action_and_the_example_workflows_are_all_there()
    {
        Assert.Equal(
            [".github/workflows/llmstruct.yml", "action.yml", "integrations/github/chatbot.yml", "integrations/github/parse.yml"],
            GitHubFiles());
    }

    [ActionValidatorFact]
    public void Action_and_workflows_pass_action_validator()
    {
        foreach (var file in GitHubFiles())
        {
            var start = new ProcessStartInfo(Validator) { WorkingDirectory = CliRunner.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(file);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{file}: {stdout.Result}{stderr}");
        }
    }

    [ActionValidatorFact]
    public void The_validator_rejects_a_broken_action()
    {
        using var dir = new TempDir();
        var broken = dir.Write("action.yml", File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "action.yml")).Replace("      shell: bash\n", "      shel: bash\n", StringComparison.Ordinal));
        var start = new ProcessStartInfo(Validator) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(broken);
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(1, process.ExitCode);
    }

    [Fact]
    public void GitLab_template_is_yaml_with_the_documented_jobs_and_keys()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(CliRunner.RepoRoot, "integrations", "gitlab", "llmstruct.gitlab-ci.yml")))
        {
            stream.Load(reader);
        }
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        YamlNode At(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : throw new Xunit.Sdk.XunitException($"missing key '{key}'");
        string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";
        string Script(YamlMappingNode job) => string.Join("\n", ((YamlSequenceNode)At(job, "script")).Select(Scalar));

        var variables = (YamlMappingNode)At(root, "variables");
        foreach (var name in new[] { "LLMSTRUCT_VERSION", "LLMSTRUCT_BUDGET", "LLMSTRUCT_FAIL_ON", "LLMSTRUCT_ERROR_ISSUES" })
        {
            At(variables, name);
        }
        var hidden = (YamlMappingNode)At(root, ".llmstruct");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:", Scalar(At(hidden, "image")), StringComparison.Ordinal);
        Assert.Equal("0", Scalar(At((YamlMappingNode)At(hidden, "variables"), "GIT_DEPTH")));
        Assert.Contains(".llmstruct/cache/", ((YamlSequenceNode)At((YamlMappingNode)At(hidden, "cache"), "paths")).Select(Scalar));
        Assert.Contains("dotnet tool update LlmStruct.Cli", string.Join("\n", ((YamlSequenceNode)At(hidden, "before_script")).Select(Scalar)), StringComparison.Ordinal);

        var mergeRequest = (YamlMappingNode)At(root, "llmstruct:merge-request");
        Assert.Equal(".llmstruct", Scalar(At(mergeRequest, "extends")));
        Assert.Contains("merge_request_event", Scalar(At((YamlMappingNode)((YamlSequenceNode)At(mergeRequest, "rules"))[0], "if")), StringComparison.Ordinal);
        Assert.Contains("ci report --base $CI_MERGE_REQUEST_DIFF_BASE_SHA --head $CI_COMMIT_SHA", Script(mergeRequest), StringComparison.Ordinal);
        Assert.Contains("--gitlab $CI_PROJECT_PATH --merge-request $CI_MERGE_REQUEST_IID", Script(mergeRequest), StringComparison.Ordinal);

        var defaultBranch = (YamlMappingNode)At(root, "llmstruct:default-branch");
        Assert.Equal(".llmstruct", Scalar(At(defaultBranch, "extends")));
        Assert.Contains("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", Scalar(At((YamlMappingNode)((YamlSequenceNode)At(defaultBranch, "rules"))[0], "if")), StringComparison.Ordinal);
        Assert.Contains("llmstruct ci update --commit", Script(defaultBranch), StringComparison.Ordinal);
        Assert.Contains("ci errors --gitlab \"$CI_PROJECT_PATH\"", Script(defaultBranch), StringComparison.Ordinal);
    }
}
