namespace LlmStruct.Llm.Usage.Mlflow;

/// <summary>One MLflow run to log: its experiment, name, params, metrics and tags.</summary>
public sealed record MlflowRun
{
    /// <summary>The experiment's name (created when the server has none of that name).</summary>
    public required string Experiment { get; init; }

    /// <summary>The run's name (tag <c>mlflow.runName</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Params: MLflow keeps each once per run (key up to 250 characters, value up to 6,000).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Params { get; init; } = [];

    /// <summary>Metrics, in the order logged.</summary>
    public IReadOnlyList<MlflowMetric> Metrics { get; init; } = [];

    /// <summary>Tags (e.g. <c>mlflow.source.git.commit</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];
}

/// <summary>One metric value at a step (MLflow charts a key's values by step).</summary>
/// <param name="Key">Letters, digits, <c>_ - . / </c> and spaces only (<see cref="MlflowTracking.MetricKey"/> makes one).</param>
/// <param name="Value">The value.</param>
/// <param name="Step">The step (0 for a single value).</param>
public sealed record MlflowMetric(string Key, double Value, long Step = 0);

/// <summary>Where the run was logged.</summary>
/// <param name="ExperimentId">The experiment's id.</param>
/// <param name="RunId">The run's id.</param>
public sealed record MlflowRunResult(string ExperimentId, string RunId);

/// <summary>The MLflow server refused a request or could not be reached; the message holds its error code and words.</summary>
public sealed class MlflowException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MlflowException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public MlflowException() { }

    /// <summary>Creates the exception with its cause.</summary>
    public MlflowException(string message, Exception inner) : base(message, inner) { }
}
