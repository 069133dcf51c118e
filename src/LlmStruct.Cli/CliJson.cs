using System.Text.Json.Serialization;
using LlmStruct.Llm.Work;

namespace LlmStruct.Cli;

/// <summary>System.Text.Json metadata, made at build time, for what the commands print as JSON (indented).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(TaskAnalysis))]
internal sealed partial class CliJson : JsonSerializerContext;
