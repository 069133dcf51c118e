using System.Text.Json;
using LlmStruct.Configuration;
using LlmStruct.Model;
using LlmStruct.Pipeline;

namespace LlmStruct.Core.Tests.Pipeline;

/// <summary>
/// The fingerprint's JSON, made from build-time metadata, is the text the reflection-based serializer writes (what
/// the fingerprint hashed before): records written by earlier runs stay valid.
/// </summary>
public class FingerprintJsonTests
{
    [Fact]
    public void Options_AreWrittenAsTheReflectionSerializerWritesThem()
    {
        var options = new LlmStructOptions
        {
            Project = new ProjectOptions { Name = "näme \"q\"", Summary = null },
            Parsing = new ParsingOptions { Include = ["**/*.py", "src/<x>"], Exclude = ["a&b"], UseGitignore = false, MaxFileBytes = 123, FollowSymlinks = true },
            Instructions = new InstructionsOptions { Custom = ["Be brief.", "😀"] },
        };
        foreach (var o in new[] { options, new LlmStructOptions() })
        {
            var reflected = JsonSerializer.Serialize(new { o.Project, o.Parsing, o.Instructions });
            var generated = JsonSerializer.Serialize(new FingerprintOptions(o.Project, o.Parsing, o.Instructions), FingerprintJson.Default.FingerprintOptions);
            Assert.Equal(reflected, generated);
        }
    }

    [Fact]
    public void DiscoveryLists_AreWrittenAsTheReflectionSerializerWritesThem()
    {
        IReadOnlyList<ParseError> errors = [new ParseError { File = "a/ü.py", Line = 3, Column = 1, Reason = "cannot read folder: <denied>" }];
        IReadOnlyList<SkippedFile> skipped = [new SkippedFile { Path = "big.py", Reason = "larger than max_file_bytes" }, new SkippedFile()];
        Assert.Equal(JsonSerializer.Serialize(errors), JsonSerializer.Serialize(errors, FingerprintJson.Default.IReadOnlyListParseError));
        Assert.Equal(JsonSerializer.Serialize(skipped), JsonSerializer.Serialize(skipped, FingerprintJson.Default.IReadOnlyListSkippedFile));
        Assert.Equal("[]", JsonSerializer.Serialize((IReadOnlyList<ParseError>)[], FingerprintJson.Default.IReadOnlyListParseError));
    }
}
