using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LlmStruct.Llm.Secrets;

namespace LlmStruct.Llm.Usage.Mlflow;

/// <summary>
/// Logs runs to an MLflow tracking server through its REST API 2.0: <c>experiments/get-by-name</c> (else
/// <c>experiments/create</c>), <c>runs/create</c>, <c>runs/log-batch</c> (in chunks of MLflow's limits: 1,000 metrics,
/// 100 params, 100 tags) and <c>runs/update</c> to <c>FINISHED</c>; a run whose batches fail is ended <c>FAILED</c>.
/// A token (<c>MLFLOW_TRACKING_TOKEN</c> for the CLI) is sent as <c>Authorization: Bearer</c>; error messages are redacted.
/// </summary>
public sealed class MlflowTracking
{
    private const int MaxMetrics = 1000;
    private const int MaxParams = 100;
    private const int MaxTags = 100;

    private readonly HttpClient _http;
    private readonly Uri _api;
    private readonly string? _token;
    private readonly TimeProvider _time;

    /// <summary>A client of the server at <paramref name="trackingUri"/> (e.g. <c>http://127.0.0.1:5000</c>).</summary>
    public MlflowTracking(HttpClient http, Uri trackingUri, string? token = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(trackingUri);
        if (!trackingUri.IsAbsoluteUri || trackingUri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"the MLflow tracking URI must be an http:// or https:// URL, not '{trackingUri}'", nameof(trackingUri));
        }
        _http = http;
        var text = trackingUri.AbsoluteUri;
        _api = new Uri((text.EndsWith('/') ? text : text + "/") + "api/2.0/mlflow/");
        _token = string.IsNullOrEmpty(token) ? null : token;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// A metric key MLflow accepts: letters, digits, <c>_ - . /</c> and spaces kept, anything else (from a provider
    /// or model name) turned into <c>_</c>.
    /// </summary>
    public static string MetricKey(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            key.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ' ' ? c : '_');
        }
        return key.ToString();
    }

    /// <summary>Creates the run, logs its params, metrics and tags, and ends it.</summary>
    public async Task<MlflowRunResult> LogRunAsync(MlflowRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrWhiteSpace(run.Experiment);
        var experimentId = await ExperimentIdAsync(run.Experiment, cancellationToken).ConfigureAwait(false);
        long start = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var created = await PostAsync("runs/create",
            new CreateRunRequest(experimentId, run.Name, start, [new MlflowKeyValue("mlflow.runName", run.Name)]),
            MlflowJsonContext.Default.CreateRunRequest, MlflowJsonContext.Default.CreateRunResponse, cancellationToken).ConfigureAwait(false);
        var runId = created?.Run?.Info?.RunId is { Length: > 0 } id ? id : throw new MlflowException("MLflow runs/create answered without run.info.run_id");
        try
        {
            await LogBatchesAsync(runId, run, start, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MlflowException or HttpRequestException)
        {
            await EndAsync(runId, "FAILED", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        await EndAsync(runId, "FINISHED", cancellationToken).ConfigureAwait(false);
        return new MlflowRunResult(experimentId, runId);
    }

    private async Task LogBatchesAsync(string runId, MlflowRun run, long timestamp, CancellationToken cancellationToken)
    {
        var metrics = run.Metrics.Select(m => new MlflowMetricBody(m.Key, m.Value, timestamp, m.Step)).ToList();
        var parameters = run.Params.Select(p => new MlflowKeyValue(p.Key, p.Value)).ToList();
        var tags = run.Tags.Select(t => new MlflowKeyValue(t.Key, t.Value)).ToList();
        int batches = Math.Max(1, Math.Max((metrics.Count + MaxMetrics - 1) / MaxMetrics, Math.Max((parameters.Count + MaxParams - 1) / MaxParams, (tags.Count + MaxTags - 1) / MaxTags)));
        for (int b = 0; b < batches; b++)
        {
            var request = new LogBatchRequest(runId,
                [.. metrics.Skip(b * MaxMetrics).Take(MaxMetrics)],
                [.. parameters.Skip(b * MaxParams).Take(MaxParams)],
                [.. tags.Skip(b * MaxTags).Take(MaxTags)]);
            await PostAsync<LogBatchRequest, MlflowError>("runs/log-batch", request, MlflowJsonContext.Default.LogBatchRequest, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task EndAsync(string runId, string status, CancellationToken cancellationToken) =>
        PostAsync<UpdateRunRequest, MlflowError>("runs/update", new UpdateRunRequest(runId, status, _time.GetUtcNow().ToUnixTimeMilliseconds()),
            MlflowJsonContext.Default.UpdateRunRequest, null, cancellationToken);

    private async Task<string> ExperimentIdAsync(string name, CancellationToken cancellationToken)
    {
        using (var request = Request(HttpMethod.Get, "experiments/get-by-name?experiment_name=" + Uri.EscapeDataString(name)))
        using (var response = await SendAsync(request, cancellationToken).ConfigureAwait(false))
        {
            if (response.IsSuccessStatusCode)
            {
                var found = await ReadAsync(response, MlflowJsonContext.Default.GetExperimentResponse, cancellationToken).ConfigureAwait(false);
                if (found?.Experiment?.ExperimentId is not { Length: > 0 } id)
                {
                    throw new MlflowException("MLflow experiments/get-by-name answered without experiment.experiment_id");
                }
                if (found.Experiment.LifecycleStage == "deleted")
                {
                    throw new MlflowException($"the MLflow experiment '{name}' is deleted: restore it or choose another --experiment");
                }
                return id;
            }
            var error = await ErrorOfAsync(response, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.NotFound && error.ErrorCode != "RESOURCE_DOES_NOT_EXIST")
            {
                throw Failure("experiments/get-by-name", response.StatusCode, error);
            }
        }
        var created = await PostAsync("experiments/create", new CreateExperimentRequest(name),
            MlflowJsonContext.Default.CreateExperimentRequest, MlflowJsonContext.Default.CreateExperimentResponse, cancellationToken).ConfigureAwait(false);
        return created?.ExperimentId is { Length: > 0 } createdId ? createdId : throw new MlflowException("MLflow experiments/create answered without experiment_id");
    }

    private async Task<TResponse?> PostAsync<TRequest, TResponse>(
        string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse>? responseType, CancellationToken cancellationToken)
        where TResponse : class
    {
        using var request = Request(HttpMethod.Post, path);
        request.Content = JsonContent.Create(body, requestType);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(path, response.StatusCode, await ErrorOfAsync(response, cancellationToken).ConfigureAwait(false));
        }
        return responseType is null ? null : await ReadAsync(response, responseType, cancellationToken).ConfigureAwait(false);
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(_api, path));
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new MlflowException(SecretRedactor.Redact($"cannot reach the MLflow server at {_api.GetLeftPart(UriPartial.Authority)}: {ex.Message}"), ex);
        }
    }

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new MlflowException($"MLflow answered with a body that is not the expected JSON: {ex.Message}", ex);
        }
    }

    private static async Task<MlflowError> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(text, MlflowJsonContext.Default.MlflowError) ?? new MlflowError(null, null);
        }
        catch (JsonException)
        {
            return new MlflowError(null, text.Length <= 300 ? text : text[..300] + "…");
        }
    }

    private static MlflowException Failure(string path, HttpStatusCode status, MlflowError error) =>
        new(SecretRedactor.Redact($"MLflow {path} failed: HTTP {(int)status}{(error.ErrorCode is null ? "" : " " + error.ErrorCode)}{(string.IsNullOrWhiteSpace(error.Message) ? "" : ": " + error.Message.ReplaceLineEndings(" "))}"));
}
