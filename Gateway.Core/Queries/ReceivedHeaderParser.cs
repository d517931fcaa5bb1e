using System.Text;
using MimeKit.Utils;

namespace Gateway.Core.Queries;

/// <summary>
/// Reads the clauses of a <c>Received:</c> header: <c>from</c>, <c>by</c>, <c>via</c>, <c>with</c>, <c>id</c>,
/// <c>for</c>, then <c>; date-time</c> (RFC 5321 §4.4, RFC 5322 §3.6.7). Comments stay with their clause, and a
/// keyword inside a comment (Postfix writes "(using TLSv1.3 with cipher ...)") does not start a clause.
/// </summary>
public static class ReceivedHeaderParser
{
    private static readonly string[] Keywords = ["from", "by", "via", "with", "id", "for"];

    public static TraceHop Parse(string header)
    {
        var unfolded = string.Join(' ', header.Split(['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        var semicolon = LastTopLevelSemicolon(unfolded);
        DateTimeOffset? date = null;
        var clausesText = unfolded;
        if (semicolon >= 0)
        {
            if (DateUtils.TryParse(unfolded[(semicolon + 1)..].Trim(), out var parsed))
            {
                date = parsed;
            }

            clausesText = unfolded[..semicolon];
        }

        var clauses = SplitClauses(clausesText);
        return new TraceHop(
            clauses.GetValueOrDefault("from"), clauses.GetValueOrDefault("by"), clauses.GetValueOrDefault("via"),
            clauses.GetValueOrDefault("with"), clauses.GetValueOrDefault("id"), clauses.GetValueOrDefault("for"),
            date, unfolded);
    }

    private static Dictionary<string, string> SplitClauses(string text)
    {
        var clauses = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var value = new StringBuilder();
        var depth = 0;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var keyword = Keywords.FirstOrDefault(k => string.Equals(k, word, StringComparison.OrdinalIgnoreCase));
            if (depth == 0 && keyword is not null && !clauses.ContainsKey(keyword))
            {
                Store(clauses, current, value);
                current = keyword;
                value.Clear();
            }
            else
            {
                value.Append(value.Length > 0 ? " " : string.Empty).Append(word);
            }

            depth = Math.Max(0, depth + word.Count(c => c == '(') - word.Count(c => c == ')'));
        }

        Store(clauses, current, value);
        return clauses;
    }

    private static void Store(Dictionary<string, string> clauses, string? keyword, StringBuilder value)
    {
        if (keyword is not null && value.Length > 0)
        {
            clauses[keyword] = value.ToString();
        }
    }

    private static int LastTopLevelSemicolon(string text)
    {
        var depth = 0;
        var last = -1;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ';' when depth == 0:
                    last = i;
                    break;
            }
        }

        return last;
    }
}
