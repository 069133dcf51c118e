using LlmStruct.Model;
using LlmStruct.Parsing;

namespace LlmStruct.Parsers.JavaScript.Tests.TypeScript;

internal static class Ts
{
    private static readonly TypeScriptParser Parser = new();

    public static ParseResult Parse(string source, string path = "test.ts") => Parser.Parse(SourceFile.FromText(path, source));

    public static ModuleInfo Module(string source, string path = "test.ts")
    {
        var result = Parse(source, path);
        Assert.True(result.Errors.Count == 0, string.Join("; ", result.Errors.Select(e => $"{e.Line}:{e.Column} {e.Reason}")));
        return result.Module;
    }

    public static Definition Def(ModuleInfo module, string qualifiedName) => Js.All(module).Single(d => d.QualifiedName == qualifiedName);
}

public class TypeScriptParserTests
{
    [Fact]
    public void Registers_typescript_extensions_under_its_own_language()
    {
        var parser = new TypeScriptParser();
        Assert.Equal("typescript", parser.Language);
        Assert.Equal<string>([".cts", ".mts", ".ts", ".tsx"], parser.Extensions);
    }

    [Fact]
    public void Functions_keep_parameter_types_defaults_rest_optional_return_type_and_type_parameters()
    {
        var m = Ts.Module("""
            /** Loads a thing. More text. */
            export async function load<T extends object = {}, const U>(id: string, retries = 3, opt?: Options<T>, ...rest: U[]): Promise<T | undefined> {
              return fetchIt<T>(id);
            }
            """);
        var load = Ts.Def(m, "load");
        Assert.Equal((DefinitionKinds.Function, true, "Loads a thing. More text."), (load.Kind, load.Async, load.Docstring));
        Assert.Equal<string>(["T extends object = {}", "const U"], load.TypeParameters);
        Assert.Equal("Promise<T | undefined>", load.ReturnType);
        Assert.Equal<string>(["id", "retries", "opt?", "rest"], load.Parameters.Select(p => p.Name));
        Assert.Equal<string?>(["string", null, "Options<T>", "U[]"], load.Parameters.Select(p => p.Type));
        Assert.Equal<string?>([null, "3", null, null], load.Parameters.Select(p => p.Default));
        Assert.Equal(ParameterKinds.VarPositional, load.Parameters[3].Kind);
        // Type arguments are not part of the callee.
        Assert.Equal("fetchIt", Assert.Single(load.Calls).Callee);
        Assert.Equal<string>(["load"], m.Exports);
    }

    [Fact]
    public void Overloads_are_separate_definitions_with_numbered_ids()
    {
        var m = Ts.Module("function f(a: string): void;\nfunction f(a: number): void;\nfunction f(a: any) { g(a); }\n");
        Assert.Equal<string>(["test.ts#f", "test.ts#f~2", "test.ts#f~3"], Js.All(m).Select(d => d.Id));
        Assert.Equal<string>(["g"], Js.All(m).Last().Calls.Select(c => c.Callee));
    }

