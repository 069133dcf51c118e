using LlmStruct.Ranking;

namespace LlmStruct.Core.Tests.Ranking;

public sealed class TestFilesTests
{
    [Theory]
    [InlineData("tests/test_core.py", true, "core")]
    [InlineData("src/click/core.py", false, "core")]
    [InlineData("test/command.test.js", true, "command")]
    [InlineData("lib/command.js", false, "command")]
    [InlineData("tests/LlmStruct.Core.Tests/Context/ContextBuilderTests.cs", true, "contextbuilder")]
    [InlineData("src/LlmStruct.Core/Context/ContextBuilder.cs", false, "contextbuilder")]
    [InlineData("httpx/_client.py", false, "client")]
    [InlineData("tests/client/test_client.py", true, "client")]
    [InlineData("pkg/__init__.py", false, "pkg")]
    public void Test_files_and_their_subjects(string path, bool isTest, string subject)
    {
        Assert.Equal(isTest, TestFiles.IsTest(path));
        Assert.Equal(subject, TestFiles.Subject(path));
    }
}
