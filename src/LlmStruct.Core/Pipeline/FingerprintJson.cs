using System.Text.Json.Serialization;
using LlmStruct.Configuration;
using LlmStruct.Model;

namespace LlmStruct.Pipeline;

/// <summary>The options that decide a run's output, as the run's fingerprint hashes them (the JSON of an object with these three members).</summary>
internal sealed record FingerprintOptions(ProjectOptions Project, ParsingOptions Parsing, InstructionsOptions Instructions);

/// <summary>
/// System.Text.Json metadata, made at build time, for what the fingerprint serializes (no reflection at run time, so
/// the same under Native AOT; the text is what the reflection-based serializer with default options writes).
/// </summary>
[JsonSerializable(typeof(FingerprintOptions))]
[JsonSerializable(typeof(IReadOnlyList<ParseError>))]
[JsonSerializable(typeof(IReadOnlyList<SkippedFile>))]
internal sealed partial class FingerprintJson : JsonSerializerContext;
