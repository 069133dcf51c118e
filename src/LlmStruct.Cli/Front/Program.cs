// llmstruct-front: the command the linux-x64 tool package starts. It runs parse, validate, cache and context itself,
// with the same command code as the whole tool, and hands every other command line to the whole tool (FullTool.Exec).
using LlmStruct.Cli;
using LlmStruct.Cli.Front;

if (!FrontCommands.RunsHere(args, Environment.GetEnvironmentVariable))
{
    return FullTool.Exec(args, Console.Error);
}
return await CliHost.RunAsync(
    args, Console.Out, Console.Error, console => FrontCommands.Create(console, CliHost.CreateServices), (_, _, invoke) => invoke(), CancellationToken.None)
    .ConfigureAwait(false);
