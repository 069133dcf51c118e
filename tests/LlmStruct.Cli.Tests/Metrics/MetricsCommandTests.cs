using System.Text.Json;

namespace LlmStruct.Cli.Tests.Metrics;

/// <summary>
/// <c>llmstruct metrics</c> (table and JSON by day, provider and model) and <c>metrics push --mlflow</c> against a
/// stateful MLflow server that checks the REST API's field names and types.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsCommandTests
{
    [Fact]
    public async Task Metrics_prints_the_usage_store_by_day_provider_and_model()
    {
        using var llm = FakeOpenAIServer.Start("It starts in total().");
        using var project = new TelemetryProject(llm);
        var none = await TelemetryProject.CliAsync("metrics", "--input", project.Root);
        Assert.Equal(ExitCodes.UsageOrIo, none.ExitCode);
        Assert.Contains("no usage store at", none.Error, StringComparison.Ordinal);

        await project.ParseAsync();
        await project.AskAsync();
        await project.AskAsync();

        var json = await TelemetryProject.CliAsync("metrics", "--input", project.Root, "--json");
        Assert.True(json.ExitCode == 0, json.Error);
        var rows = JsonDocument.Parse(json.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal(["down/none", "fake/fake-model"], rows.Select(r => r.GetProperty("provider").GetString() + "/" + r.GetProperty("model").GetString()));
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(rows, r => Assert.Equal(today, r.GetProperty("day").GetString()));
        var fake = rows[1];
        Assert.Equal((2L, 0L, 42L, 18L), (fake.GetProperty("calls").GetInt64(), fake.GetProperty("failures").GetInt64(), fake.GetProperty("prompt_tokens").GetInt64(), fake.GetProperty("completion_tokens").GetInt64()));
        Assert.Equal((2L, 2L), (rows[0].GetProperty("calls").GetInt64(), rows[0].GetProperty("failures").GetInt64()));

        var table = await TelemetryProject.CliAsync("metrics", "--input", project.Root);
        Assert.True(table.ExitCode == 0, table.Error);
        var lines = table.Out.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.StartsWith("day", lines[0], StringComparison.Ordinal);
        Assert.Matches($@"^{today}\s+fake\s+fake-model\s+2\s+0\s+42\s+18\s", lines[2]);
    }

    [Fact]
    public async Task Push_logs_one_finished_mlflow_run_with_params_metrics_and_the_commit()
    {
        using var llm = FakeOpenAIServer.Start("It starts in total().");
        using var project = new TelemetryProject(llm);
        using var mlflow = FakeMlflowServer.Start();
        await project.ParseAsync();
        await project.AskAsync();
        const string commit = "0123456789abcdef0123456789abcdef01234567";
        const string token = "mlflow-token-not-to-be-printed-77";
        var saved = (Environment.GetEnvironmentVariable("GITHUB_SHA"), Environment.GetEnvironmentVariable("MLFLOW_TRACKING_TOKEN"));
        Environment.SetEnvironmentVariable("GITHUB_SHA", commit);
        Environment.SetEnvironmentVariable("MLFLOW_TRACKING_TOKEN", token);
        CliOutcome first, second;
        try
        {
            first = await TelemetryProject.CliAsync("metrics", "push", "--input", project.Root, "--mlflow", mlflow.Url, "--experiment", "llmstruct-tests");
            second = await TelemetryProject.CliAsync("metrics", "push", "--input", project.Root, "--mlflow", mlflow.Url + "/", "--experiment", "llmstruct-tests", "--run-name", "nightly");
        }
        finally
        {
            Environment.SetEnvironmentVariable("GITHUB_SHA", saved.Item1);
            Environment.SetEnvironmentVariable("MLFLOW_TRACKING_TOKEN", saved.Item2);
        }
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("logged MLflow run ", first.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(token, first.Out + first.Error + second.Out + second.Error, StringComparison.Ordinal);
        Assert.All(mlflow.Authorizations, a => Assert.Equal("Bearer " + token, a));

        // One experiment, created once and found the second time; two finished runs.
        Assert.Equal("1", Assert.Single(mlflow.Experiments).Value);
        Assert.Equal(1, mlflow.Requests.Count(r => r.Request == "POST /api/2.0/mlflow/experiments/create"));
        Assert.Equal(2, mlflow.Runs.Count);
        Assert.All(mlflow.Runs.Values, r => Assert.Equal(("1", "FINISHED"), (r.ExperimentId, r.Status)));
        Assert.All(mlflow.Runs.Values, r => Assert.NotNull(r.EndTime));
        var run = mlflow.Runs.Values.Single(r => r.Name == "llmstruct-0123456789ab");
        Assert.Contains(mlflow.Runs.Values, r => r.Name == "nightly");

        Assert.Equal("down,fake", run.Params["provider"]);
        Assert.Equal("fake-model,none", run.Params["model"]);
        Assert.Equal("2000", run.Params["budget"]);
        Assert.Equal(commit, run.Tags["mlflow.source.git.commit"]);
        Assert.Equal("llmstruct-0123456789ab", run.Tags["mlflow.runName"]);
        double Metric(string key) => Assert.Single(run.Metrics, m => m.Key == key).Value;
        Assert.Equal(21, Metric("llm/fake/fake-model/prompt_tokens"));
        Assert.Equal(9, Metric("llm/fake/fake-model/completion_tokens"));
        Assert.Equal(1, Metric("llm/fake/fake-model/calls"));
        Assert.Equal(1, Metric("llm/down/none/failures"));
        Assert.Equal(2, Metric("calls"));
        Assert.Equal(9, Metric("completion_tokens"));
        var step = long.Parse(DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(step, Assert.Single(run.Metrics, m => m.Key == "tokens/completion").Step);

        foreach (var (request, body) in mlflow.Requests)
        {
            TelemetryProject.AssertNothingLeaks("MLflow " + request, request + "\n" + body);
        }
    }

    [Fact]
    public async Task Push_with_ci_logs_one_run_per_ci_job_and_refuses_outside_ci()
    {
        using var llm = FakeOpenAIServer.Start("It starts in total().");
        using var project = new TelemetryProject(llm);
        using var mlflow = FakeMlflowServer.Start();
        await project.ParseAsync();
        await project.AskAsync();
        string[] names = ["GITHUB_ACTIONS", "GITHUB_RUN_ID", "GITHUB_JOB", "GITHUB_REPOSITORY", "GITHUB_SERVER_URL", "GITLAB_CI", "CI_PIPELINE_ID"];
        var saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        CliOutcome outside, inside;
        try
        {
            foreach (var name in names)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
            outside = await TelemetryProject.CliAsync("metrics", "push", "--input", project.Root, "--mlflow", mlflow.Url, "--ci");
            Environment.SetEnvironmentVariable("GITHUB_ACTIONS", "true");
            Environment.SetEnvironmentVariable("GITHUB_RUN_ID", "4242");
            Environment.SetEnvironmentVariable("GITHUB_JOB", "llm");
            Environment.SetEnvironmentVariable("GITHUB_REPOSITORY", "acme/shop");
            Environment.SetEnvironmentVariable("GITHUB_SERVER_URL", "https://github.com");
            inside = await TelemetryProject.CliAsync("metrics", "push", "--input", project.Root, "--mlflow", mlflow.Url, "--ci");
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
        Assert.Equal(ExitCodes.UsageOrIo, outside.ExitCode);
        Assert.Contains("no CI job found", outside.Error, StringComparison.Ordinal);
        Assert.True(inside.ExitCode == 0, inside.Error);
        var run = Assert.Single(mlflow.Runs.Values);
        Assert.Equal(("ci-github-4242-llm", "FINISHED"), (run.Name, run.Status));
        Assert.Equal("ci", run.Tags["llmstruct.command"]);
        Assert.Equal(("github", "4242", "llm", "acme/shop"), (run.Tags["llmstruct.ci.system"], run.Tags["llmstruct.ci.run_id"], run.Tags["llmstruct.ci.job"], run.Tags["llmstruct.ci.repository"]));
        Assert.Equal("https://github.com/acme/shop/actions/runs/4242", run.Tags["llmstruct.ci.url"]);
        Assert.Equal(2, run.Metrics.Single(m => m.Key == "calls").Value);
    }

    [Fact]
    public async Task Push_to_a_server_that_is_not_there_is_a_clear_error()
    {
        using var llm = FakeOpenAIServer.Start("It starts in total().");
        using var project = new TelemetryProject(llm);
        await project.ParseAsync();
        await project.AskAsync();
        var outcome = await TelemetryProject.CliAsync("metrics", "push", "--input", project.Root, "--mlflow", $"http://127.0.0.1:{FakeOpenAIServer.FreePort()}");
        Assert.Equal(ExitCodes.UsageOrIo, outcome.ExitCode);
        Assert.StartsWith("error: cannot reach the MLflow server at http://127.0.0.1:", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);
    }
}
