using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace LlmStruct.Tasks.Tests.Sync;

/// <summary>
/// GitHub's issues API for one repository, as its REST documentation describes it (and Octokit reads it): list (open and closed, pull requests mixed in, pages
/// of <c>per_page</c> with a <c>Link</c> header), get, create, update (labels and assignees replaced; labels made on
/// first use; assignees who are not collaborators dropped, as GitHub does), comments (list in pages, create, edit). The token
/// goes in <c>Authorization: token …</c> or <c>Bearer …</c>.
/// </summary>
public sealed class FakeGitHubServer : FakeTrackerServer
{
    private readonly List<Item> _issues = [];
    private readonly List<(long Id, long Issue, string Body)> _comments = [];
    private readonly HashSet<string> _labels = new(StringComparer.Ordinal);
    private long _nextComment = 9000;

    public FakeGitHubServer(string owner, string repo, string token, params string[] collaborators)
        : base(token, "/")
    {
        Owner = owner;
        Repo = repo;
        Collaborators = new HashSet<string>(collaborators, StringComparer.OrdinalIgnoreCase);
    }

    public string Owner { get; }

    public string Repo { get; }

    public HashSet<string> Collaborators { get; }

    /// <summary>Issues (not pull requests), by number.</summary>
    public IReadOnlyList<Item> Issues
    {
        get
        {
            lock (_issues)
            {
                return _issues.Where(i => !i.IsPullRequest).ToList();
            }
        }
    }

    public IReadOnlyList<(long Id, long Issue, string Body)> Comments
    {
        get
        {
            lock (_issues)
            {
                return _comments.ToList();
            }
        }
    }

    /// <summary>Pull requests opened through <c>POST /repos/{owner}/{repo}/pulls</c>: number, title, head, base, body.</summary>
    public List<(long Number, string Title, string Head, string Base, string Body)> Pulls { get; } = [];

    /// <summary>Whether a branch exists on the repository (a test looks in its bare remote); null: every branch does.</summary>
    public Func<string, bool>? BranchExists { get; set; }

    /// <summary>Adds an issue (or pull request) as if someone had opened it on GitHub.</summary>
    public Item Add(string title, string body = "", bool pullRequest = false)
    {
        lock (_issues)
        {
            var item = new Item { Number = _issues.Count + 1, Title = title, Body = body, IsPullRequest = pullRequest, UpdatedAt = Now() };
            _issues.Add(item);
            return item;
        }
    }

    /// <summary>Changes an issue as a user on GitHub would.</summary>
    public void Edit(long number, Action<Item> edit)
    {
        lock (_issues)
        {
            var item = _issues.Single(i => i.Number == number);
            edit(item);
            item.UpdatedAt = Now();
        }
    }

    protected override bool Authorized(HttpListenerRequest request)
    {
        // GitHub refuses requests without a User-Agent.
        if (string.IsNullOrEmpty(request.UserAgent))
        {
            return false;
        }
        var header = request.Headers["Authorization"] ?? "";
        int space = header.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && header[..space].ToLowerInvariant() is "token" or "bearer" && header[(space + 1)..] == Token;
    }

    protected override (int Status, JsonNode? Body, IReadOnlyList<(string, string)> Headers) Handle(string method, string[] s, Dictionary<string, string> query, JsonNode? body)
    {
        lock (_issues)
        {
            if (method == "POST" && s is ["repos", var owner, var repo, "pulls"] && owner == Owner && repo == Repo)
            {
                return CreatePull(body!);
            }
            if (s.Length < 4 || s[0] != "repos" || s[1] != Owner || s[2] != Repo || s[3] != "issues")
            {
                return Error(404, "Not Found");
            }
            switch (method, s.Length)
            {
                case ("GET", 4):
                    return List(query);
                case ("POST", 4):
                    return Create(body!);
                case ("GET", 5):
                    return Find(s[4]) is { } found ? Ok(Json(found)) : Error(404, "Not Found");
                case ("PATCH", 5):
                    return Find(s[4]) is { } edited ? Ok(Json(Update(edited, body!))) : Error(404, "Not Found");
                case ("GET", 6) when s[5] == "comments":
                    return Find(s[4]) is { } commented
                        ? Page(_comments.Where(c => c.Issue == commented.Number).Select(CommentJson).ToList(), $"issues/{commented.Number}/comments", query)
                        : Error(404, "Not Found");
                case ("POST", 6) when s[5] == "comments":
                    if (Find(s[4]) is not { } target)
                    {
                        return Error(404, "Not Found");
                    }
                    var comment = (++_nextComment, target.Number, (string)body!["body"]!);
                    _comments.Add(comment);
                    return Ok(CommentJson(comment), 201);
                case ("PATCH", 6) when s[4] == "comments":
                    int index = _comments.FindIndex(c => c.Id.ToString(CultureInfo.InvariantCulture) == s[5]);
                    if (index < 0)
                    {
                        return Error(404, "Not Found");
                    }
                    _comments[index] = (_comments[index].Id, _comments[index].Issue, (string)body!["body"]!);
                    return Ok(CommentJson(_comments[index]));
                default:
                    return Error(404, "Not Found");
            }
        }
    }

