using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Octokit;
using Octokit.Internal;

namespace LlmStruct.Tasks.Sync;

/// <summary>
/// GitHub issues of one repository through Octokit, over <see cref="TrackerRetryHandler"/> (rate limits, server
/// errors). <c>--api-url</c> points it at GitHub Enterprise (<c>https://HOST/api/v3/</c>) or a test server.
/// </summary>
public sealed class GitHubIssueTracker : IIssueTracker
{
    /// <summary>The public GitHub API.</summary>
    public static readonly Uri DefaultApiUrl = new("https://api.github.com/");

    private static readonly ApiOptions AllPages = new() { PageSize = 100 };
    private readonly GitHubClient _client;
    private readonly string _owner;
    private readonly string _name;
    private readonly ILogger _logger;

    /// <summary>
    /// A tracker for <paramref name="repository"/> (<c>OWNER/REPO</c>) authenticated with <paramref name="token"/>
    /// (sent as the Authorization header only; kept in memory, never logged).
    /// </summary>
    public GitHubIssueTracker(string repository, string token, Uri? apiUrl = null, TrackerRetryOptions? retry = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        (_owner, _name) = SplitRepository(repository);
        Remote = repository;
        _logger = logger ?? NullLogger.Instance;
        var baseAddress = WithSlash(apiUrl ?? DefaultApiUrl);
        var connection = new Connection(
            new ProductHeaderValue("llmstruct"),
            baseAddress,
            new InMemoryCredentialStore(new Credentials(token)),
            new HttpClientAdapter(() => new TrackerRetryHandler(retry, _logger)),
            new SimpleJsonSerializer());
        _client = new GitHubClient(connection);
    }

    /// <inheritdoc />
    public TaskTracker Kind => TaskTracker.GitHub;

    /// <inheritdoc />
    public string Remote { get; }

    /// <inheritdoc />
    public Task<IReadOnlyList<TrackerIssue>> ListIssuesAsync(CancellationToken cancellationToken = default) =>
        CallAsync("list issues", async () =>
        {
            var request = new RepositoryIssueRequest { State = ItemStateFilter.All, SortProperty = IssueSort.Created, SortDirection = SortDirection.Ascending };
            var issues = await _client.Issue.GetAllForRepository(_owner, _name, request, AllPages).ConfigureAwait(false);
            return (IReadOnlyList<TrackerIssue>)issues.Where(i => i.PullRequest is null).Select(ToIssue).OrderBy(i => i.Number).ToList();
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<TrackerIssue?> GetIssueAsync(long number, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CallAsync($"get issue #{number}", async () => ToIssue(await _client.Issue.Get(_owner, _name, checked((int)number)).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
        }
        catch (TrackerException ex) when (ex.StatusCode is 404 or 410)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<TrackerIssue> CreateIssueAsync(IssueDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var created = await CallAsync("create issue", async () =>
        {
            var issue = new NewIssue(draft.Title) { Body = draft.Body };
            foreach (var label in draft.Labels)
            {
                issue.Labels.Add(label);
            }
            foreach (var assignee in draft.Assignees)
            {
                issue.Assignees.Add(assignee);
            }
            return ToIssue(await _client.Issue.Create(_owner, _name, issue).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
        return draft.IsOpen ? created : await SetStateAsync(created.Number, open: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<TrackerIssue> UpdateIssueAsync(long number, IssueDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return CallAsync($"update issue #{number}", async () =>
        {
            var update = new IssueUpdate { Title = draft.Title, Body = draft.Body, State = draft.IsOpen ? ItemState.Open : ItemState.Closed };
            update.ClearLabels();
            foreach (var label in draft.Labels)
            {
                update.AddLabel(label);
            }
            update.ClearAssignees();
            foreach (var assignee in draft.Assignees)
            {
                update.AddAssignee(assignee);
            }
            return ToIssue(await _client.Issue.Update(_owner, _name, checked((int)number), update).ConfigureAwait(false));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<TrackerIssue> SetStateAsync(long number, bool open, CancellationToken cancellationToken = default) =>
        CallAsync(open ? $"reopen issue #{number}" : $"close issue #{number}", async () =>
            ToIssue(await _client.Issue.Update(_owner, _name, checked((int)number), new IssueUpdate { State = open ? ItemState.Open : ItemState.Closed }).ConfigureAwait(false)),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TrackerComment>> ListCommentsAsync(long number, CancellationToken cancellationToken = default) =>
        CallAsync($"list comments of #{number}", async () =>
        {
            var comments = await _client.Issue.Comment.GetAllForIssue(_owner, _name, checked((int)number), AllPages).ConfigureAwait(false);
            return (IReadOnlyList<TrackerComment>)comments.Select(c => new TrackerComment { Id = c.Id, Body = c.Body ?? "" }).ToList();
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<TrackerComment> UpsertCommentAsync(long number, string marker, string body, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(marker);
        var text = CommentMarker.Compose(marker, body);
        var existing = CommentMarker.FindIn(await ListCommentsAsync(number, cancellationToken).ConfigureAwait(false), marker);
        if (existing is not null && existing.Body == text)
        {
            return existing;
        }
        return await CallAsync($"write the comment on #{number}", async () =>
        {
            var comment = existing is null
                ? await _client.Issue.Comment.Create(_owner, _name, checked((int)number), text).ConfigureAwait(false)
                : await _client.Issue.Comment.Update(_owner, _name, existing.Id, text).ConfigureAwait(false);
            return new TrackerComment { Id = comment.Id, Body = comment.Body ?? "" };
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> CallAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        // Octokit takes no cancellation token: the call is raced against it, so a cancelled sync stops at once.
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await call().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex)
        {
            throw new TrackerException($"GitHub {Remote}: {what} failed: {(int)ex.StatusCode} {ex.Message}", (int)ex.StatusCode, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TrackerException($"GitHub {Remote}: {what} failed: {ex.Message}", null, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TrackerException($"GitHub {Remote}: {what} timed out", null, ex);
        }
    }

    private static TrackerIssue ToIssue(Issue issue) => new()
    {
        Number = issue.Number,
        Title = issue.Title ?? "",
        Body = issue.Body ?? "",
        Labels = issue.Labels?.Select(l => l.Name).ToImmutableArray() ?? [],
        Assignees = issue.Assignees?.Select(a => a.Login).ToImmutableArray() ?? [],
        IsOpen = issue.State.StringValue != "closed",
        Url = issue.HtmlUrl,
        UpdatedAt = issue.UpdatedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };

    private static (string Owner, string Name) SplitRepository(string repository)
    {
        var parts = (repository ?? "").Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new ArgumentException($"'{repository}' is not a GitHub repository: write it as OWNER/REPO", nameof(repository));
        }
        return (parts[0], parts[1]);
    }

    internal static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
