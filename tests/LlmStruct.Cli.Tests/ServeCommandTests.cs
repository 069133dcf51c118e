using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace LlmStruct.Cli.Tests;

/// <summary>
/// <c>llmstruct serve</c> as a separate process (the native tool under <c>LLMSTRUCT_CLI_BINARY</c>, else the built
/// llmstruct.dll): it starts on a free loopback port, serves a page and the API with the token, and stops on SIGTERM.
/// </summary>
public sealed class ServeCommandTests
{
    private const string Token = "cli-test-token-42";

    [Fact]
    public async Task Serve_answers_with_the_token_and_stops_on_sigterm()
    {
        using var dir = new TempDir();
        dir.Write("app/tax.py", "def tax_for(net: int) -> int:\n    return net // 5\n\n\ndef total(net: int) -> int:\n    return net + tax_for(net)\n");
        dir.Write("llmstruct.toml", "[[tasks]]\nid = \"TSK-001\"\ntitle = \"Serve the board\"\n");
        Assert.Equal(0, (await CliRunner.RunAsync("parse", "--input", dir.Root, "--output", Path.Combine(dir.Root, "struct.json"), "--quiet")).ExitCode);

        var binary = CliRunner.Binary ?? Path.Combine(AppContext.BaseDirectory, "llmstruct.dll");
        bool managed = binary.EndsWith(".dll", StringComparison.Ordinal);
        var start = new ProcessStartInfo(managed ? "dotnet" : binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (managed)
        {
            start.ArgumentList.Add(binary);
        }
        foreach (var arg in new[] { "serve", "--input", dir.Root, "--port", "0", "--token", Token })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            string? url = null;
            while (url is null)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new Xunit.Sdk.XunitException("serve ended early: " + await stderr);
                if (line.StartsWith("listening on ", StringComparison.Ordinal))
                {
                    url = line["listening on ".Length..];
                }
            }
            Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);

            using var http = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/tasks", timeout.Token)).StatusCode);
            var page = new HttpRequestMessage(HttpMethod.Get, "/tasks");
            page.Headers.Add("Cookie", "llmstruct_token=" + Token);
            var board = await http.SendAsync(page, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, board.StatusCode);
            Assert.Contains("Serve the board", await board.Content.ReadAsStringAsync(timeout.Token), StringComparison.Ordinal);
            var api = new HttpRequestMessage(HttpMethod.Get, "/api/symbols?q=tax_for");
            api.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            var symbols = await http.SendAsync(api, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, symbols.StatusCode);
            Assert.Contains("\"name\":\"tax_for\"", await symbols.Content.ReadAsStringAsync(timeout.Token), StringComparison.Ordinal);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(timeout.Token);
            }
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task A_non_loopback_host_without_a_token_is_refused()
    {
        using var dir = new TempDir();
        dir.Write("struct.json", "{}");
        var outcome = await CliRunner.RunAsync("serve", "--input", dir.Root, "--host", "0.0.0.0", "--port", "0");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("not a loopback address", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("--token", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_project_is_a_clear_error()
    {
        using var dir = new TempDir();
        var outcome = await CliRunner.RunAsync("serve", "--input", Path.Combine(dir.Root, "nope"), "--port", "0", "--token", Token);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("input folder not found", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);
    }
}
