using LlmStruct.Llm.Usage.Mlflow;

namespace LlmStruct.Llm.Tests.Telemetry;

/// <summary>A CI job's MLflow run: read from GitHub Actions' and GitLab CI's documented variables, names and URLs only.</summary>
public class CiJobTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void GitHubActions_RunIsNamedAndTaggedWithTheJob()
    {
        var job = CiJob.Read(Env(("GITHUB_ACTIONS", "true"), ("GITHUB_RUN_ID", "9123"), ("GITHUB_JOB", "context"), ("GITHUB_REF_NAME", "main"),
            ("GITHUB_REPOSITORY", "acme/shop"), ("GITHUB_SERVER_URL", "https://github.com"), ("GITHUB_TOKEN", "not-a-tag")));
        Assert.NotNull(job);
        Assert.Equal(new CiJob("github", "9123", "context", "main", "acme/shop", "https://github.com/acme/shop/actions/runs/9123"), job);
        Assert.Equal("ci-github-9123-context", job.RunName);

        var run = job.Tag(new MlflowRun { Experiment = "e", Name = job.RunName, Tags = [new("llmstruct.command", "metrics push"), new("mlflow.source.name", "llmstruct")] });
        var tags = run.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("ci", tags["llmstruct.command"]);
        Assert.Equal(("github", "9123", "context", "main", "acme/shop"), (tags["llmstruct.ci.system"], tags["llmstruct.ci.run_id"], tags["llmstruct.ci.job"], tags["llmstruct.ci.ref"], tags["llmstruct.ci.repository"]));
        Assert.Equal("https://github.com/acme/shop/actions/runs/9123", tags["llmstruct.ci.url"]);
        Assert.Equal("llmstruct", tags["mlflow.source.name"]);
        Assert.DoesNotContain(run.Tags, t => t.Value.Contains("not-a-tag", StringComparison.Ordinal));
    }

    [Fact]
    public void GitLabCi_UsesThePipelineAndTheJobUrl()
    {
        var job = CiJob.Read(Env(("GITLAB_CI", "true"), ("CI_PIPELINE_ID", "77"), ("CI_JOB_NAME", "llm review"), ("CI_COMMIT_REF_NAME", "feature/x"),
            ("CI_PROJECT_PATH", "group/app"), ("CI_JOB_URL", "https://gitlab.example/group/app/-/jobs/5")));
        Assert.Equal(new CiJob("gitlab", "77", "llm review", "feature/x", "group/app", "https://gitlab.example/group/app/-/jobs/5"), job);
        Assert.Equal("ci-gitlab-77-llm review", job!.RunName);
    }

    [Fact]
    public void OutsideCi_OrWithoutARunId_ThereIsNoJob()
    {
        Assert.Null(CiJob.Read(Env()));
        Assert.Null(CiJob.Read(Env(("GITHUB_ACTIONS", "true"))));
        Assert.Null(CiJob.Read(Env(("GITLAB_CI", "false"), ("CI_PIPELINE_ID", "1"))));
        var bare = CiJob.Read(Env(("GITHUB_ACTIONS", "true"), ("GITHUB_RUN_ID", "1")));
        Assert.Equal(("ci-github-1", null), (bare!.RunName, bare.Url));
        Assert.DoesNotContain(bare.Tag(new MlflowRun { Experiment = "e", Name = "n" }).Tags, t => t.Key == "llmstruct.ci.job");
    }
}
