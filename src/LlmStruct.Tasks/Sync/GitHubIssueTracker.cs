using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmStruct.Tasks.Sync;

/// <summary>
/// GitHub issues of one repository through the REST API (<c>HttpClient</c>, source-generated JSON: it runs in the
/// Native AOT tool), over <see cref="TrackerRetryHandler"/> (rate limits, server errors). Lists follow the
/// <c>Link</c> header's <c>next</c> page, 100 items a page, and never leave the API's origin (the token goes nowhere
/// else). <c>--api-url</c> points it at GitHub Enterprise (<c>https://HOST/api/v3/</c>) or a test server.
/// </summary>
public sealed class GitHubIssueTracker : IIssueTracker, IDisposable
{
    /// <summary>The public GitHub API.</summary>
    public static readonly Uri DefaultApiUrl = new("https://api.github.com/");

    private readonly TrackerHttp _http;
    private readonly string _repo;

    /// <summary>
    /// A tracker for <paramref name="repository"/> (<c>OWNER/REPO</c>) authenticated with <paramref name="token"/>
    /// (sent as the Authorization header only; kept in memory, never logged).
    /// </summary>
    public GitHubIssueTracker(string repository, string token, Uri? apiUrl = null, TrackerRetryOptions? retry = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var (owner, name) = SplitRepository(repository);
        Remote = repository;
        _repo = $"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}";
        _http = new TrackerHttp("GitHub", repository, "GITHUB_TOKEN", "repository", apiUrl ?? DefaultApiUrl, retry, logger ?? NullLogger.Instance);
        var headers = _http.Client.DefaultRequestHeaders;
        headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        headers.Add("X-GitHub-Api-Version", "2022-11-28");
    }

    /// <inheritdoc />
    public TaskTracker Kind => TaskTracker.GitHub;

    /// <inheritdoc />
    public string Remote { get; }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TrackerIssue>> ListIssuesAsync(CancellationToken cancellationToken = default)
    {
        var items = await GetAllPagesAsync($"{_repo}/issues?state=all&sort=created&direction=asc", "list issues", GitHubJsonContext.Default.ListGitHubIssueDto, cancellationToken).ConfigureAwait(false);
        return items.Where(i => i.PullRequest is null).Select(ToIssue).OrderBy(i => i.Number).ToList();
    }

