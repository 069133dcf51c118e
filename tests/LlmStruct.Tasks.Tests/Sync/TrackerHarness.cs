using System.Collections.Concurrent;
using LlmStruct.Tasks.Sync;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Tasks.Tests.Sync;

/// <summary>One fake tracker server and the real client pointed at it, the same way for GitHub and GitLab.</summary>
public sealed class TrackerHarness : IDisposable
{
    public const string GitHubToken = "ghp_TESTTOKEN0123456789abcdefSECRET";
    public const string GitLabToken = "glpat-TESTTOKEN0123456789SECRET";

    private TrackerHarness(TaskTracker kind, FakeTrackerServer server)
    {
        Kind = kind;
        Server = server;
    }

    public TaskTracker Kind { get; }

    public FakeTrackerServer Server { get; }

    public string Token => Kind == TaskTracker.GitHub ? GitHubToken : GitLabToken;

    public string Remote => Kind == TaskTracker.GitHub ? "acme/widgets" : "acme/tools/widgets";

    /// <summary>Waits the retry handler asked for, recorded instead of slept.</summary>
    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    public static TrackerHarness Start(TaskTracker kind) => kind == TaskTracker.GitHub
        ? new TrackerHarness(kind, new FakeGitHubServer("acme", "widgets", GitHubToken, "alice", "bob"))
        : new TrackerHarness(kind, new FakeGitLabServer("acme/tools/widgets", GitLabToken, "alice", "bob"));

    public IIssueTracker Client(ILogger? logger = null, string? token = null)
    {
        var retry = new TrackerRetryOptions
        {
            BaseDelay = TimeSpan.FromMilliseconds(1),
            Delay = (wait, _) =>
            {
                Waits.Enqueue(wait);
                return Task.CompletedTask;
            },
        };
        return Kind == TaskTracker.GitHub
            ? new GitHubIssueTracker(Remote, token ?? Token, new Uri(Server.ApiUrl), retry, logger)
            : new GitLabIssueTracker(Remote, token ?? Token, new Uri(Server.ApiUrl), retry, logger);
    }

    /// <summary>Every issue on the server as (number, title, body, open, labels, assignees).</summary>
    public IReadOnlyList<(long Number, string Title, string Body, bool Open, IReadOnlyList<string> Labels, IReadOnlyList<string> Assignees)> Issues =>
        Server switch
        {
            FakeGitHubServer gh => gh.Issues.Select(i => (i.Number, i.Title, i.Body, !i.Closed, (IReadOnlyList<string>)i.Labels, (IReadOnlyList<string>)i.Assignees)).ToList(),
            FakeGitLabServer gl => gl.Issues.Select(i => (i.Iid, i.Title, i.Description, !i.Closed, (IReadOnlyList<string>)i.Labels, (IReadOnlyList<string>)i.Assignees)).ToList(),
            _ => throw new InvalidOperationException(),
        };

    /// <summary>Opens an issue on the server directly (someone else's issue).</summary>
    public void AddForeignIssue(string title, string body = "")
    {
        if (Server is FakeGitHubServer gh) gh.Add(title, body);
        else ((FakeGitLabServer)Server).Add(title, body);
    }

    /// <summary>Edits an issue on the server as a user would.</summary>
    public void Edit(long number, bool? open = null, string? title = null, string[]? labels = null)
    {
        if (Server is FakeGitHubServer gh)
        {
            gh.Edit(number, i =>
            {
                if (open is { } o) i.Closed = !o;
                if (title is not null) i.Title = title;
                if (labels is not null) i.Labels = [.. labels];
            });
        }
        else
        {
            ((FakeGitLabServer)Server).Edit(number, i =>
            {
                if (open is { } o) i.Closed = !o;
                if (title is not null) i.Title = title;
                if (labels is not null) i.Labels = [.. labels];
            });
        }
    }

    public void Dispose() => Server.Dispose();
}

/// <summary>A logger that keeps every line (message and exception) for the test to read.</summary>
public sealed class ListLogger : ILogger<TaskSyncService>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
}
