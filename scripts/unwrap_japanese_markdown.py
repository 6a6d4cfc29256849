"""One Japanese paragraph, one line (../shared/japanese-style.md): Markdown joins the lines of a paragraph with a
space, which splits Japanese words (「ネット ワーク」). This joins every paragraph and list item of the given files
onto one line, leaves code blocks, headings and tables alone, and gives each bold label line (**目標：** …) a
paragraph of its own so it stays on a line of its own. tests/i18n/test_japanese_markdown.py keeps it so.

    .venv/bin/python scripts/unwrap_japanese_markdown.py docs/workshop/*.ja.md
"""
import re
import sys
from pathlib import Path

STARTS_A_LINE = re.compile(r"^(#|\s*[-*] |\s*\d+\. |\||\*\*|```|<)")
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


def joined(previous: str, continuation: str) -> str:
    glue = "" if CJK.search(previous[-1:]) or CJK.search(continuation[:1]) else " "
    return previous.rstrip() + glue + continuation


def unwrap(text: str) -> str:
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
            out.append(line)
            continue
        stripped = line.strip()
        continues = (not fenced and stripped and out and out[-1].strip() and not STARTS_A_LINE.match(line)
                     and not out[-1].startswith(("#", "|", "```")))
        if continues:
            out[-1] = joined(out[-1], stripped)
            continue
        if not fenced and line.startswith("**") and out and out[-1].startswith("**"):
            out.append("")  # two label lines: a paragraph each, or Markdown would run them together
        out.append(line)
    return "\n".join(out)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        path = Path(name)
        path.write_text(unwrap(path.read_text()))
