using System.Collections.Immutable;
using LlmStruct.Caching;
using LlmStruct.Discovery;
using LlmStruct.Json;
using LlmStruct.Linking;
using LlmStruct.Model;
using LlmStruct.Parsing;
using LlmStruct.Ranking;
using LlmStruct.Schema;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Pipeline;

// The incremental path of BuildAsync: when only a few files changed and each keeps its surface (what other
// modules' links can see of it), the previous struct.json is patched instead of rebuilt. Only the changed modules'
// calls are resolved again (against an index that loads the modules they lead to from the previous output), the
// called_by lists their old and new calls touch are updated, the header (stats, ranking, instructions) is recomputed
// from per-module records, and every other module's bytes are copied. The result is byte-identical to a full run;
// anything unexpected falls back to one.
public sealed partial class StructPipeline
{
    /// <summary>More changed files than this and a full run is cheaper than patching.</summary>
    private const int MaxPatchedFiles = 64;

    private OutputRecord RecordOf(
        string root, Configuration.LlmStructOptions options, DiscoveryResult discovery, string output, StructDocument document, IReadOnlyList<ModuleSpan> spans,
        OutputRecord? previous, string? contributed)
    {
        var known = previous is not null && previous.Tools == Tools
            ? previous.Modules.ToDictionary(m => m.Path, m => (m.Sha256, m.Surface), StringComparer.Ordinal)
            : [];
        var shas = new Dictionary<string, string>(StringComparer.Ordinal);
        var slot = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < document.Modules.Length; i++)
        {
            shas[document.Modules[i].Path] = document.Modules[i].Sha256;
            slot[document.Modules[i].Path] = i;
        }
        var modules = new OutputModule[document.Modules.Length];
        Parallel.For(0, modules.Length, i =>
        {
            var module = document.Modules[i];
            var surface = known.TryGetValue(module.Path, out var old) && old.Sha256 == module.Sha256 ? old.Surface : ModuleSurface.Hash(module);
            modules[i] = Entry(module, surface, spans[i], slot);
        });
        return NewRecord(output, Fingerprint(root, options, discovery, (file, _) => shas.GetValueOrDefault(file.RelativePath), contributed), document with { Modules = [] }, modules);
    }

    // What was just written to `output`, with the file's stamp as it is now.
    private OutputRecord NewRecord(string output, (string Global, string Full) fingerprint, StructDocument header, IEnumerable<OutputModule> modules)
    {
        var written = new FileInfo(output);
        return new OutputRecord
        {
            Fingerprint = fingerprint.Full,
            Global = fingerprint.Global,
            Length = written.Length,
            LastWriteTicks = written.LastWriteTimeUtc.Ticks,
            Header = header,
            Modules = [.. modules],
            Tools = Tools,
        };
    }

    private static OutputModule Entry(ModuleInfo module, string surface, ModuleSpan span, IReadOnlyDictionary<string, int> slot)
    {
        var edges = StructRanker.ModuleEdges(module, slot);
        return new OutputModule
        {
            Path = module.Path,
            Language = module.Language,
            Sha256 = module.Sha256,
            Surface = surface,
            Offset = span.Offset,
            Length = span.Length,
            EdgeTargets = [.. edges.Select(e => e.To)],
            EdgeWeights = [.. edges.Select(e => e.Weight)],
        };
    }

    private async Task<BuildResult?> TryPatchAsync(
        Run run, PipelineRequest request, DiscoveryResult discovery, OutputRecord record, string output, CancellationToken cancellationToken)
    {
        var cache = request.Cache!;
        var redactor = new Security.SourceRedactor(request.Options.Security);
        record = cache.GetOutput(output, withModules: true) ?? record;
        run.Lap("record-modules");
        if (discovery.Files.Count != record.Modules.Length)
        {
            return null; // some file was an error or skipped entry last time
        }
        var slots = new Dictionary<string, int>(record.Modules.Length, StringComparer.Ordinal);
        for (int i = 0; i < record.Modules.Length; i++)
        {
            slots[record.Modules[i].Path] = i;
        }

        // 1. Which files changed: an unchanged stamp vouches for the content; the rest are read (and parsed if new).
        var candidates = new List<DiscoveredFile>();
        foreach (var file in discovery.Files)
        {
            if (!slots.TryGetValue(file.RelativePath, out int slot))
            {
                return null;
            }
            var parser = _registry.ForPath(file.RelativePath)!;
            if (cache.TryGetShaByStamp(file.RelativePath, Stamp(file), ParserKey(parser, redactor, file.RelativePath)) != record.Modules[slot].Sha256)
            {
                candidates.Add(file);
                if (candidates.Count > MaxPatchedFiles)
                {
                    return null;
                }
            }
        }
        var changed = new SortedDictionary<int, (ModuleInfo Module, IReadOnlyList<ParseError> Errors)>();
        foreach (var file in candidates)
        {
            var outcome = await ProcessAsync(file, request.Options.Parsing.MaxFileBytes, redactor, cache, cancellationToken).ConfigureAwait(false);
            int slot = slots[file.RelativePath];
            if (outcome.Module is null || outcome.Skipped is not null)
            {
                return null;
            }
            if (outcome.Module.Sha256 == record.Modules[slot].Sha256)
            {
                continue; // touched, same content
            }
            if (ModuleSurface.Hash(outcome.Module) != record.Modules[slot].Surface)
            {
                _logger.LogDebug("{Path} changed what other modules can link to; full run", file.RelativePath);
                return null;
            }
            changed[slot] = (outcome.Module, outcome.Errors);
        }
        cache.Save(cancellationToken);
        run.Lap("parse");
        if (changed.Count == 0)
        {
            // Only stamps moved: the output is right as it is, and the cache now vouches for the new stamps.
            return new BuildResult { UpToDate = true, Stats = record.Header.Stats, Errors = record.Header.Errors, Bytes = record.Length, Timings = run.Timings };
        }

        try
        {
            return await PatchAsync(run, request, discovery, record, output, slots, changed, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException or InvalidDataException or UnauthorizedAccessException)
        {
            _logger.LogDebug("Patching {Output} failed ({Message}); full run", output, ex.Message);
            return null;
        }
    }

    private async Task<BuildResult> PatchAsync(
        Run run, PipelineRequest request, DiscoveryResult discovery, OutputRecord record, string output,
        Dictionary<string, int> slots, SortedDictionary<int, (ModuleInfo Module, IReadOnlyList<ParseError> Errors)> changed, CancellationToken cancellationToken)
    {
        using var previous = File.OpenHandle(output, FileMode.Open, FileAccess.Read, FileShare.Read);
        var oldModules = new Dictionary<int, ModuleInfo>();
        ModuleInfo ReadOld(int slot)
        {
            if (!oldModules.TryGetValue(slot, out var module))
            {
                var entry = record.Modules[slot];
                var bytes = new byte[entry.Length];
                if (RandomAccess.Read(previous, bytes, entry.Offset) != bytes.Length)
                {
                    throw new InvalidDataException("the previous struct.json is shorter than recorded");
                }
                module = StructJson.DeserializeModule(bytes);
                if (module.Path != entry.Path)
                {
                    throw new InvalidDataException($"the previous struct.json has {module.Path} where {entry.Path} was recorded");
                }
                oldModules[slot] = module;
            }
            return module;
        }

        // 2. Resolve the changed modules' imports and calls. Other modules come from the previous output as they were
        //    linked (their resolved imports are what star-import walks follow); their calls are never looked at.
        var fresh = new Dictionary<string, ModuleInfo>(StringComparer.Ordinal);
        var changedPaths = changed.Keys.Select(s => record.Modules[s].Path).ToHashSet(StringComparer.Ordinal);
        var linkOptions = LinkOptions.FromRoot(run.Root, record.Modules.Where(m => JavaScriptLinker.IsScriptLanguage(m.Language)).Select(m => m.Path));
        var index = new LinkIndex(
            record.Modules.Select(m => (m.Path, m.Language)),
            path => fresh.TryGetValue(path, out var module) ? module
                : changedPaths.Contains(path) ? throw new InvalidDataException($"{path} was looked up before it was linked")
                : ReadOld(slots[path]),
            linkOptions);
        foreach (var (slot, (module, _)) in changed)
        {
            fresh[module.Path] = _linker.ResolveImports(module, index);
        }
        var linked = new Dictionary<int, ModuleInfo>();
        foreach (var slot in changed.Keys)
        {
            linked[slot] = _linker.ResolveCalls(fresh[record.Modules[slot].Path], index);
        }
        run.Lap("link");

        // 3. called_by: every edge the changed modules' old calls made and their new calls make, compared.
        var removed = new HashSet<(string Caller, string Target)>();
        var added = new HashSet<(string Caller, string Target)>();
        foreach (var slot in changed.Keys)
        {
            var before = StructLinker.ResolvedCalls(ReadOld(slot).Definitions).ToHashSet();
            var after = StructLinker.ResolvedCalls(linked[slot].Definitions).ToHashSet();
            removed.UnionWith(before.Except(after));
            added.UnionWith(after.Except(before));
        }
        var touched = new SortedSet<int>(changed.Keys);
        foreach (var (_, target) in removed.Concat(added))
        {
            if (slots.TryGetValue(DefinitionIds.PathOf(target), out int slot))
            {
                touched.Add(slot);
            }
        }
        var replaced = new Dictionary<int, ModuleInfo>();
        foreach (var slot in touched)
        {
            // Each definition's old callers, less the edges that went, plus the ones that came.
            var old = ReadOld(slot);
            var callers = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            foreach (var definition in Flatten(old.Definitions))
            {
                callers[definition.Id] = new SortedSet<string>(definition.CalledBy, StringComparer.Ordinal);
            }
            foreach (var (caller, target) in removed)
            {
                callers.GetValueOrDefault(target)?.Remove(caller);
            }
            foreach (var (caller, target) in added)
            {
                callers.GetValueOrDefault(target)?.Add(caller);
            }
            var basis = linked.TryGetValue(slot, out var relinked) ? relinked : old;
            var lists = callers.ToDictionary(c => c.Key, c => System.Collections.Immutable.ImmutableArray.CreateRange(c.Value), StringComparer.Ordinal);
            replaced[slot] = basis with { Definitions = StructLinker.FillCalledBy(basis.Definitions, lists) };
        }

        // 4. The header: errors, stats, key files and base instructions, from the records of every module.
        var header = record.Header;
        var errors = header.Errors.Where(e => !changedPaths.Contains(e.File)).Concat(changed.Values.SelectMany(c => c.Errors));
        var canonicalErrors = StructCanonicalizer.Canonicalize(new StructDocument { Errors = [.. errors] }).Errors;
        var stats = StructAssembler.Replace(
            header.Stats, changed.Keys.Select(ReadOld), changed.Keys.Select(s => linked[s]), canonicalErrors.Length, header.Skipped.Length);
        var paths = record.Modules.Select(m => m.Path).ToArray();
        var slotOf = slots.AsReadOnly();
        var graph = new (int To, double Weight)[paths.Length][];
        for (int i = 0; i < paths.Length; i++)
        {
            if (linked.TryGetValue(i, out var module))
            {
                graph[i] = StructRanker.ModuleEdges(module, slotOf);
                continue;
            }
            var (targets, weights) = (record.Modules[i].EdgeTargets, record.Modules[i].EdgeWeights);
            graph[i] = new (int, double)[targets.Length];
            for (int e = 0; e < targets.Length; e++)
            {
                graph[i][e] = (targets[e], weights[e]);
            }
        }
        var ranking = StructRanker.RankGraph(paths, graph);
        var entryPoints = header.Context.Files.Where(f => f.Reason == StructLinker.EntryPointReason).Select(f => f.Path);
        var oldLanguages = InstructionDeriver.LanguagesRule(header.Stats);
        var newLanguages = InstructionDeriver.LanguagesRule(stats);
        ImmutableArray<string> instructions =
            [.. (newLanguages is null ? [] : new[] { newLanguages }), .. header.Instructions.Base.Skip(oldLanguages is null ? 0 : 1)];
        var newHeader = header with
        {
            Stats = stats,
            Errors = canonicalErrors,
            Context = header.Context with { Files = StructLinker.ContextFiles(entryPoints, ranking, linkOptions.ContextFileCount) },
            Instructions = header.Instructions with { Base = instructions },
        };
        run.Lap("relink");

        // 5. Write: the new header, the replaced modules serialized, every other module copied from the old file.
        var spans = record.Modules.Select(m => new ModuleSpan(m.Offset, m.Length)).ToArray();
        var problems = ModelConstraints.Check(newHeader with { Modules = [.. replaced.Values] });
        if (problems.Count > 0)
        {
            throw new InvalidStructException(problems);
        }
        // The new fingerprint needs only the new hashes: computed while the file is written and flushed.
        var shas = record.Modules.ToDictionary(m => m.Path, m => m.Sha256, StringComparer.Ordinal);
        foreach (var (slot, (module, _)) in changed)
        {
            shas[record.Modules[slot].Path] = module.Sha256;
        }
        var fingerprint = Task.Run(() => Fingerprint(run.Root, request.Options, discovery, (file, _) => shas.GetValueOrDefault(file.RelativePath), null), cancellationToken);
        var (length, newSpans) = await StructFileWriter.WriteValidatedAsync(
            output,
            (stream, ct) => StructJson.SerializeSplicedAsync(stream, newHeader, replaced, previous, spans, ct),
            () => [],
            cancellationToken).ConfigureAwait(false);
        run.Lap("write");

        var modules = record.Modules.ToArray();
        for (int i = 0; i < modules.Length; i++)
        {
            modules[i] = linked.TryGetValue(i, out var module)
                ? Entry(module, modules[i].Surface, newSpans[i], slotOf)
                : modules[i] with { Offset = newSpans[i].Offset, Length = newSpans[i].Length };
        }
        request.Cache!.PutOutput(output, NewRecord(output, await fingerprint.ConfigureAwait(false), newHeader, modules));
        run.Lap("record");
        _logger.LogDebug("Patched {Output}: {Changed} changed files, {Rewritten} modules rewritten", output, changed.Count, replaced.Count);
        return new BuildResult
        {
            Stats = stats,
            Errors = canonicalErrors,
            Bytes = length,
            Timings = run.Timings,
            ChangedFiles = changed.Count,
        };
    }

    private static IEnumerable<Definition> Flatten(ImmutableArray<Definition> definitions) =>
        definitions.IsDefaultOrEmpty ? [] : definitions.SelectMany(d => Flatten(d.Children).Prepend(d));
}
