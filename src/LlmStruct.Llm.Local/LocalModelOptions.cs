using LlmStruct.Configuration;

namespace LlmStruct.Llm.Local;

/// <summary>A GGUF model run in-process by LLamaSharp (llama.cpp).</summary>
public sealed class LocalModelOptions
{
    /// <summary>Provider name (unique in the chain), e.g. <c>qwen</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Path of the GGUF file, e.g. <c>models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf</c>.</summary>
    public required string ModelPath { get; init; }

    /// <summary>Name recorded in metrics; null: the file name without extension.</summary>
    public string? Model { get; init; }

    /// <summary>Context size in tokens (also the context window the chain checks prompts against).</summary>
    public uint ContextSize { get; init; } = 4096;

    /// <summary>CPU threads for generation; null: the backend's choice.</summary>
    public int? Threads { get; init; }

    /// <summary>Layers offloaded to the GPU; used when a GPU backend (e.g. <c>LLamaSharp.Backend.Cuda12</c>) is loaded, ignored on CPU.</summary>
    public int GpuLayers { get; init; }

    /// <summary>Most tokens generated per answer.</summary>
    public int MaxOutputTokens { get; init; } = 512;

    /// <summary>Sampling temperature; null: llama.cpp's default.</summary>
    public float? Temperature { get; init; }

    /// <summary>Sampler seed; the same seed, prompt and machine give the same answer.</summary>
    public uint Seed { get; init; } = 42;

    /// <summary>A folder holding a llama.cpp native library of your own (e.g. a CUDA build); null: the bundled CPU backend.</summary>
    public string? NativeLibraryPath { get; init; }

    /// <summary>The metrics name: <see cref="Model"/>, else the file name without extension.</summary>
    public string DisplayModel => Model ?? Path.GetFileNameWithoutExtension(ModelPath);

    /// <summary>Maps an <c>[[llm.providers]]</c> entry of kind <c>local</c>; a relative model path is resolved against <paramref name="baseDirectory"/>.</summary>
    public static LocalModelOptions FromConfig(LlmProviderOptions config, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Kind != "local")
        {
            throw new ArgumentException($"llm provider '{config.Name}' is of kind '{config.Kind}', not 'local'", nameof(config));
        }
        if (string.IsNullOrWhiteSpace(config.ModelPath))
        {
            throw new ArgumentException($"llm provider '{config.Name}': model_path is required for a local model", nameof(config));
        }
        return new LocalModelOptions
        {
            Name = config.Name,
            ModelPath = Path.GetFullPath(config.ModelPath, baseDirectory),
            Model = config.Model,
            ContextSize = (uint)(config.ContextWindow ?? 4096),
            Threads = config.Threads,
            GpuLayers = config.GpuLayers,
            NativeLibraryPath = string.IsNullOrWhiteSpace(config.NativeLibraryPath) ? null : Path.GetFullPath(config.NativeLibraryPath, baseDirectory),
            MaxOutputTokens = config.MaxOutputTokens,
            Temperature = config.Temperature,
        };
    }
}
