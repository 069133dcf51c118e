using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmStruct.TestSupport;

namespace LlmStruct.Cli.Tests.Metrics;

/// <summary>
/// A stateful MLflow tracking server on 127.0.0.1 with the REST API 2.0 endpoints the CLI uses, checking every body
/// against MLflow's documented fields and types: <c>experiments/get-by-name</c> (404 <c>RESOURCE_DOES_NOT_EXIST</c>
/// when missing), <c>experiments/create</c> (<c>name</c> string, required; 400 <c>RESOURCE_ALREADY_EXISTS</c> on a
/// duplicate), <c>runs/create</c> (<c>experiment_id</c> string of a known experiment, <c>start_time</c> int64,
/// <c>run_name</c> string, <c>tags</c> array of {key, value} strings), <c>runs/log-batch</c> (<c>run_id</c>;
/// <c>metrics</c> {key string, value double, timestamp int64, step int64}; <c>params</c> and <c>tags</c> {key, value}
/// strings; at most 1,000 metrics, 100 params, 100 tags; a param never changes value; keys of letters, digits and
/// <c>_ - . / </c> and spaces) and <c>runs/update</c> (<c>status</c> one of RUNNING, SCHEDULED, FINISHED, FAILED,
/// KILLED; <c>end_time</c> int64). Unknown fields, wrong types and unknown runs are 400 <c>INVALID_PARAMETER_VALUE</c>
/// (or 404 <c>RESOURCE_DOES_NOT_EXIST</c>), as the real server answers.
/// </summary>
internal sealed class FakeMlflowServer : IDisposable
{
    private readonly LoopbackListener _listener;
    private readonly object _lock = new();
    private int _nextExperiment = 1;

    private FakeMlflowServer()
    {
        _listener = new LoopbackListener(HandleAsync);
        Url = _listener.Origin;
    }

    public string Url { get; }

