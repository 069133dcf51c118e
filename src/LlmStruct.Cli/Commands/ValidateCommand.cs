using System.CommandLine;
using System.Text.Json;
using LlmStruct.Json;
using LlmStruct.Schema;
using LlmStruct.Tasks.Service;

namespace LlmStruct.Cli.Commands;

/// <summary><c>llmstruct validate FILE</c>: schema and canonical-form check of a struct.json, then its task references.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "The struct.json to check." };
        var command = new Command("validate", "Check a struct.json against the schema and the canonical form.") { file };
        command.SetAction(async (result, cancellationToken) => await RunAsync(console, result.GetValue(file)!, cancellationToken).ConfigureAwait(false));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, FileInfo file, CancellationToken cancellationToken)
    {
        if (Directory.Exists(file.FullName))
        {
            var inside = Path.Combine(file.ToString(), "struct.json");
            return await console.FailAsync(ExitCodes.UsageOrIo, $"{file} is a folder; give the struct.json file to check (e.g. {inside})").ConfigureAwait(false);
        }
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync($"error: cannot read {file}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UsageOrIo;
        }

        var problems = StructValidator.Check(bytes).ToList();
        if (problems.Count == 0)
        {
            // The task references, once the file is known to be well formed.
            problems.AddRange(TaskReferenceCheck.Check(StructJson.Deserialize(bytes)));
        }
        foreach (var problem in problems)
        {
            await console.Out.WriteLineAsync($"{file.Name}: {problem}").ConfigureAwait(false);
        }
        if (problems.Count > 0)
        {
            await console.Error.WriteLineAsync($"{file.Name}: invalid ({problems.Count} problems)").ConfigureAwait(false);
            return ExitCodes.Findings;
        }
        await console.Out.WriteLineAsync($"{file.Name}: valid").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
