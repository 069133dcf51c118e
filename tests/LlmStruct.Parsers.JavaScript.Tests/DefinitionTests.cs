using LlmStruct.Model;

namespace LlmStruct.Parsers.JavaScript.Tests;

public class DefinitionTests
{
    [Fact]
    public void Function_declarations_carry_async_generator_and_lines()
    {
        var m = Js.Module("async function load(a) {\n  return a;\n}\nfunction* gen() { yield 1; }\n");
        var load = Js.Def(m, "load");
        Assert.Equal((DefinitionKinds.Function, true, 1, 3), (load.Kind, load.Async, load.StartLine, load.EndLine));
        Assert.Equal("test.js#load", load.Id);
        Assert.Equal<string>(["generator"], Js.Def(m, "gen").Modifiers);
    }

    [Fact]
    public void Parameters_keep_patterns_defaults_and_rest()
    {
        var m = Js.Module("function f(a, { b, c } = {}, [d] , e = 1 + 2, ...rest) {}");
        var p = Js.Def(m, "f").Parameters;
        Assert.Equal<string>(["a", "{ b, c }", "[d]", "e", "rest"], p.Select(x => x.Name));
        Assert.Equal<string?>([null, "{}", null, "1 + 2", null], p.Select(x => x.Default));
        Assert.Equal(ParameterKinds.VarPositional, p[4].Kind);
    }

    [Fact]
    public void Classes_have_bases_members_and_visibility()
    {
        var m = Js.Module("""
            class A extends mixin(B) {
              #count = 0;
              static total = 1;
              constructor(x) { super(x); }
              get value() { return this.#count; }
              set value(v) { this.#count = v; }
              static create() { return new A(); }
              #bump() {}
              onClick = () => this.#bump();
            }
            """);
        var a = Js.Def(m, "A");
        Assert.Equal<string>(["mixin(B)"], a.Bases);
        Assert.Equal(DefinitionKinds.Constructor, Js.Def(m, "A.constructor").Kind);
        var getters = Js.All(m).Where(d => d.QualifiedName == "A.value").ToList();
        Assert.Equal<string>(["test.js#A.value", "test.js#A.value~2"], getters.Select(d => d.Id));
        Assert.Equal<string>(["get", "set"], getters.Select(d => Assert.Single(d.Modifiers)));
        Assert.All(getters, d => Assert.Equal(DefinitionKinds.Property, d.Kind));
        Assert.True(Js.Def(m, "A.create").Static);
        Assert.Equal("private", Js.Def(m, "A.#bump").Visibility);
        Assert.Equal((DefinitionKinds.Field, "private"), (Js.Def(m, "A.#count").Kind, Js.Def(m, "A.#count").Visibility));
        Assert.True(Js.Def(m, "A.total").Static);
        Assert.Equal(DefinitionKinds.Method, Js.Def(m, "A.onClick").Kind);
    }

    [Fact]
    public void Functions_bound_to_variables_properties_and_objects_are_named()
    {
        var m = Js.Module("""
            const add = (a, b) => a + b;
            var sub = function (a, b) { return a - b; };
            obj.util.run = function () {};
            const api = { start() {}, stop: () => {}, get ready() { return true; }, value: 1 };
            """);
        Assert.Equal(DefinitionKinds.Function, Js.Def(m, "add").Kind);
        Assert.Equal(DefinitionKinds.Function, Js.Def(m, "sub").Kind);
        Assert.Equal("run", Js.Def(m, "obj.util.run").Name);
        Assert.Equal(DefinitionKinds.Method, Js.Def(m, "api.start").Kind);
        Assert.Equal(DefinitionKinds.Method, Js.Def(m, "api.stop").Kind);
        Assert.Equal<string>(["get"], Js.Def(m, "api.ready").Modifiers);
        Assert.DoesNotContain(Js.All(m), d => d.QualifiedName == "api.value");
    }

    [Fact]
    public void Nested_definitions_are_children_and_callbacks_are_transparent()
    {
        var m = Js.Module("function outer() {\n  function inner() {}\n  [1].forEach(x => { helper(x); });\n}\n");
        var outer = Js.Def(m, "outer");
        Assert.Equal<string>(["outer.inner"], outer.Children.Select(c => c.QualifiedName));
        Assert.Contains(outer.Calls, c => c.Callee == "helper");
    }

    [Fact]
    public void Decorators_are_kept_and_start_the_definition()
    {
        var m = Js.Module("@sealed\nclass A {\n  @log('x')\n  run() {}\n}\n");
        var a = Js.Def(m, "A");
        Assert.Equal(1, a.StartLine);
        Assert.Equal<string>(["sealed"], a.Decorators);
        var run = Js.Def(m, "A.run");
        Assert.Equal(3, run.StartLine);
        Assert.Equal<string>(["log('x')"], run.Decorators);
    }

    [Fact]
    public void JsDoc_gives_the_first_paragraph_before_tags()
    {
        var m = Js.Module("/**\n * Adds numbers.\n * Quickly.\n *\n * More.\n */\nexport function add() {}\n/** Only tags follow.\n * @param x */\nfunction b(x) {}\n/* not jsdoc */\nfunction c() {}\n");
        Assert.Equal("Adds numbers. Quickly.", Js.Def(m, "add").Docstring);
        Assert.Equal("Only tags follow.", Js.Def(m, "b").Docstring);
        Assert.Null(Js.Def(m, "c").Docstring);
        Assert.Equal(7, Js.Def(m, "add").StartLine);
    }

    [Fact]
    public void Calls_are_counted_per_callee_excluding_nested_definitions()
    {
        var m = Js.Module("function f() {\n  console.log(1);\n  console.log(2);\n  new Foo();\n  this.load();\n  a?.b();\n  function g() { hidden(); }\n}\nmodule_level();\n");
        var f = Js.Def(m, "f");
        Assert.Equal<string>(["console.log@2x2", "Foo@4x1", "this.load@5x1", "a?.b@6x1"], f.Calls.Select(c => $"{c.Callee}@{c.Line}x{c.Count}"));
        Assert.Equal<string>(["hidden"], Js.Def(m, "f.g").Calls.Select(c => c.Callee));
    }
}