    private (int, JsonNode?, IReadOnlyList<(string, string)>) List(Dictionary<string, string> query)
    {
        string state = query.GetValueOrDefault("state", "open");
        var all = _issues.Where(i => state == "all" || (state == "closed") == i.Closed).ToList();
        if (query.GetValueOrDefault("direction") != "asc")
        {
            all.Reverse();
        }
        return Page(all.Select(Json).ToList(), "issues", query);
    }

    /// <summary>One page of a list as GitHub pages it: <c>per_page</c> (at most 100) and a <c>Link</c> header with absolute addresses.</summary>
    private (int, JsonNode?, IReadOnlyList<(string, string)>) Page(List<JsonNode> all, string path, Dictionary<string, string> query)
    {
        int perPage = Math.Clamp(int.Parse(query.GetValueOrDefault("per_page", "30"), CultureInfo.InvariantCulture), 1, 100);
        int page = int.Parse(query.GetValueOrDefault("page", "1"), CultureInfo.InvariantCulture);
        int pages = Math.Max(1, (all.Count + perPage - 1) / perPage);
        var headers = new List<(string, string)>();
        var links = new List<string>();
        string Url(int p) => $"{Origin}/repos/{Owner}/{Repo}/{path}?" + string.Join('&', query.Where(q => q.Key != "page").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}").Append($"page={p}"));
        if (page < pages)
        {
            links.Add($"<{Url(page + 1)}>; rel=\"next\"");
            links.Add($"<{Url(pages)}>; rel=\"last\"");
        }
        if (page > 1)
        {
            links.Add($"<{Url(1)}>; rel=\"first\"");
            links.Add($"<{Url(page - 1)}>; rel=\"prev\"");
        }
        if (links.Count > 0)
        {
            headers.Add(("Link", string.Join(", ", links)));
        }
        return (200, new JsonArray([.. all.Skip((page - 1) * perPage).Take(perPage)]), headers);
    }

    private (int, JsonNode?, IReadOnlyList<(string, string)>) Create(JsonNode body)
    {
        if (body["title"]?.GetValue<string>() is not { Length: > 0 } title)
        {
            return Error(422, "Validation Failed: title is missing");
        }
        var item = new Item { Number = _issues.Count + 1, Title = title, UpdatedAt = Now() };
        _issues.Add(item);
        Update(item, body);
        return Ok(Json(item), 201);
    }

    private (int, JsonNode?, IReadOnlyList<(string, string)>) CreatePull(JsonNode body)
    {
        string? Field(string name) => body[name]?.GetValue<string>();
        if (Field("title") is not { Length: > 0 } title || Field("head") is not { Length: > 0 } head || Field("base") is not { Length: > 0 } baseBranch)
        {
            return Error(422, "Validation Failed: title, head and base are required");
        }
        if (BranchExists is { } exists && (!exists(head) || !exists(baseBranch)))
        {
            return Error(422, $"Validation Failed: head or base does not exist ({head}, {baseBranch})");
        }
        var item = new Item { Number = _issues.Count + 1, Title = title, Body = Field("body") ?? "", IsPullRequest = true, UpdatedAt = Now() };
        _issues.Add(item);
        Pulls.Add((item.Number, title, head, baseBranch, item.Body));
        return Ok(new JsonObject
        {
            ["number"] = item.Number,
            ["html_url"] = $"https://github.com/{Owner}/{Repo}/pull/{item.Number}",
            ["state"] = "open",
            ["title"] = title,
            ["head"] = new JsonObject { ["ref"] = head },
            ["base"] = new JsonObject { ["ref"] = baseBranch },
        }, 201);
    }

