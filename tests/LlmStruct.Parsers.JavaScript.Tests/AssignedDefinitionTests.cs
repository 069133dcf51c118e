using LlmStruct.Model;

namespace LlmStruct.Parsers.JavaScript.Tests;

/// <summary>Definitions made by assignment rather than declaration, each owning the calls in its body (#26).</summary>
public class AssignedDefinitionTests
{
    [Fact]
    public void Functions_assigned_to_plain_identifiers_are_definitions_with_their_calls()
    {
        var m = Js.Module("""
            let f;
            f = function (x) { return g(x); };
            inc = () => step(1);
            function outer() { helper(); inner = () => deep(); }
            """);
        var f = Js.Def(m, "f");
        Assert.Equal((DefinitionKinds.Function, 2, 2, "test.js#f"), (f.Kind, f.StartLine, f.EndLine, f.Id));
        Assert.Equal<string>(["x"], f.Parameters.Select(p => p.Name));
        Assert.Equal<string>(["g"], f.Calls.Select(c => c.Callee));
        Assert.Equal<string>(["step"], Js.Def(m, "inc").Calls.Select(c => c.Callee));
        // The enclosing function keeps only its own calls.
        Assert.Equal<string>(["helper"], Js.Def(m, "outer").Calls.Select(c => c.Callee));
        Assert.Equal<string>(["deep"], Js.Def(m, "outer.inner").Calls.Select(c => c.Callee));
    }

    [Fact]
    public void A_class_expression_takes_the_name_it_is_assigned_to()
    {
        var m = Js.Module("SessionCache = class WeakSessionCache {\n  get(k) { return lookup(k); }\n};\nconst Other = class Named {};\n");
        Assert.Equal(DefinitionKinds.Class, Js.Def(m, "SessionCache").Kind);
        Assert.Equal<string>(["lookup"], Js.Def(m, "SessionCache.get").Calls.Select(c => c.Callee));
        Assert.Equal(DefinitionKinds.Class, Js.Def(m, "Other").Kind);
        Assert.DoesNotContain(Js.All(m), d => d.Name is "WeakSessionCache" or "Named");
    }

    [Fact]
    public void In_a_chain_the_innermost_target_names_the_function()
    {
        var m = Js.Module("exports = module.exports = function create() { return make(); };\na = b = () => 1;\n");
        var create = Js.Def(m, "module.exports");
        Assert.Equal(("exports", DefinitionKinds.Function), (create.Name, create.Kind));
        Assert.Equal<string>(["make"], create.Calls.Select(c => c.Callee));
        Assert.Equal<string>(["module.exports", "b"], Js.All(m).Select(d => d.QualifiedName));
    }

    [Fact]
    public void This_members_of_constructor_functions_and_class_constructors_are_methods()
    {
        var m = Js.Module("""
            function Counter() {
              this.n = 0;
              this.increment = () => { add(1); };
              this.reset = function () { clear(); };
            }
            class Store {
              constructor() { this.notify = (e) => emit(e); }
              load() { this.cache = () => read(); }
            }
            const arrow = () => { this.x = () => 1; };
            """);
        Assert.Equal(DefinitionKinds.Method, Js.Def(m, "Counter.increment").Kind);
        Assert.Equal<string>(["add"], Js.Def(m, "Counter.increment").Calls.Select(c => c.Callee));
        Assert.Equal<string>(["clear"], Js.Def(m, "Counter.reset").Calls.Select(c => c.Callee));
        Assert.Empty(Js.Def(m, "Counter").Calls);
        var notify = Js.Def(m, "Store.notify");
        Assert.Equal((DefinitionKinds.Method, "test.js#Store.notify"), (notify.Kind, notify.Id));
        Assert.Equal<string>(["Store.constructor", "Store.notify", "Store.load"], Js.Def(m, "Store").Children.Select(c => c.QualifiedName));
        // Outside constructors `this` is not known: such functions stay callbacks of their scope.
        Assert.Equal<string>(["read"], Js.Def(m, "Store.load").Calls.Select(c => c.Callee));
        Assert.DoesNotContain(Js.All(m), d => d.Name is "cache" or "x");
    }

    [Fact]
    public void Object_members_with_computed_keys_are_definitions()
    {
        var m = Js.Module("const t = {\n  [KEY]: () => fetchKey(),\n  [Symbol.iterator]() { return walk(); },\n};\n");
        var key = Js.Def(m, "t.[KEY]");
        Assert.Equal(("[KEY]", DefinitionKinds.Method, "test.js#t.[KEY]"), (key.Name, key.Kind, key.Id));
        Assert.Equal<string>(["fetchKey"], key.Calls.Select(c => c.Callee));
        Assert.Equal<string>(["walk"], Js.Def(m, "t.[Symbol.iterator]").Calls.Select(c => c.Callee));
    }
}
