namespace LlmStruct.Tasks.Sync;

/// <summary>One comment per marker: how <see cref="IIssueTracker.UpsertCommentAsync"/> composes and finds it.</summary>
internal static class CommentMarker
{
    /// <summary>The comment text: the body, a blank line, the marker.</summary>
    public static string Compose(string marker, string body) => body.TrimEnd() + "\n\n" + marker;

    /// <summary>The first comment that carries <paramref name="marker"/>, or null.</summary>
    public static TrackerComment? FindIn(IReadOnlyList<TrackerComment> comments, string marker) =>
        comments.FirstOrDefault(c => c.Body.Contains(marker, StringComparison.Ordinal));
}
