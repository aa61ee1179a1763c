"""Writing a benchmark's section into a shared report (docs/PERFORMANCE.md)."""
import os
import re


def write_section(path, section):
    """Replace (or add) ``section`` — whose first line is its "## " heading — in the report at
    ``path``, leaving the other sections alone."""
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
