using System.CommandLine;
using LlmStruct.Caching;
using LlmStruct.Configuration;

namespace LlmStruct.Cli.Commands;

/// <summary><c>llmstruct cache clear</c>: delete the parse cache.</summary>
internal static class CacheCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new Option<DirectoryInfo>("--input", "-i") { Description = "The parsed folder whose cache to clear (default: the current folder).", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var config = new Option<FileInfo>("--config", "-c") { Description = "Configuration file (as for parse)." };
        var cacheDir = new Option<DirectoryInfo>("--cache-dir") { Description = "Cache folder (as for parse)." };
        var clear = new Command("clear", "Delete the parse cache.") { input, config, cacheDir };
        clear.SetAction(async (result, cancellationToken) =>
        {
            var inputDir = result.GetValue(input)!;
            if (!inputDir.Exists)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, $"input folder not found: {inputDir}").ConfigureAwait(false);
            }
            try
            {
                var options = (await ConfigLoader.LoadAsync(ConfigFile.Find(result.GetValue(config), inputDir.FullName), cancellationToken).ConfigureAwait(false)).Options;
                var directory = ParseCommand.CacheDirectory(options, inputDir, result.GetValue(cacheDir));
                if (!Directory.Exists(directory))
                {
                    // Opening would create it: there is nothing to clear.
                    await console.Out.WriteLineAsync($"no cache in {directory}").ConfigureAwait(false);
                    return ExitCodes.Ok;
                }
                using (ParseCache.Open(directory))
                {
                    // Holding the lock while deleting keeps a running parse from seeing a half-deleted cache.
                }
                bool existed = ParseCache.Clear(directory);
                await console.Out.WriteLineAsync(existed ? $"cleared {directory}" : $"no cache in {directory}").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (Exception ex) when (ex is ConfigException or IOException or UnauthorizedAccessException)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
            }
        });
        return new Command("cache", "Manage the parse cache.") { clear };
    }
}