    private Item Update(Item item, JsonNode body)
    {
        var o = body.AsObject();
        if (o.TryGetPropertyValue("title", out var title) && title is not null) item.Title = title.GetValue<string>();
        if (o.TryGetPropertyValue("body", out var text)) item.Body = text?.GetValue<string>() ?? "";
        if (o.TryGetPropertyValue("state", out var state) && state is not null) item.Closed = state.GetValue<string>() == "closed";
        if (o.TryGetPropertyValue("labels", out var labels) && labels is not null)
        {
            item.Labels = [.. labels.AsArray().Select(l => l!.GetValue<string>()).Distinct()];
            _labels.UnionWith(item.Labels);
        }
        if (o.TryGetPropertyValue("assignees", out var assignees) && assignees is not null)
        {
            item.Assignees = [.. assignees.AsArray().Select(a => a!.GetValue<string>()).Where(Collaborators.Contains).Distinct()];
        }
        item.UpdatedAt = Now();
        return item;
    }

    private Item? Find(string number) => _issues.FirstOrDefault(i => i.Number.ToString(CultureInfo.InvariantCulture) == number);

    private JsonNode Json(Item i)
    {
        var json = new JsonObject
        {
            ["id"] = 1000 + i.Number,
            ["node_id"] = $"I_{i.Number}",
            ["url"] = $"{Origin}/repos/{Owner}/{Repo}/issues/{i.Number}",
            ["html_url"] = $"https://github.test/{Owner}/{Repo}/{(i.IsPullRequest ? "pull" : "issues")}/{i.Number}",
            ["number"] = i.Number,
            ["state"] = i.Closed ? "closed" : "open",
            ["title"] = i.Title,
            ["body"] = i.Body.Length == 0 ? null : i.Body,
            ["user"] = User("octocat"),
            ["labels"] = new JsonArray([.. i.Labels.Select((l, n) => (JsonNode)new JsonObject { ["id"] = n + 1, ["node_id"] = $"L_{l}", ["url"] = $"{Origin}/labels/{l}", ["name"] = l, ["color"] = "ededed", ["default"] = false })]),
            ["assignee"] = i.Assignees.Count == 0 ? null : User(i.Assignees[0]),
            ["assignees"] = new JsonArray([.. i.Assignees.Select(User)]),
            ["comments"] = _comments.Count(c => c.Issue == i.Number),
            ["locked"] = false,
            ["created_at"] = "2026-01-01T00:00:00Z",
            ["updated_at"] = i.UpdatedAt,
            ["closed_at"] = i.Closed ? i.UpdatedAt : null,
        };
        if (i.IsPullRequest)
        {
            json["pull_request"] = new JsonObject { ["url"] = $"{Origin}/repos/{Owner}/{Repo}/pulls/{i.Number}" };
        }
        return json;
    }

    private static JsonNode User(string login) => new JsonObject { ["login"] = login, ["id"] = Math.Abs(login.GetHashCode(StringComparison.Ordinal)) % 100000, ["type"] = "User" };

    private JsonNode CommentJson((long Id, long Issue, string Body) c) => new JsonObject
    {
        ["id"] = c.Id,
        ["node_id"] = $"C_{c.Id}",
        ["url"] = $"{Origin}/repos/{Owner}/{Repo}/issues/comments/{c.Id}",
        ["html_url"] = $"https://github.test/{Owner}/{Repo}/issues/{c.Issue}#issuecomment-{c.Id}",
        ["body"] = c.Body,
        ["user"] = User("octocat"),
        ["created_at"] = "2026-01-01T00:00:00Z",
        ["updated_at"] = "2026-01-01T00:00:00Z",
    };

    /// <summary>One issue or pull request.</summary>
    public sealed class Item
    {
        public long Number { get; init; }
        public string Title { get; set; } = "";
        public string Body { get; set; } = "";
        public bool Closed { get; set; }
        public List<string> Labels { get; set; } = [];
        public List<string> Assignees { get; set; } = [];
        public bool IsPullRequest { get; init; }
        public string UpdatedAt { get; set; } = "";
    }
}
