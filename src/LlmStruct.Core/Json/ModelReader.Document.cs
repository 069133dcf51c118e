using System.Collections.Immutable;
using System.Text.Json;
using LlmStruct.Model;

namespace LlmStruct.Json;

/// <summary>The document's own records: everything of struct.json but its modules.</summary>
internal static partial class ModelReader
{
    private static StructDocument Document(ref Utf8JsonReader r)
    {
        var d = new StructDocument();
        Begin(ref r, nameof(StructDocument));
        while (Property(ref r, out var name))
        {
            if (name.SequenceEqual("modules"u8))
            {
                d = d with { Modules = Array(ref r, static (ref Utf8JsonReader r) => Module(ref r)) };
            }
            else if (name.SequenceEqual("version"u8))
            {
                d = d with { Version = Text(ref r) };
            }
            else if (name.SequenceEqual("project"u8))
            {
                d = d with { Project = Project(ref r) };
            }
            else if (name.SequenceEqual("context"u8))
            {
                d = d with { Context = Context(ref r) };
            }
            else if (name.SequenceEqual("instructions"u8))
            {
                d = d with { Instructions = Instructions(ref r) };
            }
            else if (name.SequenceEqual("stats"u8))
            {
                d = d with { Stats = Stats(ref r) };
            }
            else if (name.SequenceEqual("errors"u8))
            {
                d = d with { Errors = Array(ref r, static (ref Utf8JsonReader r) => Error(ref r)) };
            }
            else if (name.SequenceEqual("skipped"u8))
            {
                d = d with { Skipped = Array(ref r, static (ref Utf8JsonReader r) => Skipped(ref r)) };
            }
            else if (name.SequenceEqual("tasks"u8))
            {
                d = d with { Tasks = Array(ref r, static (ref Utf8JsonReader r) => Task(ref r)) };
            }
            else if (name.SequenceEqual("metrics"u8))
            {
                d = d with { Metrics = Metrics(ref r) };
            }
            else
            {
                Unknown(name, nameof(StructDocument));
            }
        }
        return d;
    }