    /// <inheritdoc />
    public async Task<TrackerIssue?> GetIssueAsync(long number, CancellationToken cancellationToken = default)
    {
        var what = $"get issue #{number}";
        using var response = await _http.SendAsync(HttpMethod.Get, IssuePath(number), null, what, cancellationToken, allowMissing: true).ConfigureAwait(false);
        return response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone
            ? null
            : ToIssue(await _http.ReadAsync(response, GitHubJsonContext.Default.GitHubIssueDto, what, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task<TrackerIssue> CreateIssueAsync(IssueDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var write = WriteOf(draft, state: null);
        var created = await WriteIssueAsync(HttpMethod.Post, $"{_repo}/issues", write, "create issue", cancellationToken).ConfigureAwait(false);
        return draft.IsOpen ? created : await SetStateAsync(created.Number, open: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<TrackerIssue> UpdateIssueAsync(long number, IssueDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return WriteIssueAsync(HttpMethod.Patch, IssuePath(number), WriteOf(draft, draft.IsOpen ? "open" : "closed"), $"update issue #{number}", cancellationToken);
    }

    /// <inheritdoc />
    public Task<TrackerIssue> SetStateAsync(long number, bool open, CancellationToken cancellationToken = default) =>
        WriteIssueAsync(HttpMethod.Patch, IssuePath(number), new GitHubIssueWrite { State = open ? "open" : "closed" },
            open ? $"reopen issue #{number}" : $"close issue #{number}", cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<TrackerComment>> ListCommentsAsync(long number, CancellationToken cancellationToken = default)
    {
        var comments = await GetAllPagesAsync($"{IssuePath(number)}/comments?sort=created&direction=asc", $"list comments of #{number}", GitHubJsonContext.Default.ListGitHubCommentDto, cancellationToken).ConfigureAwait(false);
        return comments.Select(c => new TrackerComment { Id = c.Id, Body = c.Body ?? "" }).ToList();
    }

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
        var comment = await _http.SendJsonAsync(
            existing is null ? HttpMethod.Post : HttpMethod.Patch,
            existing is null ? $"{IssuePath(number)}/comments" : $"{_repo}/issues/comments/{existing.Id.ToString(CultureInfo.InvariantCulture)}",
            new GitHubCommentWrite { Body = text }, GitHubJsonContext.Default.GitHubCommentWrite, GitHubJsonContext.Default.GitHubCommentDto,
            $"write the comment on #{number}", cancellationToken).ConfigureAwait(false);
        return new TrackerComment { Id = comment.Id, Body = comment.Body ?? "" };
    }

    /// <summary>
    /// Opens a pull request from the pushed branch <paramref name="head"/> into <paramref name="baseBranch"/>
    /// (<c>POST /repos/{owner}/{repo}/pulls</c>); returns its number and address. GitHub's refusal (422: no commits
    /// between the branches, a pull request that already exists…) is a <see cref="TrackerException"/> with its message.
    /// </summary>
    public async Task<TrackerPullRequest> CreatePullRequestAsync(string title, string head, string baseBranch, string? body, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(head);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseBranch);
        var write = new GitHubPullWrite { Title = title, Head = head, Base = baseBranch, Body = body };
        var created = await _http.SendJsonAsync(HttpMethod.Post, $"{_repo}/pulls", write, GitHubJsonContext.Default.GitHubPullWrite,
            GitHubJsonContext.Default.GitHubPullDto, $"open a pull request from {head}", cancellationToken).ConfigureAwait(false);
        return new TrackerPullRequest(created.Number, created.HtmlUrl);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    // The body of a create or an edit: the draft's text, labels and assignees (replacing the issue's), and a state if given.
    private static GitHubIssueWrite WriteOf(IssueDraft draft, string? state) =>
        new() { Title = draft.Title, Body = draft.Body, State = state, Labels = [.. draft.Labels], Assignees = [.. draft.Assignees] };

    private string IssuePath(long number) => $"{_repo}/issues/{number.ToString(CultureInfo.InvariantCulture)}";

    private async Task<TrackerIssue> WriteIssueAsync(HttpMethod method, string path, GitHubIssueWrite write, string what, CancellationToken cancellationToken) =>
        ToIssue(await _http.SendJsonAsync(method, path, write, GitHubJsonContext.Default.GitHubIssueWrite, GitHubJsonContext.Default.GitHubIssueDto, what, cancellationToken).ConfigureAwait(false));

    private Task<List<T>> GetAllPagesAsync<T>(string path, string what, JsonTypeInfo<List<T>> type, CancellationToken cancellationToken) =>
        _http.GetAllPagesAsync($"{path}&per_page=100", what, type, response => NextPage(response, _http.Client.BaseAddress!), cancellationToken);

    /// <summary>
    /// The <c>rel="next"</c> address of a <c>Link</c> header (RFC 8288), or null on the last page. An address on
    /// another origin than the API is refused, so the token is never sent anywhere else.
    /// </summary>
    internal static string? NextPage(HttpResponseMessage response, Uri api)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }
        foreach (var header in values)
        {
            foreach (var link in header.Split(','))
            {
                int open = link.IndexOf('<', StringComparison.Ordinal);
                int close = link.IndexOf('>', StringComparison.Ordinal);
                if (open < 0 || close <= open)
                {
                    continue;
                }
                var parameters = link[(close + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (!parameters.Any(p => p.Replace(" ", "", StringComparison.Ordinal) is "rel=\"next\"" or "rel=next"))
                {
                    continue;
                }
                if (!Uri.TryCreate(api, link[(open + 1)..close], out var next)
                    || !string.Equals(next.GetLeftPart(UriPartial.Authority), api.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
                {
                    throw new TrackerException($"GitHub: the next page's address is not on the API's origin {api.GetLeftPart(UriPartial.Authority)}; refusing to follow it");
                }
                return next.AbsoluteUri;
            }
        }
        return null;
    }

    private static TrackerIssue ToIssue(GitHubIssueDto dto) => new()
    {
        Number = dto.Number,
        Title = dto.Title ?? "",
        Body = dto.Body ?? "",
        Labels = dto.Labels?.Select(l => l.Name ?? "").Where(l => l.Length > 0).ToImmutableArray() ?? [],
        Assignees = dto.Assignees?.Select(a => a.Login ?? "").Where(a => a.Length > 0).ToImmutableArray() ?? [],
        IsOpen = dto.State != "closed",
        Url = dto.HtmlUrl,
        UpdatedAt = NormalizeTime(dto.UpdatedAt),
    };

    /// <summary>GitHub's ISO 8601 time as <c>yyyy-MM-ddTHH:mm:ssZ</c> in UTC (the form the sync state keeps).</summary>
    private static string? NormalizeTime(string? time) =>
        DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : time;

    private static (string Owner, string Name) SplitRepository(string repository)
    {
        var parts = (repository ?? "").Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new ArgumentException($"'{repository}' is not a GitHub repository: write it as OWNER/REPO", nameof(repository));
        }
        return (parts[0], parts[1]);
    }
}

/// <summary>A pull request GitHub opened.</summary>
/// <param name="Number">Its number in the repository.</param>
/// <param name="Url">Its web address.</param>
public sealed record TrackerPullRequest(long Number, string? Url);
