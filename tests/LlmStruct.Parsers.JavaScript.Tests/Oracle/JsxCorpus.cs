using System.Text;

namespace LlmStruct.Parsers.JavaScript.Tests.Oracle;

/// <summary>
/// Writes random but valid JSX programs (seeded, so always the same files): components built from nested elements,
/// fragments, attributes, spreads, text, comments and expression containers that hold calls, callbacks and more JSX.
/// There is no JSX in the npm corpus, so this is what checks the JSX masking against acorn-jsx.
/// </summary>
internal static class JsxCorpus
{
    private static readonly string[] Tags = ["div", "span", "ul", "li", "Item", "Card", "UI.Button", "svg:rect", "p", "Layout"];
    private static readonly string[] Words = ["hello", "world", "a &amp; b", "x > y", "'quoted'", "it's", "1 + 2", "{ok}"];

    public static List<string> Write(string directory, int count, int seed)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(seed);
        var paths = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var sb = new StringBuilder();
            sb.Append("import React, { Component } from 'react';\n\n");
            int components = random.Next(1, 5);
            bool hasDefault = false;
            for (int c = 0; c < components; c++)
            {
                string name = (random.Next(4) == 0 ? "helper" : "Comp") + c;
                switch (random.Next(4))
                {
                    case 0:
                        sb.Append($"/** Component {c}. */\nexport const {name} = ({{ items, onPick }}) => ").Append(Element(random, 0)).Append(";\n\n");
                        break;
                    case 1:
                        sb.Append($"function {name}(props) {{\n  const value = compute(props);\n  if (!value) return null;\n  return (\n    ")
                            .Append(Element(random, 0)).Append("\n  );\n}\n\n");
                        break;
                    case 2:
                        sb.Append($"export class {name} extends React.Component {{\n  state = {{ open: false }};\n  toggle = () => this.setState({{ open: !this.state.open }});\n  render() {{\n    return this.state.open ? ")
                            .Append(Element(random, 0)).Append(" : <span/>;\n  }\n}\n\n");
                        break;
                    default:
                        sb.Append(hasDefault ? "export function " : "export default function ").Append($"{name}() {{\n  return <>\n    ").Append(Element(random, 0)).Append("\n    {list.map((x) => ").Append(Element(random, 2)).Append(")}\n  </>;\n}\n\n");
                        hasDefault = true;
                        break;
                }
            }
            string path = $"gen{i:D3}.{(random.Next(3) == 0 ? "js" : "jsx")}";
            File.WriteAllText(Path.Combine(directory, path), sb.ToString());
            paths.Add(path);
        }
        return paths;
    }

    private static string Element(Random random, int depth)
    {
        if (depth > 0 && random.Next(6) == 0)
        {
            return "<>" + Children(random, depth) + "</>";
        }
        string tag = Tags[random.Next(Tags.Length)];
        var sb = new StringBuilder("<").Append(tag);
        int attributes = random.Next(4);
        for (int a = 0; a < attributes; a++)
        {
            sb.Append(random.Next(5) switch
            {
                0 => $" title=\"{Words[random.Next(4)]}\"",
                1 => $" onClick={{() => handle{a}(props.id)}}",
                2 => " {...rest}",
                3 => $" data-x={{format(value, {a})}}",
                _ => " disabled",
            });
        }
        if (depth >= 3 || random.Next(4) == 0)
        {
            return sb.Append(random.Next(2) == 0 ? " />" : "/>").ToString();
        }
        sb.Append('>').Append(Children(random, depth)).Append("</").Append(tag).Append('>');
        return sb.ToString();
    }

    private static string Children(Random random, int depth)
    {
        var sb = new StringBuilder();
        int children = random.Next(0, 4);
        for (int i = 0; i < children; i++)
        {
            if (random.Next(3) == 0)
            {
                sb.Append('\n').Append(' ', 2 * depth + 2);
            }
            sb.Append(random.Next(6) switch
            {
                0 => Words[random.Next(Words.Length)].Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal)
                    .Replace(">", "", StringComparison.Ordinal),
                1 => "{items.map((item) => " + Element(random, depth + 1) + ")}",
                2 => "{cond ? " + Element(random, depth + 1) + " : null}",
                3 => "{/* note */}",
                4 => "{t('label')}",
                _ => Element(random, depth + 1),
            });
        }
        return sb.ToString();
    }
}
