using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LlmStruct.Context;
using LlmStruct.Serve.Project;
using LlmStruct.Serve.Security;
using LlmStruct.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace LlmStruct.Serve.Api;

/// <summary>The JSON API: tasks (list, one, create, version-checked update), symbol search, context.</summary>
internal static class ApiEndpoints
{
    /// <summary>The most hits one symbol search returns.</summary>
    public const int MaxSymbolHits = 200;

    /// <summary>Maps the endpoints on <paramref name="api"/> (the token check is the group's).</summary>
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/tasks", async Task<IResult> (string? status, string? assignee, string? label, ServeTasks tasks, CancellationToken ct) =>
        {
            try
            {
                var list = await tasks.ListAsync(status, assignee, label, ct).ConfigureAwait(false);
                return Json<IReadOnlyList<TaskDto>>([.. list.Select(TaskDto.From)], ServeJsonContext.Default.IReadOnlyListTaskDto);
            }
            catch (TaskInputException ex)
            {
                return Invalid(ex);
            }
        }).Produces<IReadOnlyList<TaskDto>>().ProducesValidationProblem();

        api.MapGet("/tasks/{id}", async Task<IResult> (string id, ServeTasks tasks, CancellationToken ct) =>
        {
            var task = await tasks.FindAsync(id, ct).ConfigureAwait(false);
            if (task is null)
            {
                return NoTask(id);
            }
            var history = await tasks.HistoryAsync(id, ct).ConfigureAwait(false);
            return Json(new TaskDetailDto(TaskDto.From(task), [.. history.Select(Event)]), ServeJsonContext.Default.TaskDetailDto);
        }).Produces<TaskDetailDto>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/tasks", async Task<IResult> (HttpContext http, ServeTasks tasks, IOptions<ServeOptions> options, CancellationToken ct) =>
        {
            var (request, error) = await ReadAsync(http, options.Value, ServeJsonContext.Default.TaskCreateRequest, ct).ConfigureAwait(false);
            if (request is null)
            {
                return error!;
            }
            try
            {
                var task = await tasks.CreateAsync(request, ct).ConfigureAwait(false);
                http.Response.Headers.Location = "/api/tasks/" + Uri.EscapeDataString(task.Id);
                return Json(TaskDto.From(task), ServeJsonContext.Default.TaskDto, StatusCodes.Status201Created);
            }
            catch (TaskInputException ex)
            {
                return Invalid(ex);
            }
        }).Accepts<TaskCreateRequest>("application/json").Produces<TaskDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapPatch("/tasks/{id}", async Task<IResult> (string id, HttpContext http, ServeTasks tasks, IOptions<ServeOptions> options, CancellationToken ct) =>
        {
            var (request, error) = await ReadAsync(http, options.Value, ServeJsonContext.Default.TaskPatchRequest, ct).ConfigureAwait(false);
            if (request is null)
            {
                return error!;
            }
            try
            {
                var task = await tasks.UpdateAsync(id, request, ct).ConfigureAwait(false);
                return task is null ? NoTask(id) : Json(TaskDto.From(task), ServeJsonContext.Default.TaskDto);
            }
            catch (TaskInputException ex)
            {
                return Invalid(ex);
            }
            catch (StaleTaskVersionException ex)
            {
                return TypedResults.Problem(title: "Stale version", detail: ex.Message, statusCode: StatusCodes.Status409Conflict,
                    extensions: new Dictionary<string, object?> { ["currentVersion"] = ex.Current });
            }
        }).Accepts<TaskPatchRequest>("application/json").Produces<TaskDto>().ProducesValidationProblem()
          .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/symbols", async Task<IResult> (string? q, int? limit, ServeProject project, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(q))
            {
                return Invalid(new TaskInputException("q", "give the text to search for: /api/symbols?q=…"));
            }
            int take = Math.Clamp(limit ?? 50, 1, MaxSymbolHits);
            var loaded = await project.GetAsync(ct).ConfigureAwait(false);
            IReadOnlyList<SymbolHitDto> hits = [.. loaded.Index.Search(q, take).Select(e =>
                new SymbolHitDto(e.Definition.Id, e.Definition.Name, e.Definition.QualifiedName, e.Definition.Kind, e.Module.Path, e.Definition.StartLine))];
            return Json(hits, ServeJsonContext.Default.IReadOnlyListSymbolHitDto);
        }).Produces<IReadOnlyList<SymbolHitDto>>().ProducesValidationProblem();

        api.MapPost("/context", async Task<IResult> (HttpContext http, ServeProject project, IContextBuilder builder, IOptions<ServeOptions> options, CancellationToken ct) =>
        {
            var (request, error) = await ReadAsync(http, options.Value, ServeJsonContext.Default.ContextApiRequest, ct).ConfigureAwait(false);
            if (request is null)
            {
                return error!;
            }
            var (context, problem) = await ContextRendering.RenderAsync(project, builder, request.Focus ?? [], request.Budget, request.Format, request.Tokenizer, ct).ConfigureAwait(false);
            return context is null ? Invalid(problem!) : Json(context, ServeJsonContext.Default.ContextApiResult);
        }).Accepts<ContextApiRequest>("application/json").Produces<ContextApiResult>().ProducesValidationProblem();
    }

    /// <summary>A 400 validation problem naming the field.</summary>
    internal static IResult Invalid(TaskInputException ex) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [ex.Field] = [ex.Message] }, detail: ex.Message);

    private static IResult NoTask(string id) =>
        TypedResults.Problem(title: "Not found", detail: $"no task '{id}'", statusCode: StatusCodes.Status404NotFound);

    private static IResult Json<T>(T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK) =>
        TypedResults.Json(value, type, statusCode: status);

    private static TaskEventDto Event(TaskEvent e) =>
        new(e.Field, e.OldValue, e.NewValue, TaskNames.Name(e.Source), e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));

    // The body, read up to the limit, as T: or the answer to give (413 past the limit, 400 for JSON that is not T).
    internal static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext http, ServeOptions options, JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        var body = await RequestBody.ReadAsync(http.Request, options.MaxRequestBodyBytes, ct).ConfigureAwait(false);
        if (body is null)
        {
            return (null, ServeEndpoints.TooLarge(options));
        }
        if (http.Request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, TypedResults.Problem(title: "Unsupported media type", detail: "send the body as application/json", statusCode: StatusCodes.Status415UnsupportedMediaType));
        }
        try
        {
            var value = JsonSerializer.Deserialize(body, type);
            return value is null ? (null, Invalid(new TaskInputException("body", "the body is empty (send a JSON object)"))) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Invalid(new TaskInputException("body", "the body is not valid JSON for this endpoint: " + ex.Message)));
        }
    }
}
