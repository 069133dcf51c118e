using LlmStruct.Model;

namespace LlmStruct.Parsers.JavaScript.Tests;

public class ModuleTests
{
    [Fact]
    public void Esm_imports_and_reexports()
    {
        var m = Js.Module("""
            import def, { a, b as c } from './x.js';
            import * as ns from 'ns';
            import 'side-effect';
            export { d, e as f } from './y.js';
            export * from './z.js';
            export * as all from './w.js';
            """);
        var i = m.Imports;
        Assert.Equal<string>(["./x.js", "ns", "side-effect", "./y.js", "./z.js", "./w.js"], i.Select(x => x.Module));
        Assert.Equal<string>(["import", "import", "import", "reexport", "reexport", "reexport"], i.Select(x => x.Kind));
        Assert.Equal(new ImportedName { Name = "default", Alias = "def" }, i[0].Names[0]);
        Assert.Equal(new ImportedName { Name = "b", Alias = "c" }, i[0].Names[2]);
        Assert.Equal(new ImportedName { Name = "*", Alias = "ns" }, i[1].Names[0]);
        Assert.Equal(new ImportedName { Name = "e", Alias = "f" }, i[3].Names[1]);
        Assert.Equal<string>(["d", "f", "all"], m.Exports);
    }

    [Fact]
    public void Esm_exports_in_source_order()
    {
        var m = Js.Module("export function a() {}\nexport class B {}\nexport const c = 1, { d } = o;\nconst e = 2;\nexport { e as ee };\nexport default a;\n");
        Assert.Equal<string>(["a", "B", "c", "d", "ee", "default"], m.Exports);
    }

    [Fact]
    public void CommonJs_require_and_exports()
    {
        var m = Js.Module("const fs = require('fs');\nconst { join, resolve: r } = require('path');\nrequire('dotenv').config();\nmodule.exports = { a, b: 1, c() {} };\nexports.d = 1;\nmodule.exports.e = 2;\n");
        Assert.Equal<string>(["fs", "path", "dotenv"], m.Imports.Select(i => i.Module));
        Assert.All(m.Imports, i => Assert.Equal("require", i.Kind));
        Assert.Equal("fs", m.Imports[0].Alias);
        Assert.Equal<ImportedName>([new ImportedName { Name = "join" }, new ImportedName { Name = "resolve", Alias = "r" }], m.Imports[1].Names);
        Assert.Equal<string>(["a", "b", "c", "d", "e"], m.Exports);
    }

    [Fact]
    public void Dynamic_imports_with_literals()
    {
        var m = Js.Module("async function f() { await import('./a.js'); await import(`./b.js`); await import(name); }");
        Assert.Equal<string>(["./a.js", "./b.js"], m.Imports.Select(i => i.Module));
        Assert.All(m.Imports, i => Assert.Equal("dynamic", i.Kind));
    }

    [Fact]
    public void Module_variables_exclude_definitions()
    {
        var m = Js.Module("const A = 1;\nlet { b, c: [d] } = x;\nconst f = () => 1;\nfunction g() { const local = 1; }\n");
        Assert.Equal<string>(["A", "b", "d"], m.Variables.Select(v => v.Name));
    }

    [Theory]
    [InlineData("#!/usr/bin/env node\nconst a = 1;\n", "test.js")]
    [InlineData("with (o) { x = 1; }\n", "test.js")]
    [InlineData("import x from 'y';\nawait x;\n", "test.mjs")]
    [InlineData("var let_ = 1; with (o) {}\n", "test.cjs")]
    public void Module_or_script_is_chosen_by_syntax_and_extension(string source, string path) => Js.Module(source, path);

    [Fact]
    public void Mjs_is_never_read_as_a_script_and_cjs_never_as_a_module()
    {
        Assert.NotEmpty(Js.Parse("with (o) {}\n", "x.mjs").Errors);
        Assert.NotEmpty(Js.Parse("import x from 'y';\n", "x.cjs").Errors);
    }

    [Fact]
    public void Newer_syntax_reads()
    {
        var m = Js.Module("class A { static { init(); } #x; has(o) { return #x in o; } }\nconst r = /(?<y>a)/v;\nfunction f() { using h = open(); }\n");
        Assert.Contains(Js.All(m), d => d.QualifiedName == "A.has");
    }
}

public class ModuleDocTests
{
    [Fact]
    public void File_overview_tag_gives_the_module_docstring()
    {
        var m = Js.Module("/**\n * @fileoverview Event store.\n * More.\n */\nimport x from 'y';\n");
        Assert.Equal("Event store. More.", m.Docstring);
    }

    [Fact]
    public void A_leading_jsdoc_followed_by_a_blank_line_is_the_module_docstring()
    {
        Assert.Null(Js.Module("'use strict';\n").Docstring);
        Assert.Equal("Helpers.", Js.Module("/** Helpers. */\n\nconst a = 1;\n").Docstring);
    }

    [Fact]
    public void A_jsdoc_directly_on_the_first_definition_is_not_the_module_docstring()
    {
        var m = Js.Module("/** Adds. */\nfunction add() {}\n");
        Assert.Null(m.Docstring);
        Assert.Equal("Adds.", Js.Def(m, "add").Docstring);
    }

    [Fact]
    public void Top_level_return_is_accepted_in_scripts() => Js.Module("if (x) {\n  return;\n}\n", "a.cjs");
}

public class ModuleDocAfterDirectiveTests
{
    [Fact]
    public void A_use_strict_prologue_may_precede_the_module_docstring() =>
        Assert.Equal("Helpers.", Js.Module("'use strict';\n\n/**\n * Helpers.\n */\n\nconst a = 1;\n").Docstring);
}
