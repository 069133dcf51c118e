using static LlmStruct.Parsers.CSharp.Tests.TestParsing;

namespace LlmStruct.Parsers.CSharp.Tests;

public class DocsAndImportsTests
{
    [Fact]
    public void Summary_InnerTextCrefsAndCollapsedWhitespace()
    {
        var m = Module("""
            class C
            {
                /// <summary>
                /// Reads   a <see cref="System.IO.Stream"/> into
                /// <c>bytes</c>; returns <see langword="null"/> for <paramref name="x"/>.
                /// </summary>
                /// <param name="x">ignored</param>
                void A(int x) { }

                /// <summary>First.
                /// <para>Second paragraph.</para></summary>
                void B() { }

                /** <summary>Block style.</summary> */
                void D() { }

                /// Plain text without tags.
                void E() { }

                /// <inheritdoc/>
                void F() { }

                // not a doc comment
                void G() { }
            }
            """);
        Assert.Equal("Reads a System.IO.Stream into bytes; returns null for x.", m.Def("C.A").Docstring);
        Assert.Equal("First.", m.Def("C.B").Docstring);
        Assert.Equal("Block style.", m.Def("C.D").Docstring);
        Assert.Equal("Plain text without tags.", m.Def("C.E").Docstring);
        Assert.Null(m.Def("C.F").Docstring);
        Assert.Null(m.Def("C.G").Docstring);
        Assert.Equal(8, m.Def("C.A").StartLine);
    }

    [Fact]
    public void Usings_AllKinds_IncludingGlobalAndNamespaceScoped()
    {
        var m = Module("""
            global using System;
            using System.Collections.Generic;
            using static System.Math;
            using IO = System.IO;
            using Pair = (int, int);
            namespace N
            {
                using System.Linq;
            }
            """);
        Assert.Equal(
            ["using:System@1", "using:System.Collections.Generic@2", "using_static:System.Math@3", "using_alias:System.IO@4=IO",
             "using_alias:(int,int)@5=Pair", "using:System.Linq@8"],
            m.Imports.Select(i => $"{i.Kind}:{i.Module}@{i.Line}" + (i.Alias is null ? "" : "=" + i.Alias)));
    }
}