    [Fact]
    public void Classes_read_modifiers_parameter_properties_decorators_and_heritage()
    {
        var m = Ts.Module("""
            @Injectable({ providedIn: 'root' })
            export abstract class Service<T> extends Base<T> implements OnInit, Disposable {
              private static instances = 0;
              protected abstract readonly kind: string;
              #token?: string;
              constructor(private readonly http: Http, public name = 'x', plain: number) {
                super(http);
              }
              @Input() set value(v: T) { this.apply(v); }
              abstract run(): Promise<void>;
              override toString(): string { return format(this); }
            }
            """);
        var service = Ts.Def(m, "Service");
        Assert.Equal(1, service.StartLine);
        Assert.Equal<string>(["Injectable({ providedIn: 'root' })"], service.Decorators);
        Assert.Equal<string>(["Base", "OnInit", "Disposable"], service.Bases);
        Assert.Equal<string>(["abstract"], service.Modifiers);
        Assert.Equal<string>(["T"], service.TypeParameters);
        var instances = Ts.Def(m, "Service.instances");
        Assert.Equal((DefinitionKinds.Field, true, "private"), (instances.Kind, instances.Static, instances.Visibility));
        Assert.Equal<string>(["abstract", "readonly"], Ts.Def(m, "Service.kind").Modifiers);
        Assert.Equal("string", Ts.Def(m, "Service.kind").ReturnType);
        Assert.Equal("private", Ts.Def(m, "Service.#token").Visibility);
        var http = Ts.Def(m, "Service.http");
        Assert.Equal((DefinitionKinds.Field, "private", "Http"), (http.Kind, http.Visibility, http.ReturnType));
        Assert.Equal("public", Ts.Def(m, "Service.name").Visibility);
        Assert.DoesNotContain(Js.All(m), d => d.QualifiedName == "Service.plain");
        Assert.Equal<string>(["super"], Ts.Def(m, "Service.constructor").Calls.Select(c => c.Callee));
        var value = Ts.Def(m, "Service.value");
        Assert.Equal((DefinitionKinds.Property, "Input()"), (value.Kind, Assert.Single(value.Decorators)));
        Assert.Equal<string>(["set"], value.Modifiers);
        Assert.Equal(("Promise<void>", "abstract"), (Ts.Def(m, "Service.run").ReturnType, Assert.Single(Ts.Def(m, "Service.run").Modifiers)));
        Assert.Equal<string>(["override"], Ts.Def(m, "Service.toString").Modifiers);
    }

    [Fact]
    public void Interfaces_type_aliases_enums_and_namespaces_are_definitions()
    {
        var m = Ts.Module("""
            export interface Repo<T> extends Reader<T> {
              readonly id: number;
              find?(id: number): T | undefined;
              [key: string]: unknown;
            }
            export type Id = string | number;
            export const enum Mode { Read = 1, Write }
            declare namespace Outer.Inner {
              function helper(): void;
            }
            declare module "pkg/sub" {
              export const version: string;
            }
            declare global {
              interface Window { app: unknown }
            }
            """);
        Assert.Equal<string>(["Reader<T>"], Ts.Def(m, "Repo").Bases);
        Assert.Equal((DefinitionKinds.Field, "number"), (Ts.Def(m, "Repo.id").Kind, Ts.Def(m, "Repo.id").ReturnType));
        Assert.Equal(DefinitionKinds.Method, Ts.Def(m, "Repo.find").Kind);
        Assert.Equal(DefinitionKinds.TypeAlias, Ts.Def(m, "Id").Kind);
        Assert.Equal<string>(["const"], Ts.Def(m, "Mode").Modifiers);
        Assert.Equal(DefinitionKinds.EnumMember, Ts.Def(m, "Mode.Write").Kind);
        Assert.Equal(DefinitionKinds.Namespace, Ts.Def(m, "Outer.Inner").Kind);
        Assert.Equal(DefinitionKinds.Function, Ts.Def(m, "Outer.Inner.helper").Kind);
        Assert.Equal(DefinitionKinds.Namespace, Ts.Def(m, "pkg/sub").Kind);
        Assert.Equal(DefinitionKinds.Interface, Ts.Def(m, "global.Window").Kind);
        Assert.Equal<string>(["Repo", "Id", "Mode"], m.Exports);
    }

    [Fact]
    public void Imports_and_exports_cover_type_only_require_and_export_assignment()
    {
        var m = Ts.Module("""
            import type { A, B as C } from './types';
            import D, * as E from "./all";
            import { type F, G } from './mixed';
            import fs = require('fs');
            import './side-effect';
            export { H as I } from './h';
            export type { J } from './j';
            export * from './k';
            const lazy = () => import('./lazy');
            export = fs;
            """);
        Assert.Equal<string>(["./types", "./all", "./mixed", "fs", "./side-effect", "./h", "./j", "./k", "./lazy"], m.Imports.Select(i => i.Module));
        Assert.Equal<string>(["import", "import", "import", "require", "import", "reexport", "reexport", "reexport", "dynamic"], m.Imports.Select(i => i.Kind));
        Assert.Equal<string>(["A:", "B:C"], m.Imports[0].Names.Select(n => $"{n.Name}:{n.Alias}"));
        Assert.Equal<string>(["default:D", "*:E"], m.Imports[1].Names.Select(n => $"{n.Name}:{n.Alias}"));
        Assert.Equal<string>(["F", "G"], m.Imports[2].Names.Select(n => n.Name));
        Assert.Equal("fs", m.Imports[3].Alias);
        Assert.Equal<string>(["I", "J", "default"], m.Exports);
    }

