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


def machine(packages):
    """What a report says of the machine it was measured on, with the versions of ``packages``."""
    import importlib.metadata
    import platform
    import sqlite3

    model = "unknown"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        memory_kib = int(meminfo.readline().split()[1])
    versions = {}
    for name in packages:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {"nproc": os.cpu_count(), "cpu": model, "memory_gib": memory_kib / 1024 / 1024,
            "python": platform.python_version(), "kernel": platform.release(),
            "sqlite": sqlite3.sqlite_version, "packages": versions}


def machine_line(info):
    """The report's **Machine:** line, from ``machine(...)``."""
    return (f"**Machine:** {info['nproc']} CPUs ({info['cpu']}), {info['memory_gib']:.1f} GiB memory, Linux "
            f"{info['kernel']}, Python {info['python']}, SQLite {info['sqlite']}. "
            + ", ".join(f"{k} {v}" for k, v in info["packages"].items()) + ".")


def save_and_write(saved, workdir, quick, docs, section, root):
    """Keep a run's raw figures beside its logs, print its section and write it into the report
    (into test-artifacts/ for a QUICK smoke run, or BENCH_OUTPUT when set). Returns the path."""
    import json

    with open(os.path.join(workdir, "results-quick.json" if quick else "results.json"), "w") as handle:
        json.dump(saved, handle, indent=1, default=str)
    print()
    print(section)
    output = os.environ.get("BENCH_OUTPUT") or (os.path.join(workdir, "PERFORMANCE-quick.md") if quick else docs)
    write_section(output, section)
    return os.path.relpath(output, root)
