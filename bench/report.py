"""Writing a benchmark's section into a shared report (docs/PERFORMANCE.md)."""
import os
import re
import textwrap

WIDTH = 100
_LIST_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+\.)\s+)")


def wrap_markdown(text, width=WIDTH):
    """Wrap long prose lines (paragraphs and list items) at ``width`` columns, leaving tables,
    headings and code blocks as they are, so reports stay readable and diff line by line."""
    out, fenced = [], False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if fenced or len(line) <= width or line.lstrip().startswith(("|", "#", "```")):
            out.append(line)
            continue
        item = _LIST_ITEM.match(line)
        lead = item.group(1) if item else re.match(r"^\s*", line).group(0)
        out.extend(textwrap.wrap(line[len(lead):], width=width, initial_indent=lead,
                                 subsequent_indent=" " * len(lead), break_long_words=False,
                                 break_on_hyphens=False))
    return "\n".join(out)


def write_section(path, section):
    """Replace (or add) ``section`` — whose first line is its "## " heading — in the report at
    ``path``, leaving the other sections alone."""
    section = wrap_markdown(section)
    heading = section.split("\n", 1)[0]
    text = open(path).read() if os.path.exists(path) else "# Performance\n"
    pattern = re.compile(r"^" + re.escape(heading) + r"\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section.rstrip("\n") + "\n\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text.rstrip("\n") + "\n")
