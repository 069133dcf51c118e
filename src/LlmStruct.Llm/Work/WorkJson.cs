using System.Text.Json.Serialization;

namespace LlmStruct.Llm.Work;

/// <summary>
/// System.Text.Json metadata, made at build time, for the answers the work plugin reads (no reflection at run time,
/// so the same under Native AOT). Every property of <see cref="TaskAnalysis"/> but <c>attempts</c> is checked to be
/// present before the answer is used, so none is left at a default the metadata would not set.
/// </summary>
[JsonSerializable(typeof(TaskAnalysis))]
internal sealed partial class WorkJson : JsonSerializerContext;