    [Fact]
    public void Tsx_components_and_calls_inside_jsx_are_read()
    {
        var m = Ts.Module("""
            export function List({ items }: { items: string[] }) {
              return <ul className="x">{items.map((i) => <Item key={i} label={format(i)} />)}</ul>;
            }
            const Item = (p: Props) => <li>{p.label} isn't {"text"}</li>;
            const generic = <T,>(v: T) => v;
            """, "list.tsx");
        var list = Ts.Def(m, "List");
        Assert.Equal(DefinitionKinds.Component, list.Kind);
        Assert.Equal<string>(["format", "items.map"], list.Calls.Select(c => c.Callee));
        Assert.Equal(DefinitionKinds.Component, Ts.Def(m, "Item").Kind);
        Assert.Equal(DefinitionKinds.Function, Ts.Def(m, "generic").Kind);
    }

    [Fact]
    public void Angle_bracket_assertions_and_generic_calls_are_told_apart_from_comparisons()
    {
        var m = Ts.Module("""
            function f(a: number, b: number, c: number) {
              const x = <Foo>bar(a);
              const y = a < b && c > (a);
              const z = make<string, number>(b);
              return a < b;
            }
            """);
        Assert.Equal<string>(["bar", "make"], Ts.Def(m, "f").Calls.Select(c => c.Callee));
    }

    [Fact]
    public void Syntax_errors_are_entries_with_positions_and_what_came_before_is_kept()
    {
        var result = Ts.Parse("export function ok(): number {\n  return 1;\n}\n\nexport function broken(a: number {\n  return a;\n}\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal(("test.ts", 5), (error.File, error.Line));
        Assert.Contains("expected", error.Reason);
        Assert.Equal("ok", Assert.Single(result.Module.Definitions).Name);
    }

    [Theory]
    [InlineData("[", "]", 10_000)]
    [InlineData("(", ")", 10_000)]
    [InlineData("{ a: ", "}", 10_000)]
    [InlineData("function f(){ ", "}", 3_000)]
    [InlineData("!", "", 50_000)]
    [InlineData("a ? b : ", "c", 20_000)]
    [InlineData("Array<", ">", 10_000)]
    public void Deep_nesting_gives_an_error_entry_never_a_crash(string open, string close, int depth)
    {
        var source = "let x = " + string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth)) + ";\n";
        var result = Ts.Parse(source);
        var error = Assert.Single(result.Errors);
        Assert.True(error.Reason.Length > 0);
    }

    [Fact]
    public void Unterminated_strings_comments_and_templates_are_errors()
    {
        Assert.Single(Ts.Parse("const a = 'abc\n").Errors);
        Assert.Single(Ts.Parse("/* never closed\nconst a = 1;\n").Errors);
        Assert.Single(Ts.Parse("const a = `abc ${b}\n").Errors);
        Assert.Single(Ts.Parse("const a = {\n").Errors);
    }

    [Fact]
    public void The_same_bytes_give_the_same_model()
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TypeScript", "fixtures", "shapes.ts"));
        var first = new TypeScriptParser().Parse(new SourceFile("shapes.ts", bytes));
        var second = new TypeScriptParser().Parse(new SourceFile("shapes.ts", bytes));
        Assert.Equal(TsOracle.Canonical(first.Module), TsOracle.Canonical(second.Module));
        Assert.Equal(first.Module.Imports.Select(Describe), second.Module.Imports.Select(Describe));
        static string Describe(ImportInfo i) => $"{i.Line}|{i.Kind}|{i.Module}|{i.Alias}|{string.Join(',', i.Names.Select(n => n.Name + ":" + n.Alias))}";
    }
}
