using LlmStruct.Serve.Api;
using LlmStruct.Serve.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace LlmStruct.Serve.Work;

/// <summary>
/// The LLM work endpoints: <c>/api/analyze_task</c>, <c>/api/generate_diff</c>, <c>/api/apply_diff</c> (token) and the
/// pages <c>/analyze_task</c>, <c>/generate_diff</c>, <c>/apply_diff</c> (login cookie, anti-forgery on every post).
/// </summary>
internal static class WorkEndpoints
{
    /// <summary>Maps the JSON API on <paramref name="api"/> (the token check is the group's).</summary>
    public static void MapApi(RouteGroupBuilder api)
    {
        api.MapPost("/analyze_task", async Task<IResult> (HttpContext http, ServeWork work, IOptions<ServeOptions> options, CancellationToken ct) =>
        {
            var (request, error) = await ApiEndpoints.ReadAsync(http, options.Value, WorkJsonContext.Default.AnalyzeTaskRequest, ct).ConfigureAwait(false);
            if (request is null)
            {
                return error!;
            }
            try
            {
                var result = await work.AnalyzeAsync(request.Task, ct).ConfigureAwait(false);
                return TypedResults.Json(Dto(result), WorkJsonContext.Default.AnalyzeTaskResult);
            }
            catch (Exception ex) when (WorkFailures.Describe(ex) is { } failure)
            {
                return Problem(failure);
            }
        }).Accepts<AnalyzeTaskRequest>("application/json").Produces<AnalyzeTaskResult>().ProducesValidationProblem()
          .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapPost("/generate_diff", async Task<IResult> (HttpContext http, ServeWork work, IOptions<ServeOptions> options, CancellationToken ct) =>
        {
            var (request, error) = await ApiEndpoints.ReadAsync(http, options.Value, WorkJsonContext.Default.GenerateDiffRequest, ct).ConfigureAwait(false);
            if (request is null)
            {
                return error!;
            }
            try
            {
                var pending = await work.GenerateDiffAsync(request.Task, request.Focus ?? [], ct).ConfigureAwait(false);
                return TypedResults.Json(new GenerateDiffResult(pending.Hash, pending.Diff, [.. pending.Changes.Select(c => new DiffFileDto(c.Path, c.Kind))], pending.Attempts, pending.Provider),
                    WorkJsonContext.Default.GenerateDiffResult);
            }
            catch (Exception ex) when (WorkFailures.Describe(ex) is { } failure)
            {
                return Problem(failure);
            }
        }).Accepts<GenerateDiffRequest>("application/json").Produces<GenerateDiffResult>().ProducesValidationProblem()
          .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapPost("/apply_diff", async Task<IResult> (HttpContext http, ServeWork work, IOptions<ServeOptions> options, CancellationToken ct) =>
        {
            var (request, error) = await ApiEndpoints.ReadAsync(http, options.Value, WorkJsonContext.Default.ApplyDiffRequest, ct).ConfigureAwait(false);
            if (request is null)
            {
                return error!;
            }
            try
            {
                var changes = await work.ApplyAsync(request.Hash, ct).ConfigureAwait(false);
                return TypedResults.Json(new ApplyDiffResult([.. changes.Select(c => new DiffFileDto(c.Path, c.Kind))]), WorkJsonContext.Default.ApplyDiffResult);
            }
            catch (Exception ex) when (WorkFailures.Describe(ex) is { } failure)
            {
                return Problem(failure);
            }
        }).Accepts<ApplyDiffRequest>("application/json").Produces<ApplyDiffResult>().ProducesValidationProblem()
          .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>Maps the pages on <paramref name="pages"/> (the login check is the group's).</summary>
    public static void MapPages(RouteGroupBuilder pages)
    {
        pages.MapGet("/analyze_task", (string? task, HttpContext http, IAntiforgery antiforgery) =>
            Html.Page(http, "Analyze a task", AnalyzeForm(antiforgery.GetAndStoreTokens(http), task)));

        pages.MapPost("/analyze_task", async Task<IResult> (HttpContext http, ServeWork work, IAntiforgery antiforgery, IOptions<ServeOptions> options, CancellationToken ct) =>
        {
            var (form, error) = await FormInput.ReadAsync(http, options.Value, antiforgery, ct).ConfigureAwait(false);
            if (form is null)
            {
                return error!;
            }
            string task = form["task"].ToString();
            var body = AnalyzeForm(antiforgery.GetAndStoreTokens(http), task);
            try
            {
                var result = await work.AnalyzeAsync(task, ct).ConfigureAwait(false);
                Plan(body, result);
                return Html.Page(http, "Analyze a task", body);
            }
            catch (Exception ex) when (WorkFailures.Describe(ex) is { } failure)
            {
                return Html.Page(http, "Analyze a task", Failure(body, failure), statusCode: failure.Status);
            }
        });

        pages.MapGet("/generate_diff", (string? task, string? focus, HttpContext http, IAntiforgery antiforgery) =>
            Html.Page(http, "Generate a diff", DiffForm(antiforgery.GetAndStoreTokens(http), task, focus)));

        pages.MapPost("/generate_diff", async Task<IResult> (HttpContext http, ServeWork work, IAntiforgery antiforgery, IOptions<ServeOptions> options, CancellationToken ct) =>
        {
            var (form, error) = await FormInput.ReadAsync(http, options.Value, antiforgery, ct).ConfigureAwait(false);
            if (form is null)
            {
                return error!;
            }
            string task = form["task"].ToString(), focus = form["focus"].ToString();
            var tokens = antiforgery.GetAndStoreTokens(http);
            var body = DiffForm(tokens, task, focus);
            try
            {
                var pending = await work.GenerateDiffAsync(task, FormInput.List(focus), ct).ConfigureAwait(false);
                body.Raw("<h2>The diff</h2><p class=\"muted\">It applies cleanly to the project as it is now (")
                    .Number(pending.Attempts).Raw(" attempt(s)").Raw(pending.Provider is null ? "" : ", ").Text(pending.Provider).Raw("). Nothing is written until you confirm.</p>");
                DiffView.Write(body, pending.Diff);
                body.Raw("<ul id=\"changes\">");
                foreach (var (path, kind) in pending.Changes)
                {
                    body.Raw("<li>").Text(kind).Raw(" <code>").Text(path).Raw("</code></li>");
                }
                body.Raw("</ul><form method=\"post\" action=\"/apply_diff\" id=\"confirm\">").Antiforgery(tokens).Hidden("hash", pending.Hash)
                    .Raw("<button type=\"submit\">Apply to ").Number(pending.Changes.Count).Raw(" file(s)</button> <span class=\"muted\">sha256 ").Text(pending.Hash[..12]).Raw("</span></form>");
                return Html.Page(http, "Generate a diff", body);
            }
            catch (Exception ex) when (WorkFailures.Describe(ex) is { } failure)
            {
                return Html.Page(http, "Generate a diff", Failure(body, failure), statusCode: failure.Status);
            }
        });

        pages.MapPost("/apply_diff", async Task<IResult> (HttpContext http, ServeWork work, IAntiforgery antiforgery, IOptions<ServeOptions> options, CancellationToken ct) =>
        {
            var (form, error) = await FormInput.ReadAsync(http, options.Value, antiforgery, ct).ConfigureAwait(false);
            if (form is null)
            {
                return error!;
            }
            try
            {
                var changes = await work.ApplyAsync(form["hash"].ToString(), ct).ConfigureAwait(false);
                var body = new Html().Raw("<p>The diff was applied; the files changed:</p><ul id=\"applied\">");
                foreach (var change in changes)
                {
                    body.Raw("<li>").Text(change.Kind).Raw(" <code>").Text(change.Path).Raw("</code></li>");
                }
                return Html.Page(http, "Applied", body.Raw("</ul><p><a href=\"/generate_diff\">Another change</a></p>"));
            }
            catch (Exception ex) when (WorkFailures.Describe(ex) is { } failure)
            {
                return Html.Page(http, "Not applied", Failure(new Html(), failure), statusCode: failure.Status);
            }
        });
    }

    private static AnalyzeTaskResult Dto(ServeAnalysis result)
    {
        var a = result.Analysis;
        return new AnalyzeTaskResult(a.Summary, a.AffectedFiles, a.AffectedSymbols, a.Steps, a.Risks, a.Estimate, a.Attempts, result.Provider, result.Model);
    }

    private static IResult Problem((int Status, string Title, string Detail, IReadOnlyList<string> Errors) failure)
    {
        if (failure.Status == StatusCodes.Status400BadRequest)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["task"] = [failure.Detail] }, detail: failure.Detail);
        }
        var extensions = failure.Errors.Count == 0 ? null : new Dictionary<string, object?> { ["attempts"] = failure.Errors.ToArray() };
        return TypedResults.Problem(title: failure.Title, detail: failure.Detail, statusCode: failure.Status, extensions: extensions);
    }

    private static Html AnalyzeForm(AntiforgeryTokenSet tokens, string? task) =>
        new Html().Raw("<form method=\"post\" action=\"/analyze_task\" id=\"analyze-form\">").Antiforgery(tokens)
            .Raw("<label>Task<textarea name=\"task\" required placeholder=\"the change to plan, in plain words\">").Text(task).Raw("</textarea></label>")
            .Raw("<button type=\"submit\">Analyze</button> <span class=\"muted\">asks the configured LLM chain; the plan's symbols are checked against struct.json</span></form>");

    private static Html DiffForm(AntiforgeryTokenSet tokens, string? task, string? focus) =>
        new Html().Raw("<form method=\"post\" action=\"/generate_diff\" id=\"diff-form\">").Antiforgery(tokens)
            .Raw("<label>Task<textarea name=\"task\" required placeholder=\"the change to make\">").Text(task).Raw("</textarea></label>")
            .Raw("<label>Focus <input name=\"focus\" size=\"60\" placeholder=\"files or folders the model sees in full, comma-separated\" value=\"").Text(focus).Raw("\"></label> ")
            .Raw("<button type=\"submit\">Generate</button></form>");

    private static void Plan(Html body, ServeAnalysis result)
    {
        var a = result.Analysis;
        body.Raw("<section id=\"plan\"><h2>Plan</h2><p id=\"summary\">").Text(a.Summary).Raw("</p><h3>Affected files</h3><ul id=\"plan-files\">");
        foreach (var file in a.AffectedFiles)
        {
            body.Raw("<li>").Link("/code/module?path=" + Html.Q(file), file).Raw("</li>");
        }
        body.Raw("</ul><h3>Affected symbols</h3><ul id=\"plan-symbols\">");
        foreach (var symbol in a.AffectedSymbols)
        {
            body.Raw("<li>").Link("/code/symbol?id=" + Html.Q(symbol), symbol).Raw("</li>");
        }
        body.Raw("</ul><h3>Steps</h3><ol id=\"plan-steps\">");
        foreach (var step in a.Steps)
        {
            body.Element("li", step);
        }
        body.Raw("</ol><h3>Risks</h3><ul id=\"plan-risks\">");
        foreach (var risk in a.Risks)
        {
            body.Element("li", risk);
        }
        body.Raw("</ul><p>Estimate: <b id=\"estimate\">").Text(a.Estimate).Raw("</b></p><p class=\"muted\" id=\"answered-by\">answered by ")
            .Text(result.Provider ?? "?").Raw(result.Model is null ? "" : " (").Text(result.Model).Raw(result.Model is null ? "" : ")").Raw(", ").Number(a.Attempts).Raw(" attempt(s)</p></section>");
    }

    private static Html Failure(Html body, (int Status, string Title, string Detail, IReadOnlyList<string> Errors) failure)
    {
        body.Raw("<div class=\"error\" role=\"alert\" id=\"work-error\"><b>").Text(failure.Title).Raw("</b>: ").Text(failure.Detail);
        if (failure.Errors.Count > 0)
        {
            body.Raw("<ol>");
            foreach (var e in failure.Errors)
            {
                body.Element("li", e);
            }
            body.Raw("</ol>");
        }
        return body.Raw("</div>");
    }
}

/// <summary>A unified diff as HTML with colour: each line a span classed by what it is (file header, hunk, added, removed, context).</summary>
internal static class DiffView
{
    /// <summary>Writes <paramref name="diff"/> as <c>&lt;pre id="diff" class="diff"&gt;</c>.</summary>
    public static void Write(Html body, string diff)
    {
        body.Raw("<pre id=\"diff\" class=\"diff\">");
        foreach (var line in diff.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
        {
            body.Raw("<span class=\"").Raw(ClassOf(line)).Raw("\">").Text(line).Raw("</span>\n");
        }
        body.Raw("</pre>");
    }

    /// <summary>The CSS class of one diff line.</summary>
    public static string ClassOf(string line) =>
        line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) || line.StartsWith("diff ", StringComparison.Ordinal) ? "d-file"
        : line.StartsWith("@@", StringComparison.Ordinal) ? "d-hunk"
        : line.StartsWith('+') ? "d-add"
        : line.StartsWith('-') ? "d-del"
        : "d-ctx";
}
