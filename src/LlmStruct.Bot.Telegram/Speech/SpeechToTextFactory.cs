using System.ClientModel;
using LlmStruct.Bot.Telegram.Configuration;
using Microsoft.Extensions.AI;
using OpenAI;

namespace LlmStruct.Bot.Telegram.Speech;

/// <summary>
/// Makes the speech-to-text client <c>[telegram.transcription]</c> describes: Microsoft.Extensions.AI's OpenAI adapter
/// over an OpenAI-compatible <c>/v1/audio/transcriptions</c> endpoint. A local Whisper model needs a host that passes
/// its own <see cref="ISpeechToTextClient"/> (the Whisper runtime is not part of this package).
/// </summary>
internal static class SpeechToTextFactory
{
    /// <summary>The client, or null with the reason voice is off (for the user).</summary>
#pragma warning disable MEAI001 // ISpeechToTextClient is experimental in Microsoft.Extensions.AI 10.11; its shape is what this package needs.
    public static (ISpeechToTextClient? Client, string? Off) Create(Configuration.TranscriptionOptions options, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(options.Endpoint))
        {
            if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"[telegram.transcription] endpoint is not an http(s) URL: {options.Endpoint}");
            }
            // A local OpenAI-compatible server may need no key; the client library insists on one.
            var key = environment(options.ApiKeyEnv) is { Length: > 0 } k ? k : "unused";
            var audio = new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = endpoint }).GetAudioClient(options.Model);
            return (audio.AsISpeechToTextClient(), null);
        }
        if (!string.IsNullOrWhiteSpace(options.WhisperModelPath))
        {
            return (null, "Voice needs the local Whisper add-on for whisper_model_path (see docs/telegram.md), or an endpoint in [telegram.transcription].");
        }
        return (null, "Voice messages are off: set endpoint in [telegram.transcription] of llmstruct.toml (see docs/telegram.md).");
    }
#pragma warning restore MEAI001
}