    public Dictionary<string, string> Experiments { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Run> Runs { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request: method, path and query, body.</summary>
    public ConcurrentQueue<(string Request, string Body)> Requests { get; } = new();

    public ConcurrentQueue<string> Authorizations { get; } = new();

    public static FakeMlflowServer Start() => new();

    public void Dispose() => _listener.Dispose();

    internal sealed class Run(string experimentId, string name)
    {
        public string ExperimentId { get; } = experimentId;

        public string Name { get; } = name;

        public string Status { get; set; } = "RUNNING";

        public long? EndTime { get; set; }

        public Dictionary<string, string> Params { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

        public List<(string Key, double Value, long Timestamp, long Step)> Metrics { get; } = [];
    }

    private sealed class Refusal(int status, string code, string message) : Exception(message)
    {
        public int Status { get; } = status;

        public string Code { get; } = code;
    }

    private async Task HandleAsync(HttpListenerContext ctx)
    {
        var body = await LoopbackListener.ReadBodyAsync(ctx.Request);
        Requests.Enqueue(($"{ctx.Request.HttpMethod} {ctx.Request.Url!.PathAndQuery}", body));
        Authorizations.Enqueue(ctx.Request.Headers["Authorization"] ?? "");
        int status = 200;
        string answer;
        try
        {
            lock (_lock)
            {
                answer = Handle(ctx.Request.HttpMethod, ctx.Request.Url!.AbsolutePath, ctx.Request.QueryString["experiment_name"], body).ToJsonString();
            }
        }
        catch (Refusal refusal)
        {
            status = refusal.Status;
            answer = new JsonObject { ["error_code"] = refusal.Code, ["message"] = refusal.Message }.ToJsonString();
        }
        await LoopbackListener.RespondAsync(ctx.Response, status, "application/json", answer);
    }

    private JsonObject Handle(string method, string path, string? experimentName, string body)
    {
        const string api = "/api/2.0/mlflow/";
        if (!path.StartsWith(api, StringComparison.Ordinal))
        {
            throw new Refusal(404, "ENDPOINT_NOT_FOUND", $"no endpoint {path}");
        }
        switch (method, path[api.Length..])
        {
            case ("GET", "experiments/get-by-name"):
                if (string.IsNullOrEmpty(experimentName))
                {
                    throw new Refusal(400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'experiment_name'");
                }
                if (!Experiments.TryGetValue(experimentName, out var found))
                {
                    throw new Refusal(404, "RESOURCE_DOES_NOT_EXIST", $"Could not find experiment with name '{experimentName}'");
                }
                return new JsonObject { ["experiment"] = new JsonObject { ["experiment_id"] = found, ["name"] = experimentName, ["lifecycle_stage"] = "active" } };
            case ("POST", "experiments/create"):
            {
                var request = Body(body, ["name", "artifact_location", "tags"]);
                var name = Text(request, "name", required: true)!;
                if (Experiments.ContainsKey(name))
                {
                    throw new Refusal(400, "RESOURCE_ALREADY_EXISTS", $"Experiment '{name}' already exists.");
                }
                var id = (_nextExperiment++).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Experiments[name] = id;
                return new JsonObject { ["experiment_id"] = id };
            }
            case ("POST", "runs/create"):
            {
                var request = Body(body, ["experiment_id", "user_id", "run_name", "start_time", "tags"]);
                var experiment = Text(request, "experiment_id", required: true)!;
                if (!Experiments.ContainsValue(experiment))
                {
                    throw new Refusal(404, "RESOURCE_DOES_NOT_EXIST", $"No Experiment with id={experiment} exists");
                }
                Int64(request, "start_time");
                var run = new Run(experiment, Text(request, "run_name") ?? "");
                foreach (var (key, value) in Pairs(request, "tags", 100))
                {
                    run.Tags[key] = value;
                }
                var id = Guid.NewGuid().ToString("N");
                Runs[id] = run;
                return new JsonObject { ["run"] = new JsonObject { ["info"] = new JsonObject { ["run_id"] = id, ["experiment_id"] = experiment, ["status"] = "RUNNING" }, ["data"] = new JsonObject() } };
            }
            case ("POST", "runs/log-batch"):
            {
                var request = Body(body, ["run_id", "metrics", "params", "tags"]);
                var run = RunOf(request);
                var metrics = request["metrics"] as JsonArray ?? [];
                if (metrics.Count > 1000)
                {
                    throw new Refusal(400, "INVALID_PARAMETER_VALUE", "A batch logging request can contain at most 1000 metrics");
                }
                foreach (var node in metrics)
                {
                    var metric = node as JsonObject ?? throw new Refusal(400, "INVALID_PARAMETER_VALUE", "a metric must be an object");
                    Only(metric, ["key", "value", "timestamp", "step"]);
                    var key = Key(Text(metric, "key", required: true)!);
                    if (metric["value"] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
                    {
                        throw new Refusal(400, "INVALID_PARAMETER_VALUE", $"metric '{key}': value must be a number (double)");
                    }
                    var timestamp = Int64(metric, "timestamp") ?? throw new Refusal(400, "INVALID_PARAMETER_VALUE", $"metric '{key}': timestamp is required");
                    run.Metrics.Add((key, value.GetValue<double>(), timestamp, Int64(metric, "step") ?? 0));
                }
                foreach (var (key, value) in Pairs(request, "params", 100))
                {
                    if (run.Params.TryGetValue(Key(key), out var old) && old != value)
                    {
                        throw new Refusal(400, "INVALID_PARAMETER_VALUE", $"Changing param values is not allowed. Param with key='{key}' was already logged with value='{old}'");
                    }
                    run.Params[key] = value;
                }
                foreach (var (key, value) in Pairs(request, "tags", 100))
                {
                    run.Tags[Key(key)] = value;
                }
                return [];
            }
            case ("POST", "runs/update"):
            {
                var request = Body(body, ["run_id", "run_uuid", "status", "end_time", "run_name"]);
                var run = RunOf(request);
                var status = Text(request, "status");
                if (status is not null)
                {
                    run.Status = status is "RUNNING" or "SCHEDULED" or "FINISHED" or "FAILED" or "KILLED"
                        ? status
                        : throw new Refusal(400, "INVALID_PARAMETER_VALUE", $"Invalid value {status} for parameter 'status'");
                }
                run.EndTime = Int64(request, "end_time");
                return new JsonObject { ["run_info"] = new JsonObject { ["status"] = run.Status } };
            }
            default:
                throw new Refusal(404, "ENDPOINT_NOT_FOUND", $"no endpoint {method} {path}");
        }
    }

    private Run RunOf(JsonObject request)
    {
        var id = Text(request, "run_id", required: true)!;
        return Runs.TryGetValue(id, out var run) ? run : throw new Refusal(404, "RESOURCE_DOES_NOT_EXIST", $"Run '{id}' not found");
    }

    private static JsonObject Body(string body, string[] fields)
    {
        JsonObject request;
        try
        {
            request = JsonNode.Parse(body) as JsonObject ?? throw new Refusal(400, "MALFORMED_REQUEST", "the body must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new Refusal(400, "MALFORMED_REQUEST", ex.Message);
        }
        Only(request, fields);
        return request;
    }

    private static void Only(JsonObject node, string[] fields)
    {
        foreach (var (name, _) in node)
        {
            if (!fields.Contains(name))
            {
                throw new Refusal(400, "INVALID_PARAMETER_VALUE", $"unknown field '{name}'");
            }
        }
    }

    private static string? Text(JsonObject node, string field, bool required = false)
    {
        var value = node[field];
        if (value is null)
        {
            return required ? throw new Refusal(400, "INVALID_PARAMETER_VALUE", $"Missing value for required parameter '{field}'") : null;
        }
        return value is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new Refusal(400, "INVALID_PARAMETER_VALUE", $"'{field}' must be a string");
    }

    // proto3's JSON mapping: an int64 may be a number or a string of digits; never a fraction.
    private static long? Int64(JsonObject node, string field)
    {
        var value = node[field];
        if (value is null)
        {
            return null;
        }
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var number))
        {
            return number;
        }
        if (value is JsonValue s && s.GetValueKind() == JsonValueKind.String && long.TryParse(s.GetValue<string>(), out var parsed))
        {
            return parsed;
        }
        throw new Refusal(400, "INVALID_PARAMETER_VALUE", $"'{field}' must be an int64");
    }

    private static IEnumerable<(string Key, string Value)> Pairs(JsonObject node, string field, int max)
    {
        if (node[field] is null)
        {
            return [];
        }
        var array = node[field] as JsonArray ?? throw new Refusal(400, "INVALID_PARAMETER_VALUE", $"'{field}' must be an array");
        if (array.Count > max)
        {
            throw new Refusal(400, "INVALID_PARAMETER_VALUE", $"at most {max} {field} per request");
        }
        return [.. array.Select(item =>
        {
            var pair = item as JsonObject ?? throw new Refusal(400, "INVALID_PARAMETER_VALUE", $"'{field}' items must be objects");
            Only(pair, ["key", "value"]);
            return (Key(Text(pair, "key", required: true)!), Text(pair, "value", required: true)!);
        })];
    }

    private static string Key(string key) =>
        key.Length is > 0 and <= 250 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ' ')
            ? key
            : throw new Refusal(400, "INVALID_PARAMETER_VALUE", $"Invalid key '{key}': names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).");
}
