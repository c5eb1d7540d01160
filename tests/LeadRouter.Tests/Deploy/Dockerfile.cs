namespace LeadRouter.Tests.Deploy;

/// <summary>
/// A Dockerfile read the way the builder reads it, enough for the checks: comment lines dropped,
/// backslash continuations joined, each instruction with the line it starts on, and the build
/// stages (FROM image [AS name]) with their instructions.
/// </summary>
internal sealed class Dockerfile
{
    public sealed record Instruction(int Line, string Keyword, string Arguments);

    public sealed record Stage(string Image, string? Name, int Line, IReadOnlyList<Instruction> Instructions);

    private Dockerfile(IReadOnlyList<Instruction> instructions, IReadOnlyList<Stage> stages)
    {
        Instructions = instructions;
        Stages = stages;
    }

    /// <summary>Every instruction in order, FROM lines included.</summary>
    public IReadOnlyList<Instruction> Instructions { get; }

    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>The stage the image is made of.</summary>
    public Stage Final => Stages[^1];

    public static Dockerfile Parse(string text)
    {
        var instructions = new List<Instruction>();
        var pending = "";
        var startLine = 0;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.TrimStart().StartsWith('#') || (pending.Length == 0 && line.Trim().Length == 0))
                continue; // comments may also sit between continued lines
            if (pending.Length == 0) startLine = i + 1;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            var whole = (pending + line).Trim();
            pending = "";
            var space = whole.IndexOfAny([' ', '\t']);
            instructions.Add(space < 0
                ? new Instruction(startLine, whole.ToUpperInvariant(), "")
                : new Instruction(startLine, whole[..space].ToUpperInvariant(), whole[(space + 1)..].Trim()));
        }
        if (pending.Length > 0)
            throw new FormatException($"line {startLine}: the instruction continues past the end of the file");

        var stages = new List<Stage>();
        List<Instruction>? current = null;
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                var words = Words(instruction.Arguments).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToArray();
                var name = words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                current = [];
                stages.Add(new Stage(words[0], name, instruction.Line, current));
            }
            else if (current is not null)
            {
                current.Add(instruction);
            }
            else if (instruction.Keyword != "ARG")
            {
                throw new FormatException($"line {instruction.Line}: {instruction.Keyword} before the first FROM");
            }
        }
        return new Dockerfile(instructions, stages);
    }

    public static string[] Words(string arguments) => arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
