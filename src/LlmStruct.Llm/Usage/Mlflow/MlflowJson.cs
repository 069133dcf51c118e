using System.Text.Json.Serialization;

namespace LlmStruct.Llm.Usage.Mlflow;

// The request and response bodies of MLflow's REST API 2.0 (field names as its reference documents them).

internal sealed record MlflowKeyValue([property: JsonPropertyName("key")] string Key, [property: JsonPropertyName("value")] string Value);

internal sealed record MlflowMetricBody(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("step")] long Step);

internal sealed record CreateExperimentRequest([property: JsonPropertyName("name")] string Name);

internal sealed record CreateExperimentResponse([property: JsonPropertyName("experiment_id")] string? ExperimentId);

internal sealed record ExperimentBody([property: JsonPropertyName("experiment_id")] string? ExperimentId, [property: JsonPropertyName("lifecycle_stage")] string? LifecycleStage);

internal sealed record GetExperimentResponse([property: JsonPropertyName("experiment")] ExperimentBody? Experiment);

internal sealed record CreateRunRequest(
    [property: JsonPropertyName("experiment_id")] string ExperimentId,
    [property: JsonPropertyName("run_name")] string RunName,
    [property: JsonPropertyName("start_time")] long StartTime,
    [property: JsonPropertyName("tags")] IReadOnlyList<MlflowKeyValue> Tags);

internal sealed record RunInfoBody([property: JsonPropertyName("run_id")] string? RunId);

internal sealed record RunBody([property: JsonPropertyName("info")] RunInfoBody? Info);

internal sealed record CreateRunResponse([property: JsonPropertyName("run")] RunBody? Run);

internal sealed record LogBatchRequest(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("metrics")] IReadOnlyList<MlflowMetricBody> Metrics,
    [property: JsonPropertyName("params")] IReadOnlyList<MlflowKeyValue> Params,
    [property: JsonPropertyName("tags")] IReadOnlyList<MlflowKeyValue> Tags);

internal sealed record UpdateRunRequest(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("end_time")] long EndTime);

internal sealed record MlflowError([property: JsonPropertyName("error_code")] string? ErrorCode, [property: JsonPropertyName("message")] string? Message);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateExperimentRequest))]
[JsonSerializable(typeof(CreateExperimentResponse))]
[JsonSerializable(typeof(GetExperimentResponse))]
[JsonSerializable(typeof(CreateRunRequest))]
[JsonSerializable(typeof(CreateRunResponse))]
[JsonSerializable(typeof(LogBatchRequest))]
[JsonSerializable(typeof(UpdateRunRequest))]
[JsonSerializable(typeof(MlflowError))]
internal sealed partial class MlflowJsonContext : JsonSerializerContext;
