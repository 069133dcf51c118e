using System.ClientModel;
using LlmStruct.Bot.Telegram.Configuration;
using Microsoft.Extensions.AI;
using OpenAI;

namespace LlmStruct.Bot.Telegram.Speech;

/// <summary>
/// Makes the speech-to-text client <c>[telegram.transcription]</c> describes: a local Whisper model
/// (<c>whisper_model_path</c>, when the file exists and the host passes <see cref="Hosting.TelegramBotRequest.LocalWhisper"/>,
/// as the CLI does), else Microsoft.Extensions.AI's OpenAI adapter over an OpenAI-compatible
/// <c>/v1/audio/transcriptions</c> endpoint.
/// </summary>
internal static class SpeechToTextFactory
{
    /// <summary>The client, or null with the reason voice is off (for the user).</summary>
#pragma warning disable MEAI001 // ISpeechToTextClient is experimental in Microsoft.Extensions.AI 10.11; its shape is what this package needs.
    public static (ISpeechToTextClient? Client, string? Off) Create(
        Configuration.TranscriptionOptions options, Func<string, string?> environment, string projectDirectory = ".", Func<string, ISpeechToTextClient>? localWhisper = null)
    {
        bool hasEndpoint = !string.IsNullOrWhiteSpace(options.Endpoint);
        if (!string.IsNullOrWhiteSpace(options.WhisperModelPath))
        {
            var model = Path.GetFullPath(options.WhisperModelPath, Path.GetFullPath(projectDirectory));
            if (File.Exists(model) && localWhisper is not null)
            {
                return (localWhisper(model), null);
            }
            if (!hasEndpoint)
            {
                return (null, File.Exists(model)
                    ? "Voice needs the local Whisper add-on for whisper_model_path (the llmstruct tool has it; a .NET host passes TelegramBotRequest.LocalWhisper), or an endpoint in [telegram.transcription]."
                    : $"Voice messages are off: the Whisper model file {options.WhisperModelPath} (whisper_model_path) was not found; download a ggml-*.bin model (see docs/telegram.md).");
            }
        }
        if (hasEndpoint)
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
        return (null, "Voice messages are off: set endpoint in [telegram.transcription] of llmstruct.toml (see docs/telegram.md).");
    }
#pragma warning restore MEAI001
}
