using System.Collections.Immutable;
using System.Text.Json;
using LlmStruct.Model;

namespace LlmStruct.Json;

/// <summary>A module's records: imports, variables, definitions with their parameters and calls.</summary>
internal static partial class ModelReader
{
    private static ModuleInfo Module(ref Utf8JsonReader r)
    {
        string path = "", language = "", sha256 = "";
        int lines = 0;
        string? docstring = null;
        ImmutableArray<ImportInfo> imports = [];
        ImmutableArray<string> exports = [];
        ImmutableArray<VariableInfo> variables = [];
        ImmutableArray<Definition> definitions = [];
        Begin(ref r, nameof(ModuleInfo));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("path"u8))
            {
                path = Text(ref r);
            }
            else if (key.SequenceEqual("definitions"u8))
            {
                definitions = Array(ref r, static (ref Utf8JsonReader r) => Definition(ref r));
            }
            else if (key.SequenceEqual("language"u8))
            {
                language = Known(ref r, Languages);
            }
            else if (key.SequenceEqual("sha256"u8))
            {
                sha256 = Text(ref r);
            }
            else if (key.SequenceEqual("lines"u8))
            {
                lines = r.GetInt32();
            }
            else if (key.SequenceEqual("docstring"u8))
            {
                docstring = OptionalText(ref r);
            }
            else if (key.SequenceEqual("imports"u8))
            {
                imports = Array(ref r, static (ref Utf8JsonReader r) => Import(ref r));
            }
            else if (key.SequenceEqual("exports"u8))
            {
                exports = Strings(ref r);
            }
            else if (key.SequenceEqual("variables"u8))
            {
                variables = Array(ref r, static (ref Utf8JsonReader r) => Variable(ref r));
            }
            else
            {
                Unknown(key, nameof(ModuleInfo));
            }
        }
        return new ModuleInfo
        {
            Path = path, Language = language, Sha256 = sha256, Lines = lines, Docstring = docstring,
            Imports = imports, Exports = exports, Variables = variables, Definitions = definitions,
        };
    }

    private static ImportInfo Import(ref Utf8JsonReader r)
    {
        string module = "", kind = "import";
        string? alias = null, resolved = null;
        int level = 0, line = 0;
        ImmutableArray<ImportedName> names = [];
        Begin(ref r, nameof(ImportInfo));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("module"u8))
            {
                module = Text(ref r);
            }
            else if (key.SequenceEqual("kind"u8))
            {
                kind = Known(ref r, ImportKinds);
            }
            else if (key.SequenceEqual("names"u8))
            {
                names = Array(ref r, static (ref Utf8JsonReader r) => ImportedName(ref r));
            }
            else if (key.SequenceEqual("alias"u8))
            {
                alias = OptionalText(ref r);
            }
            else if (key.SequenceEqual("level"u8))
            {
                level = r.GetInt32();
            }
            else if (key.SequenceEqual("line"u8))
            {
                line = r.GetInt32();
            }
            else if (key.SequenceEqual("resolved"u8))
            {
                resolved = OptionalText(ref r);
            }
            else
            {
                Unknown(key, nameof(ImportInfo));
            }
        }
        return new ImportInfo { Module = module, Kind = kind, Names = names, Alias = alias, Level = level, Line = line, Resolved = resolved };
    }

    private static ImportedName ImportedName(ref Utf8JsonReader r)
    {
        string name = "";
        string? alias = null;
        Begin(ref r, nameof(ImportedName));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("name"u8))
            {
                name = Text(ref r);
            }
            else if (key.SequenceEqual("alias"u8))
            {
                alias = OptionalText(ref r);
            }
            else
            {
                Unknown(key, nameof(ImportedName));
            }
        }
        return new ImportedName { Name = name, Alias = alias };
    }

    private static VariableInfo Variable(ref Utf8JsonReader r)
    {
        string name = "";
        int line = 0;
        string? type = null;
        Begin(ref r, nameof(VariableInfo));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("name"u8))
            {
                name = Text(ref r);
            }
            else if (key.SequenceEqual("line"u8))
            {
                line = r.GetInt32();
            }
            else if (key.SequenceEqual("type"u8))
            {
                type = OptionalText(ref r);
            }
            else
            {
                Unknown(key, nameof(VariableInfo));
            }
        }
        return new VariableInfo { Name = name, Line = line, Type = type };
    }

    private static Definition Definition(ref Utf8JsonReader r)
    {
        string id = "", kind = DefinitionKinds.Function, name = "", qualifiedName = "";
        int startLine = 0, endLine = 0;
        string? returnType = null, docstring = null, visibility = null;
        bool isAsync = false, isStatic = false;
        ImmutableArray<string> typeParameters = [], decorators = [], bases = [], modifiers = [], calledBy = [];
        ImmutableArray<ParameterInfo> parameters = [];
        ImmutableArray<CallInfo> calls = [];
        ImmutableArray<Definition> children = [];
        Begin(ref r, nameof(Model.Definition));
        while (Property(ref r, out var key))
        {
            // In the order the writer puts them (the commonest first).
            if (key.SequenceEqual("id"u8))
            {
                id = Text(ref r);
            }
            else if (key.SequenceEqual("kind"u8))
            {
                kind = Known(ref r, DefinitionKindTexts);
            }
            else if (key.SequenceEqual("name"u8))
            {
                name = Text(ref r);
            }
            else if (key.SequenceEqual("qualified_name"u8))
            {
                qualifiedName = Text(ref r);
            }
            else if (key.SequenceEqual("start_line"u8))
            {
                startLine = r.GetInt32();
            }
            else if (key.SequenceEqual("end_line"u8))
            {
                endLine = r.GetInt32();
            }
            else if (key.SequenceEqual("parameters"u8))
            {
                parameters = Array(ref r, static (ref Utf8JsonReader r) => Parameter(ref r));
            }
            else if (key.SequenceEqual("calls"u8))
            {
                calls = Array(ref r, static (ref Utf8JsonReader r) => Call(ref r));
            }
            else if (key.SequenceEqual("called_by"u8))
            {
                calledBy = Strings(ref r);
            }
            else if (key.SequenceEqual("children"u8))
            {
                children = Array(ref r, static (ref Utf8JsonReader r) => Definition(ref r));
            }
            else if (key.SequenceEqual("docstring"u8))
            {
                docstring = OptionalText(ref r);
            }
            else if (key.SequenceEqual("return_type"u8))
            {
                returnType = OptionalText(ref r);
            }
            else if (key.SequenceEqual("decorators"u8))
            {
                decorators = Strings(ref r);
            }
            else if (key.SequenceEqual("bases"u8))
            {
                bases = Strings(ref r);
            }
            else if (key.SequenceEqual("type_parameters"u8))
            {
                typeParameters = Strings(ref r);
            }
            else if (key.SequenceEqual("visibility"u8))
            {
                visibility = OptionalText(ref r);
            }
            else if (key.SequenceEqual("async"u8))
            {
                isAsync = Flag(ref r);
            }
            else if (key.SequenceEqual("static"u8))
            {
                isStatic = Flag(ref r);
            }
            else if (key.SequenceEqual("modifiers"u8))
            {
                modifiers = Strings(ref r);
            }
            else
            {
                Unknown(key, nameof(Model.Definition));
            }
        }
        return new Definition
        {
            Id = id, Kind = kind, Name = name, QualifiedName = qualifiedName, StartLine = startLine, EndLine = endLine,
            TypeParameters = typeParameters, Parameters = parameters, ReturnType = returnType, Decorators = decorators,
            Bases = bases, Docstring = docstring, Visibility = visibility, Async = isAsync, Static = isStatic,
            Modifiers = modifiers, Calls = calls, CalledBy = calledBy, Children = children,
        };
    }

    private static ParameterInfo Parameter(ref Utf8JsonReader r)
    {
        string name = "", kind = ParameterKinds.Regular;
        string? type = null, @default = null;
        Begin(ref r, nameof(ParameterInfo));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("name"u8))
            {
                name = Text(ref r);
            }
            else if (key.SequenceEqual("kind"u8))
            {
                kind = Known(ref r, ParameterKindTexts);
            }
            else if (key.SequenceEqual("type"u8))
            {
                type = OptionalText(ref r);
            }
            else if (key.SequenceEqual("default"u8))
            {
                @default = OptionalText(ref r);
            }
            else
            {
                Unknown(key, nameof(ParameterInfo));
            }
        }
        return new ParameterInfo { Name = name, Kind = kind, Type = type, Default = @default };
    }

    private static CallInfo Call(ref Utf8JsonReader r)
    {
        string callee = "";
        int line = 0, count = 1;
        string? target = null;
        Begin(ref r, nameof(CallInfo));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("callee"u8))
            {
                callee = Text(ref r);
            }
            else if (key.SequenceEqual("line"u8))
            {
                line = r.GetInt32();
            }
            else if (key.SequenceEqual("count"u8))
            {
                count = r.GetInt32();
            }
            else if (key.SequenceEqual("target"u8))
            {
                target = OptionalText(ref r);
            }
            else
            {
                Unknown(key, nameof(CallInfo));
            }
        }
        return new CallInfo { Callee = callee, Line = line, Count = count, Target = target };
    }
}
