using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using LlmStruct.Configuration;
using Microsoft.Extensions.AI;

namespace LlmStruct.Tasks.Chat;

/// <summary>The model did not give a valid task list within the retry budget.</summary>
public sealed class TaskExtractionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TaskExtractionException(string message, IReadOnlyList<string> errors) : base(message) => Errors = errors;

    /// <summary>Why each answer was rejected, in order.</summary>
    public IReadOnlyList<string> Errors { get; }
}

/// <summary>
/// Asks a chat model for the tasks in a transcript through a JSON schema (<c>ChatResponseFormat.ForJsonSchema</c>),
/// checks the answer (valid JSON, a title on every task, allowed statuses, valid ids) and sends a rejected answer back
/// with the reason, at most <c>maxRetries</c> times — the same loop as <c>analyze</c>. Only an <see cref="IChatClient"/>
/// is needed; the host decides which models stand behind it.
/// </summary>
public sealed class LlmTaskExtractor
{
    private const string Schema = """
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["tasks"],
          "properties": {
            "tasks": {
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["title"],
                "properties": {
                  "id": { "type": "string", "description": "The id the text gives (like TSK-012), else leave it out." },
                  "title": { "type": "string", "minLength": 1 },
                  "description": { "type": "string" },
                  "status": { "type": "string", "enum": ["open", "in_progress", "blocked", "done", "cancelled"] },
                  "priority": { "type": "string" },
                  "assignees": { "type": "array", "items": { "type": "string" } },
                  "labels": { "type": "array", "items": { "type": "string" } },
                  "milestone": { "type": "string" },
                  "depends_on": { "type": "array", "items": { "type": "string" } },
                  "files": { "type": "array", "items": { "type": "string" } },
                  "symbols": { "type": "array", "items": { "type": "string" } }
                }
              }
            }
          }
        }
        """;

    private const string SystemPrompt = """
        You extract the work items (tasks, todos, action items) from a chat transcript about a software project.
        Answer with one JSON object {"tasks": [...]} matching the given schema and nothing else. Keep the ids,
        titles, assignees (@name) and file paths exactly as the text writes them; do not invent tasks, ids or files.
        A task the text marks finished has status "done". If there are no tasks, answer {"tasks": []}.
        """;

    private readonly IChatClient _chat;
    private readonly int _maxRetries;
    private readonly float? _temperature;

    /// <summary>Creates the extractor over <paramref name="chat"/>; an invalid answer is sent back at most <paramref name="maxRetries"/> times.</summary>
    public LlmTaskExtractor(IChatClient chat, int maxRetries = 2, float? temperature = 0)
    {
        _chat = chat ?? throw new ArgumentNullException(nameof(chat));
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        _maxRetries = maxRetries;
        _temperature = temperature;
    }

    /// <summary>The tasks the model finds in <paramref name="transcript"/>.</summary>
    public async Task<ImmutableArray<ProjectTask>> ExtractAsync(string transcript, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        using var schema = JsonDocument.Parse(Schema);
        var options = new ChatOptions
        {
            Temperature = _temperature,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement.Clone(), "chat_tasks", "The tasks found in a chat transcript."),
        };
        var messages = new List<ChatMessage> { new(ChatRole.System, SystemPrompt), new(ChatRole.User, transcript) };
        var errors = new List<string>();
        int attempts = _maxRetries + 1;
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            var response = await _chat.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            var text = response.Text ?? "";
            try
            {
                return Validate(text);
            }
            catch (TaskAnswerException ex)
            {
                errors.Add(ex.Message);
                messages.Add(new ChatMessage(ChatRole.Assistant, text));
                messages.Add(new ChatMessage(ChatRole.User,
                    $"Your previous answer was rejected: {ex.Message}\nAnswer again, in full, following the schema exactly (attempt {(attempt + 1).ToString(CultureInfo.InvariantCulture)} of {attempts.ToString(CultureInfo.InvariantCulture)})."));
            }
        }
        throw new TaskExtractionException(
            $"the model did not produce a valid task list in {attempts} attempt{(attempts == 1 ? "" : "s")}; last error: {errors[^1]}", errors);
    }

    /// <summary>Checks one answer; throws with the reason a model can act on.</summary>
    internal static ImmutableArray<ProjectTask> Validate(string text)
    {
        int start = text.IndexOf('{', StringComparison.Ordinal), end = text.LastIndexOf('}');
        if (start < 0 || end < start)
        {
            throw new TaskAnswerException("the answer is not a JSON object");
        }
        try
        {
            using var json = JsonDocument.Parse(text[start..(end + 1)]);
            if (!json.RootElement.TryGetProperty("tasks", out var tasks) || tasks.ValueKind != JsonValueKind.Array)
            {
                throw new TaskAnswerException("the JSON lacks the 'tasks' array");
            }
            var result = ImmutableArray.CreateBuilder<ProjectTask>();
            int index = 0;
            foreach (var item in tasks.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new TaskAnswerException($"tasks[{index}] is not an object");
                }
                if (item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } given && !TaskIds.IsValid(given))
                {
                    throw new TaskAnswerException($"tasks[{index}].id '{given}' is not valid ({TaskIds.Rule})");
                }
                ProjectTask task;
                try
                {
                    task = TaskJson.Read(item);
                }
                catch (ConfigException ex)
                {
                    throw new TaskAnswerException($"tasks[{index}]: {ex.Message}");
                }
                if (task.Title.Length == 0)
                {
                    throw new TaskAnswerException($"tasks[{index}] has no title");
                }
                result.Add(task);
                index++;
            }
            return result.ToImmutable();
        }
        catch (JsonException ex)
        {
            throw new TaskAnswerException($"the answer is not valid JSON: {ex.Message}");
        }
    }

    private sealed class TaskAnswerException(string message) : Exception(message);
}
