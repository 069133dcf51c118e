namespace LlmStruct.Llm.Usage.Mlflow;

/// <summary>
/// The CI job a command runs in, read from the variables GitHub Actions and GitLab CI set: what an MLflow run of a CI
/// job is named and tagged with (<c>llmstruct metrics push --ci</c>). Names, numbers and URLs only: never a token.
/// </summary>
/// <param name="System">The CI system: <c>github</c> or <c>gitlab</c>.</param>
/// <param name="RunId">The workflow run (GitHub) or pipeline (GitLab) id.</param>
/// <param name="Job">The job's name, when set.</param>
/// <param name="Ref">The branch or tag, when set.</param>
/// <param name="Repository">The repository (<c>owner/name</c>, a GitLab project path), when set.</param>
/// <param name="Url">The run's or job's web page, when it can be made.</param>
public sealed record CiJob(string System, string RunId, string? Job, string? Ref, string? Repository, string? Url)
{
    /// <summary>
    /// The job described by <paramref name="environment"/> (a variable's value, or null), or null when it is neither a
    /// GitHub Actions run (<c>GITHUB_ACTIONS=true</c> with <c>GITHUB_RUN_ID</c>) nor a GitLab CI job
    /// (<c>GITLAB_CI=true</c> with <c>CI_PIPELINE_ID</c>).
    /// </summary>
    public static CiJob? Read(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Get(string name) => environment(name) is { Length: > 0 } value ? value.Trim() : null;
        if (Get("GITHUB_ACTIONS") == "true" && Get("GITHUB_RUN_ID") is { } runId)
        {
            var repository = Get("GITHUB_REPOSITORY");
            var server = Get("GITHUB_SERVER_URL") ?? "https://github.com";
            var url = repository is null ? null : $"{server.TrimEnd('/')}/{repository}/actions/runs/{runId}";
            return new CiJob("github", runId, Get("GITHUB_JOB"), Get("GITHUB_REF_NAME"), repository, url);
        }
        if (Get("GITLAB_CI") == "true" && Get("CI_PIPELINE_ID") is { } pipelineId)
        {
            return new CiJob("gitlab", pipelineId, Get("CI_JOB_NAME"), Get("CI_COMMIT_REF_NAME"), Get("CI_PROJECT_PATH"), Get("CI_JOB_URL") ?? Get("CI_PIPELINE_URL"));
        }
        return null;
    }

    /// <summary>The run's name: <c>ci-{system}-{run id}[-{job}]</c>.</summary>
    public string RunName => Job is null ? $"ci-{System}-{RunId}" : $"ci-{System}-{RunId}-{Job}";

    /// <summary><paramref name="run"/> named after this job and tagged with it (<c>llmstruct.ci.*</c>, <c>llmstruct.command</c> = <c>ci</c>).</summary>
    public MlflowRun Tag(MlflowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var tags = run.Tags.Where(t => t.Key != "llmstruct.command").ToList();
        tags.Add(new("llmstruct.command", "ci"));
        tags.Add(new("llmstruct.ci.system", System));
        tags.Add(new("llmstruct.ci.run_id", RunId));
        foreach (var (key, value) in new[] { ("llmstruct.ci.job", Job), ("llmstruct.ci.ref", Ref), ("llmstruct.ci.repository", Repository), ("llmstruct.ci.url", Url) })
        {
            if (value is not null)
            {
                tags.Add(new(key, value));
            }
        }
        return run with { Tags = tags };
    }
}