    private static ProjectInfo Project(ref Utf8JsonReader r)
    {
        string name = "";
        string? summary = null;
        Begin(ref r, nameof(ProjectInfo));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("name"u8))
            {
                name = Text(ref r);
            }
            else if (key.SequenceEqual("summary"u8))
            {
                summary = OptionalText(ref r);
            }
            else
            {
                Unknown(key, nameof(ProjectInfo));
            }
        }
        return new ProjectInfo { Name = name, Summary = summary };
    }

    private static ContextInfo Context(ref Utf8JsonReader r)
    {
        var context = new ContextInfo();
        Begin(ref r, nameof(ContextInfo));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("summary"u8))
            {
                context = context with { Summary = OptionalText(ref r) };
            }
            else if (key.SequenceEqual("files"u8))
            {
                context = context with
                {
                    Files = Array(ref r, static (ref Utf8JsonReader r) => ContextFile(ref r)),
                };
            }
            else
            {
                Unknown(key, nameof(ContextInfo));
            }
        }
        return context;
    }

    private static ContextFile ContextFile(ref Utf8JsonReader r)
    {
        var (path, reason) = PathAndReason(ref r, nameof(ContextFile));
        return new ContextFile { Path = path, Reason = reason };
    }

    private static InstructionSet Instructions(ref Utf8JsonReader r)
    {
        var set = new InstructionSet();
        Begin(ref r, nameof(InstructionSet));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("base"u8))
            {
                set = set with { Base = Strings(ref r) };
            }
            else if (key.SequenceEqual("custom"u8))
            {
                set = set with { Custom = Strings(ref r) };
            }
            else
            {
                Unknown(key, nameof(InstructionSet));
            }
        }
        return set;
    }

    private static StructStats Stats(ref Utf8JsonReader r)
    {
        var s = new StructStats();
        Begin(ref r, nameof(StructStats));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("modules"u8))
            {
                s = s with { Modules = r.GetInt32() };
            }
            else if (key.SequenceEqual("definitions"u8))
            {
                s = s with { Definitions = r.GetInt32() };
            }
            else if (key.SequenceEqual("lines"u8))
            {
                s = s with { Lines = r.GetInt64() };
            }
            else if (key.SequenceEqual("errors"u8))
            {
                s = s with { Errors = r.GetInt32() };
            }
            else if (key.SequenceEqual("skipped"u8))
            {
                s = s with { Skipped = r.GetInt32() };
            }
            else if (key.SequenceEqual("imports"u8))
            {
                s = s with { Imports = r.GetInt32() };
            }
            else if (key.SequenceEqual("imports_resolved"u8))
            {
                s = s with { ImportsResolved = r.GetInt32() };
            }
            else if (key.SequenceEqual("call_edges_resolved"u8))
            {
                s = s with { CallEdgesResolved = r.GetInt32() };
            }
            else if (key.SequenceEqual("call_edges_unresolved"u8))
            {
                s = s with { CallEdgesUnresolved = r.GetInt32() };
            }
            else if (key.SequenceEqual("redactions"u8))
            {
                s = s with { Redactions = r.GetInt32() };
            }
            else if (key.SequenceEqual("languages"u8))
            {
                s = s with
                {
                    Languages = Array(ref r, static (ref Utf8JsonReader r) => LanguageStats(ref r)),
                };
            }
            else
            {
                Unknown(key, nameof(StructStats));
            }
        }
        return s;
    }

    private static LanguageStats LanguageStats(ref Utf8JsonReader r)
    {
        var l = new LanguageStats();
        Begin(ref r, nameof(LanguageStats));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("language"u8))
            {
                l = l with { Language = Known(ref r, Languages) };
            }
            else if (key.SequenceEqual("modules"u8))
            {
                l = l with { Modules = r.GetInt32() };
            }
            else if (key.SequenceEqual("definitions"u8))
            {
                l = l with { Definitions = r.GetInt32() };
            }
            else if (key.SequenceEqual("lines"u8))
            {
                l = l with { Lines = r.GetInt64() };
            }
            else
            {
                Unknown(key, nameof(LanguageStats));
            }
        }
        return l;
    }

    private static ParseError Error(ref Utf8JsonReader r)
    {
        string file = "", reason = "";
        int line = 0, column = 0;
        Begin(ref r, nameof(ParseError));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("file"u8))
            {
                file = Text(ref r);
            }
            else if (key.SequenceEqual("line"u8))
            {
                line = r.GetInt32();
            }
            else if (key.SequenceEqual("column"u8))
            {
                column = r.GetInt32();
            }
            else if (key.SequenceEqual("reason"u8))
            {
                reason = Text(ref r);
            }
            else
            {
                Unknown(key, nameof(ParseError));
            }
        }
        return new ParseError { File = file, Line = line, Column = column, Reason = reason };
    }

    private static SkippedFile Skipped(ref Utf8JsonReader r)
    {
        var (path, reason) = PathAndReason(ref r, nameof(SkippedFile));
        return new SkippedFile { Path = path, Reason = reason };
    }

    // The two records made of a path and a reason (a skipped file, a key file of the context).
    private static (string Path, string Reason) PathAndReason(ref Utf8JsonReader r, string type)
    {
        string path = "", reason = "";
        Begin(ref r, type);
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("path"u8))
            {
                path = Text(ref r);
            }
            else if (key.SequenceEqual("reason"u8))
            {
                reason = Text(ref r);
            }
            else
            {
                Unknown(key, type);
            }
        }
        return (path, reason);
    }

    private static TaskItem Task(ref Utf8JsonReader r)
    {
        var t = new TaskItem();
        Begin(ref r, nameof(TaskItem));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("id"u8))
            {
                t = t with { Id = Text(ref r) };
            }
            else if (key.SequenceEqual("title"u8))
            {
                t = t with { Title = Text(ref r) };
            }
            else if (key.SequenceEqual("status"u8))
            {
                t = t with { Status = Text(ref r) };
            }
            else if (key.SequenceEqual("description"u8))
            {
                t = t with { Description = OptionalText(ref r) };
            }
            else if (key.SequenceEqual("labels"u8))
            {
                t = t with { Labels = Strings(ref r) };
            }
            else if (key.SequenceEqual("priority"u8))
            {
                t = t with { Priority = OptionalText(ref r) };
            }
            else if (key.SequenceEqual("assignees"u8))
            {
                t = t with { Assignees = Strings(ref r) };
            }
            else if (key.SequenceEqual("milestone"u8))
            {
                t = t with { Milestone = OptionalText(ref r) };
            }
            else if (key.SequenceEqual("depends_on"u8))
            {
                t = t with { DependsOn = Strings(ref r) };
            }
            else if (key.SequenceEqual("files"u8))
            {
                t = t with { Files = Strings(ref r) };
            }
            else if (key.SequenceEqual("symbols"u8))
            {
                t = t with { Symbols = Strings(ref r) };
            }
            else if (key.SequenceEqual("unresolved"u8))
            {
                t = t with { Unresolved = Strings(ref r) };
            }
            else if (key.SequenceEqual("github"u8))
            {
                t = t with { Github = r.TokenType == JsonTokenType.Null ? null : GitHubLink(ref r) };
            }
            else if (key.SequenceEqual("gitlab"u8))
            {
                t = t with { Gitlab = r.TokenType == JsonTokenType.Null ? null : GitLabLink(ref r) };
            }
            else
            {
                Unknown(key, nameof(TaskItem));
            }
        }
        return t;
    }

    private static TaskGitHubLink GitHubLink(ref Utf8JsonReader r)
    {
        var (number, url) = IssueLink(ref r, "number"u8, nameof(TaskGitHubLink));
        return new TaskGitHubLink { Number = number, Url = url };
    }

    private static TaskGitLabLink GitLabLink(ref Utf8JsonReader r)
    {
        var (iid, url) = IssueLink(ref r, "iid"u8, nameof(TaskGitLabLink));
        return new TaskGitLabLink { Iid = iid, Url = url };
    }

    // A tracker link is one number (GitHub's issue number, GitLab's iid) and an optional web address.
    private static (long Number, string? Url) IssueLink(ref Utf8JsonReader r, ReadOnlySpan<byte> numberKey, string record)
    {
        long number = 0;
        string? url = null;
        Begin(ref r, record);
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual(numberKey))
            {
                number = r.GetInt64();
            }
            else if (key.SequenceEqual("url"u8))
            {
                url = OptionalText(ref r);
            }
            else
            {
                Unknown(key, record);
            }
        }
        return (number, url);
    }

    private static MetricsInfo Metrics(ref Utf8JsonReader r)
    {
        var m = new MetricsInfo();
        Begin(ref r, nameof(MetricsInfo));
        while (Property(ref r, out var key))
        {
            if (!key.SequenceEqual("llm"u8))
            {
                Unknown(key, nameof(MetricsInfo));
            }
            m = m with { Llm = Array(ref r, static (ref Utf8JsonReader r) => Usage(ref r)) };
        }
        return m;
    }

    private static LlmUsageSummary Usage(ref Utf8JsonReader r)
    {
        var u = new LlmUsageSummary();
        Begin(ref r, nameof(LlmUsageSummary));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("provider"u8))
            {
                u = u with { Provider = Text(ref r) };
            }
            else if (key.SequenceEqual("model"u8))
            {
                u = u with { Model = Text(ref r) };
            }
            else if (key.SequenceEqual("calls"u8))
            {
                u = u with { Calls = r.GetInt64() };
            }
            else if (key.SequenceEqual("failures"u8))
            {
                u = u with { Failures = r.GetInt64() };
            }
            else if (key.SequenceEqual("prompt_tokens"u8))
            {
                u = u with { PromptTokens = r.GetInt64() };
            }
            else if (key.SequenceEqual("completion_tokens"u8))
            {
                u = u with { CompletionTokens = r.GetInt64() };
            }
            else if (key.SequenceEqual("latency_ms"u8))
            {
                u = u with { LatencyMs = r.GetInt64() };
            }
            else if (key.SequenceEqual("max_latency_ms"u8))
            {
                u = u with { MaxLatencyMs = r.GetInt64() };
            }
            else if (key.SequenceEqual("streamed_calls"u8))
            {
                u = u with { StreamedCalls = r.GetInt64() };
            }
            else if (key.SequenceEqual("first_token_ms"u8))
            {
                u = u with { FirstTokenMs = r.GetInt64() };
            }
            else if (key.SequenceEqual("cpu_ms"u8))
            {
                u = u with { CpuMs = r.GetInt64() };
            }
            else if (key.SequenceEqual("peak_ram_bytes"u8))
            {
                u = u with { PeakRamBytes = r.GetInt64() };
            }
            else if (key.SequenceEqual("peak_vram_bytes"u8))
            {
                u = u with { PeakVramBytes = r.TokenType == JsonTokenType.Null ? null : r.GetInt64() };
            }
            else
            {
                Unknown(key, nameof(LlmUsageSummary));
            }
        }
        return u;
    }
}
