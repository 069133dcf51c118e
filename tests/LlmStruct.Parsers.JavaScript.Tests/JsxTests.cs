using LlmStruct.Model;

namespace LlmStruct.Parsers.JavaScript.Tests;

public class JsxTests
{
    [Fact]
    public void Function_and_arrow_components()
    {
        var m = Js.Module("""
            export function Card({ title }) {
              return <div className="card" onClick={() => track(title)}>{format(title)}</div>;
            }
            const List = ({ items }) => items.length ? <ul>{items.map(i => <Item key={i} {...i} />)}</ul> : null;
            function helper() { return <b/>; }
            const Empty = () => <></>;
            """, "ui.jsx");
        Assert.Equal(DefinitionKinds.Component, Js.Def(m, "Card").Kind);
        Assert.Equal<string>(["format", "track"], Js.Def(m, "Card").Calls.Select(c => c.Callee));
        Assert.Equal(DefinitionKinds.Component, Js.Def(m, "List").Kind);
        Assert.Equal<string>(["items.map"], Js.Def(m, "List").Calls.Select(c => c.Callee));
        Assert.Equal(DefinitionKinds.Function, Js.Def(m, "helper").Kind);
        Assert.Equal(DefinitionKinds.Component, Js.Def(m, "Empty").Kind);
    }

    [Fact]
    public void Class_components_need_a_react_base_and_a_jsx_render()
    {
        var m = Js.Module("""
            class Panel extends React.Component { render() { return <section/>; } }
            class Other extends Base { render() { return <section/>; } }
            class Plain extends Component { render() { return null; } }
            """, "ui.jsx");
        Assert.Equal(DefinitionKinds.Component, Js.Def(m, "Panel").Kind);
        Assert.Equal(DefinitionKinds.Class, Js.Def(m, "Other").Kind);
        Assert.Equal(DefinitionKinds.Class, Js.Def(m, "Plain").Kind);
    }

    [Fact]
    public void Jsx_in_a_js_file_is_read()
    {
        var m = Js.Module("import React from 'react';\nexport const App = () => (\n  <main>\n    <h1>Hi</h1>\n  </main>\n);\n", "app.js");
        var app = Js.Def(m, "App");
        Assert.Equal((DefinitionKinds.Component, 2, 6), (app.Kind, app.StartLine, app.EndLine));
    }

    [Fact]
    public void A_returned_array_is_not_jsx()
    {
        var m = Js.Module("const Pair = () => [1, 2];\n", "x.jsx");
        Assert.Equal(DefinitionKinds.Function, Js.Def(m, "Pair").Kind);
    }
}

public class JsxMaskingTests
{
    [Theory]
    [InlineData("const a = <ul><li/><li>{x}</li><b a=<i/> /></ul>;")]
    [InlineData("const a = <><A/>{list.map(i => <B key={i}><C/><D/></B>)}</>;")]
    [InlineData("const a = <A {...p} b={<C/>} c='s'>text {'{'} more</A>;")]
    public void Sibling_and_nested_elements_mask_to_valid_javascript(string source)
    {
        Assert.True(LlmStruct.Parsers.JavaScript.Parsing.JsxMasker.TryMask(source, true, out var masked, out _, out var failure), failure?.Reason);
        Assert.Equal(source.Length, masked.Length);
        Js.Module(source, "x.jsx");
    }
}

public class NestedFragmentTests
{
    [Theory]
    [InlineData("x = <a><></></a>;")]
    [InlineData("x = <a>{1}<>{t()}</></a>;")]
    [InlineData("const s = '<>'; x = <a><b/><><c/></></a>;")]
    public void Fragments_nested_in_elements_read(string source) => Js.Module(source, "x.jsx");

    [Fact]
    public void Errors_after_fragments_keep_original_positions()
    {
        var error = Assert.Single(Js.Parse("x = <a><></></a>;\ny = <b>;\n", "x.jsx").Errors);
        Assert.True(error.Line == 2 || error.Line == 3, $"{error.Line}:{error.Column}");
    }
}
