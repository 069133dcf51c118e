using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using LlmStruct.Model;
using LlmStruct.Tasks.Sync;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmStruct.Ci.Errors;

/// <summary>What <see cref="ErrorIssueSync.SyncAsync"/> did, each list of file paths sorted.</summary>
public sealed record ErrorIssueReport(
    ImmutableArray<string> Created, ImmutableArray<string> Updated, ImmutableArray<string> Closed, ImmutableArray<string> Unchanged);

/// <summary>
/// The SDK entry point of <c>llmstruct ci errors</c>: one tracker issue per file with parse errors. Each issue carries a
/// marker naming its file in its body (<c>&lt;!-- llmstruct:parse-errors file=PATH --&gt;</c>, the path URL-escaped), so
/// a later run finds it instead of opening another: it is edited (and reopened) when the file's errors change, and
/// closed when the file parses again or is gone.
/// </summary>
public sealed class ErrorIssueSync(ILogger<ErrorIssueSync>? logger = null)
{
    /// <summary>The label put on every parse-error issue.</summary>
    public const string Label = "llmstruct:parse-error";

    private const string MarkerStart = "<!-- llmstruct:parse-errors file=";
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>The marker of <paramref name="path"/>'s issue.</summary>
    public static string MarkerOf(string path) => MarkerStart + Uri.EscapeDataString(path) + " -->";

    /// <summary>Brings the tracker's parse-error issues in step with <paramref name="errors"/> (every error of a parse).</summary>
    public async Task<ErrorIssueReport> SyncAsync(IIssueTracker tracker, IEnumerable<ParseError> errors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(errors);
        var byFile = errors.GroupBy(e => e.File, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var existing = new Dictionary<string, TrackerIssue>(StringComparer.Ordinal);
        foreach (var issue in await tracker.ListIssuesAsync(cancellationToken).ConfigureAwait(false))
        {
            // The first (oldest) issue of a file is its issue; ListIssuesAsync orders by number.
            if (FileOf(issue.Body) is { } file && !existing.ContainsKey(file))
            {
                existing[file] = issue;
            }
        }
        List<string> created = [], updated = [], closed = [], unchanged = [];
        foreach (var file in byFile.Keys.Order(StringComparer.Ordinal))
        {
            var draft = new IssueDraft { Title = $"Parse errors in {file}", Body = Body(file, byFile[file]), Labels = [Label], IsOpen = true };
            if (!existing.TryGetValue(file, out var issue))
            {
                var made = await tracker.CreateIssueAsync(draft, cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Opened #{Number} for the parse errors of {File}", made.Number, file);
                created.Add(file);
            }
            else if (issue.Body.TrimEnd() != draft.Body.TrimEnd() || !issue.IsOpen || issue.Title != draft.Title)
            {
                await tracker.UpdateIssueAsync(issue.Number, draft with { Labels = [.. issue.Labels.Union([Label], StringComparer.Ordinal)], Assignees = issue.Assignees }, cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Updated #{Number}: the parse errors of {File}", issue.Number, file);
                updated.Add(file);
            }
            else
            {
                unchanged.Add(file);
            }
        }
        foreach (var (file, issue) in existing.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!byFile.ContainsKey(file) && issue.IsOpen)
            {
                await tracker.SetStateAsync(issue.Number, open: false, cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Closed #{Number}: {File} parses again", issue.Number, file);
                closed.Add(file);
            }
        }
        return new ErrorIssueReport([.. created], [.. updated], [.. closed], [.. unchanged]);
    }

    /// <summary>The issue body: the errors by position, then the marker.</summary>
    public static string Body(string file, IEnumerable<ParseError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"llmstruct cannot parse `{file}`:\n\n");
        foreach (var error in errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ThenBy(e => e.Reason, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"- line {error.Line}, column {error.Column}: {error.Reason.Replace('\n', ' ')}\n");
        }
        text.Append("\nThis issue is kept by `llmstruct ci errors`: it is updated when the errors change and closed when the file parses again.\n\n");
        text.Append(MarkerOf(file)).Append('\n');
        return text.ToString();
    }

    private static string? FileOf(string body)
    {
        int start = body.IndexOf(MarkerStart, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }
        start += MarkerStart.Length;
        int end = body.IndexOf(" -->", start, StringComparison.Ordinal);
        return end < 0 ? null : Uri.UnescapeDataString(body[start..end]);
    }
}
