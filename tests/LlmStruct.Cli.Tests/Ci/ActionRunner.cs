using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace LlmStruct.Cli.Tests.Ci;

/// <summary>
/// Runs a composite action's steps as a GitHub runner does: inputs from the action's defaults and the caller's
/// <c>with</c>, <c>${{ … }}</c> expressions (only <c>inputs.*</c>, <c>steps.*.outputs.*</c> and <c>github.token</c>:
/// anything else fails the test, so the action stays within what this harness checks), each <c>run:</c> step through
/// <c>bash --noprofile --norc -eo pipefail</c> (GitHub's <c>shell: bash</c>) in its <c>working-directory</c>, with the
/// runner's variables (<c>GITHUB_EVENT_NAME</c>, <c>GITHUB_EVENT_PATH</c>, <c>GITHUB_OUTPUT</c> per step,
/// <c>GITHUB_STEP_SUMMARY</c>, <c>GITHUB_REPOSITORY</c>, <c>GITHUB_REF</c>, <c>GITHUB_API_URL</c>, <c>RUNNER_TEMP</c>…) and
/// the step's <c>env</c>. A <c>uses:</c> step (upload-artifact) is recorded, not run. The first failing step ends the run.
/// </summary>
internal sealed partial class ActionRunner
{
    private readonly YamlMappingNode _action;

    public ActionRunner(string actionPath)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(actionPath))
        {
            stream.Load(reader);
        }
        _action = (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public sealed record Outcome(int ExitCode, string? FailedStep, string Log, string Summary, IReadOnlyDictionary<string, Dictionary<string, string>> Outputs, IReadOnlyList<string> Uses);

    public async Task<Outcome> RunAsync(string workspace, IReadOnlyDictionary<string, string> with, IReadOnlyDictionary<string, string> runnerEnvironment)
    {
        var runs = (YamlMappingNode)_action["runs"];
        Assert.Equal("composite", ((YamlScalarNode)runs["using"]).Value);
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in (YamlMappingNode)_action["inputs"])
        {
            var name = ((YamlScalarNode)key).Value!;
            var spec = (YamlMappingNode)value;
            inputs[name] = spec.Children.TryGetValue(new YamlScalarNode("default"), out var d) ? ((YamlScalarNode)d).Value ?? "" : "";
        }
        foreach (var (name, value) in with)
        {
            Assert.True(inputs.ContainsKey(name), $"action.yml has no input '{name}'");
            inputs[name] = value;
        }
        var temp = runnerEnvironment["RUNNER_TEMP"];
        var summaryFile = Path.Combine(temp, "step_summary_" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(summaryFile, "");
        var outputs = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var uses = new List<string>();
        var log = new StringBuilder();
        // Inputs are evaluated like the rest: `${{ github.token }}` as a default is the runner's token.
        foreach (var name in inputs.Keys.ToList())
        {
            inputs[name] = Evaluate(inputs[name], inputs, outputs, runnerEnvironment);
        }
        int index = 0;
        foreach (YamlMappingNode step in (YamlSequenceNode)runs["steps"])
        {
            index++;
            string? Scalar(string key) => step.Children.TryGetValue(new YamlScalarNode(key), out var node) ? ((YamlScalarNode)node).Value : null;
            var name = Scalar("name") ?? Scalar("id") ?? $"step {index}";
            Assert.Null(Scalar("if"));
            if (Scalar("uses") is { } action)
            {
                uses.Add(action);
                continue;
            }
            Assert.Equal("bash", Scalar("shell"));
            var script = Path.Combine(temp, $"step_{Guid.NewGuid():N}.sh");
            File.WriteAllText(script, Scalar("run")!);
            var outputFile = Path.Combine(temp, $"output_{Guid.NewGuid():N}");
            File.WriteAllText(outputFile, "");
            var start = new ProcessStartInfo("bash")
            {
                WorkingDirectory = Path.GetFullPath(Path.Combine(workspace, Evaluate(Scalar("working-directory") ?? ".", inputs, outputs, runnerEnvironment))),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "--noprofile", "--norc", "-eo", "pipefail", script })
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment.Clear();
            foreach (var (key, value) in runnerEnvironment)
            {
                start.Environment[key] = value;
            }
            start.Environment["GITHUB_OUTPUT"] = outputFile;
            start.Environment["GITHUB_STEP_SUMMARY"] = summaryFile;
            if (step.Children.TryGetValue(new YamlScalarNode("env"), out var env))
            {
                foreach (var (key, value) in (YamlMappingNode)env)
                {
                    start.Environment[((YamlScalarNode)key).Value!] = Evaluate(((YamlScalarNode)value).Value ?? "", inputs, outputs, runnerEnvironment);
                }
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            log.Append("== ").Append(name).Append(" (exit ").Append(process.ExitCode).Append(")\n").Append(await stdout).Append(await stderr);
            if (Scalar("id") is { } id)
            {
                outputs[id] = ReadOutputs(outputFile);
            }
            if (process.ExitCode != 0)
            {
                return new Outcome(process.ExitCode, name, log.ToString(), File.ReadAllText(summaryFile), outputs, uses);
            }
        }
        return new Outcome(0, null, log.ToString(), File.ReadAllText(summaryFile), outputs, uses);
    }

    private static string Evaluate(string text, Dictionary<string, string> inputs, Dictionary<string, Dictionary<string, string>> outputs, IReadOnlyDictionary<string, string> environment) =>
        Expression().Replace(text, m =>
        {
            var expression = m.Groups[1].Value;
            if (expression.StartsWith("inputs.", StringComparison.Ordinal))
            {
                return inputs[expression["inputs.".Length..]];
            }
            if (StepOutput().Match(expression) is { Success: true } output)
            {
                return outputs.TryGetValue(output.Groups[1].Value, out var values) ? values.GetValueOrDefault(output.Groups[2].Value, "") : "";
            }
            if (expression == "github.token")
            {
                return environment.GetValueOrDefault("GITHUB_TOKEN", "");
            }
            throw new InvalidOperationException($"the harness does not evaluate '${{{{ {expression} }}}}'");
        });

    // GITHUB_OUTPUT: name=value lines, or name<<DELIMITER … DELIMITER for several lines.
    private static Dictionary<string, string> ReadOutputs(string file)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(file);
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            int heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (heredoc > 0 && (eq < 0 || heredoc < eq))
            {
                var delimiter = line[(heredoc + 2)..];
                var value = new List<string>();
                while (++i < lines.Length && lines[i] != delimiter)
                {
                    value.Add(lines[i]);
                }
                result[line[..heredoc]] = string.Join('\n', value);
            }
            else if (eq > 0)
            {
                result[line[..eq]] = line[(eq + 1)..];
            }
        }
        return result;
    }

    [GeneratedRegex(@"\$\{\{\s*(.+?)\s*\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$")]
    private static partial Regex StepOutput();
}
