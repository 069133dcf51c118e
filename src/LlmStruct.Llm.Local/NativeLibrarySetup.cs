using LLama.Native;

namespace LlmStruct.Llm.Local;

/// <summary>
/// Points LLamaSharp at a llama.cpp build of the user's own (<c>native_library_path</c>: e.g. a CUDA build on a GPU
/// host) instead of the bundled CPU backend. The native library loads once per process, so the first model decides;
/// a later model asking for another folder is an error that names both.
/// </summary>
internal static class NativeLibrarySetup
{
    private static readonly Lock Gate = new();
    private static string? _chosen;

    /// <summary>The llama.cpp library file in <paramref name="folder"/>, by the platform's naming.</summary>
    public static string FindLibrary(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new LocalModelException($"native_library_path not found: {folder}");
        }
        string[] names = OperatingSystem.IsWindows() ? ["llama.dll"] : OperatingSystem.IsMacOS() ? ["libllama.dylib"] : ["libllama.so"];
        return names.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists)
            ?? throw new LocalModelException($"native_library_path {folder} holds no llama.cpp library ({string.Join(" or ", names)})");
    }

    /// <summary>Uses the library in <paramref name="folder"/> (null: the bundled backend) for this process.</summary>
    public static void Use(string? folder)
    {
        lock (Gate)
        {
            var full = folder is null ? null : Path.GetFullPath(folder);
            var llama = full is null ? null : FindLibrary(full);
            if (NativeLibraryConfig.LLama.LibraryHasLoaded || _chosen is not null)
            {
                if (full is not null && !string.Equals(full, _chosen, StringComparison.Ordinal))
                {
                    throw new LocalModelException(
                        $"native_library_path {full} cannot be used: llama.cpp is already loaded from {_chosen ?? "the bundled backend"} in this process");
                }
                return;
            }
            if (full is null || llama is null)
            {
                return;
            }
            var mtmd = Path.Combine(full, Path.GetFileName(llama).Replace("llama", "mtmd", StringComparison.Ordinal));
            NativeLibraryConfig.All.WithLibrary(llama, File.Exists(mtmd) ? mtmd : null);
            _chosen = full;
        }
    }
}
