"""Commentary files, `<data>/commentary/<year>/<org_nr>.md`: the organisation's own words in its report (the
format is described in `analysis.commentary` and docs/commentary.md), read into one table.

A file is cut into sections and steps by markdown-it-py's block tokens, with the configuration the report
renders it with (`analysis.markdown.COMMENTARY`): a `## ` line in a fenced code block, a quote or a list item
is text, as the reader sees it, and each token's `map` gives the lines the problems name. A section's text is
its lines as written (the report renders them).

Every problem is one line naming the file and the line: an unknown indicator ID (that section is left out), a
year or an organisation not in the dataset, a file that is not UTF-8 (the file is left out), a date that is
no date (that date is left out), a key the front matter does not know. The ingest refuses them like a
third-party file: listed and counted in quality.json, and the rest of the file is shown; with `strict` each
is an error (exit 2), and nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml
from markdown_it.token import Token

from ..commentary import FOLDER, action_words
from ..errors import Problem
from ..markdown import COMMENTARY
from .csvfiles import parse_date  # 2026-06-30 or 30.06.2026, as in the registers

MAX_BYTES = 256 * 1024  # a commentary is a page of text, not a document store
COLUMNS = ["org_nr", "year", "kind", "indicator_id", "text", "owner", "due", "author", "written", "file", "line"]


@dataclass
class File:
    """What one commentary file says (rows of COLUMNS) and the problems found in it."""
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


DATEISH = re.compile(r"\d{1,4}[-./]\d{1,2}[-./]\d{1,4}")
MARKER = re.compile(r"\s*(?:[-*+]|\d{1,9}[.)])?")  # a list item's bullet or number, as its first line starts


def read(data: Path, orgs: set[str], years: set[str], ids: list[str]) -> tuple[pd.DataFrame, list[Problem]]:
    """Every commentary file below `data/commentary` as one table (COLUMNS), and the problems found. `orgs`
    and `years` are the organisations and years of the dataset; `ids` the catalogue's indicator IDs."""
    root = data / FOLDER
    rows, problems = [], []
    files = sorted(f for f in root.rglob("*") if f.is_file() and not any(
        part.startswith((".", "~$")) for part in f.relative_to(root).parts)) if root.is_dir() else []
    for path in files:
        found = read_file(path, root, orgs, years, ids)
        rows += found.rows
        problems += found.problems
    table = pd.DataFrame(rows, columns=COLUMNS, dtype=object)
    table = table.where(table.notna(), None)  # absent is None, never NaN
    table["line"] = table["line"].astype("int64")
    return table, problems


def read_file(path: Path, root: Path, orgs: set[str], years: set[str], ids: list[str]) -> File:
    out = File()

    def problem(where: str, what: str, message: str) -> None:
        out.problems.append(Problem(str(path), where, what, message))

    rel = path.relative_to(root).parts
    if len(rel) != 2 or not re.fullmatch(r"\d{4}", rel[0]) or not re.fullmatch(r"\d{9}\.md", rel[1]):
        problem("file", "path", "not a commentary file: expected commentary/<year>/<org_nr>.md")
        return out
    year, org_nr = rel[0], rel[1][:9]
    if year not in years:
        problem("file", "year", f"the year {year} is not in the dataset")
    if org_nr not in orgs:
        problem("file", "org_nr", f"the organisation {org_nr} is not in organisations.csv")
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        problem("file", "size", f"larger than {MAX_BYTES // 1024} KB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        problem(f"line {line}", "encoding", "not UTF-8 text (save the file as UTF-8)")
        return out
    if out.problems:
        return out
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start, author, written = _front_matter(lines, problem)
    base = {"org_nr": org_nr, "year": year, "indicator_id": None, "owner": None, "due": None, "author": author,
            "written": written, "file": f"{FOLDER}/{year}/{org_nr}.md"}
    known = {i.lower(): i for i in ids}
    actions = action_words()
    for heading, begin, end, blocks in _sections(lines, start):
        kind, ref = "assessment", None
        if heading is not None:
            k, title = heading
            word = (title.rstrip(" \t#").split() or [""])[0].rstrip(":.–-")  # `## P2#` names P2 too
            if word.lower() in actions:
                kind = "action"
            elif word.lower() in known:
                kind, ref = "note", known[word.lower()]
            else:
                problem(f"line {k + 1}", "indicator", f"'{word}' is not an indicator ID of the catalogue (nor "
                        "Tiltak or Actions); the section is left out")
                continue
        if kind == "action":
            for line, item in _items(blocks, lines):
                out.rows.append(base | _action(item, line, problem) | {"kind": "action", "line": line})
        elif "\n".join(lines[begin:end]).strip():
            out.rows.append(base | {"kind": kind, "indicator_id": ref, "text": "\n".join(lines[begin:end]).strip(),
                                    "line": begin + 1})
    return out


def _sections(lines: list[str], start: int):
    """The Markdown after the front matter (`lines[start:]`) cut at its `## ` headings, as markdown-it parses
    it with the commentary's configuration (so a heading in a fenced code block, a block quote or a list item
    is text, as the reader sees it rendered): per section its heading (line index, title; None before the
    first), the line indexes of its text [begin, end), and its top-level blocks (token lists, map in file
    lines)."""
    tokens = COMMENTARY.parse("\n".join(lines[start:]))
    for token in tokens:
        if token.map:
            token.map = [start + token.map[0], start + token.map[1]]
    heads = [(token.map[0], tokens[i + 1].content) for i, token in enumerate(tokens)
             if token.type == "heading_open" and token.level == 0 and token.markup == "##"]
    blocks, opened = [], 0
    for token in tokens:
        if opened == 0:
            blocks.append([])
        blocks[-1].append(token)
        opened += token.nesting
    bounds = [(None, start), *((head, head[0] + 1) for head in heads)]
    for n, (head, begin) in enumerate(bounds):
        end = heads[n][0] if n < len(heads) else len(lines)
        yield head, begin, end, [b for b in blocks if b[0].map and begin <= b[0].map[0] < end]


def _items(blocks: list[list[Token]], lines: list[str]) -> list[tuple[int, str]]:
    """The next steps of a section (line, text), from its blocks: each item of a list is one (its lines joined,
    the lines of an item nested in it excepted: that is one of its own), and each other block (text before the
    first list, a paragraph after it) is one of its own."""
    items: list[tuple[int, str]] = []
    for block in blocks:
        first, end = block[0].map
        if block[0].type not in ("bullet_list_open", "ordered_list_open"):
            items.append((first + 1, " ".join(line.strip() for line in lines[first:end] if line.strip())))
            continue
        # the items of the list and of the lists nested in them (not those in a block quote inside an item)
        starts, quoted = [], 0
        for token in block:
            quoted += token.nesting if token.type.startswith("blockquote") else 0
            if token.type == "list_item_open" and not quoted:
                starts.append(token.map)
        owned: dict[int, list[str]] = {}
        for k in range(first, end):
            if lines[k].strip():
                # the innermost item holding the line (items nest, so the last one starting at or before it)
                owner = max(n for n, (a, b) in enumerate(starts) if a <= k < b)
                text = lines[k][MARKER.match(lines[k]).end():] if k == starts[owner][0] else lines[k]
                owned.setdefault(owner, []).append(text.strip())
        items += [(starts[n][0] + 1, " ".join(t for t in owned[n] if t)) for n in sorted(owned)]
    return [(line, text) for line, text in items if text]


def _front_matter(lines: list[str], problem) -> tuple[int, str | None, str | None]:
    """The line index where the Markdown starts, and the author and date of the front matter."""
    if not lines or lines[0].strip() != "---":
        return 0, None, None
    end = next((k for k in range(1, len(lines)) if lines[k].strip() in ("---", "...")), None)
    if end is None:
        problem("line 1", "front matter", "the front matter has no closing '---' line")
        return 0, None, None
    try:
        front = yaml.load("\n".join(lines[1:end]), Loader=yaml.BaseLoader) or {}  # text only: dates stay text
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem(f"line {2 + (mark.line if mark else 0)}", "front matter", "not YAML (write 'author: …' and 'date: …')")
        return end + 1, None, None
    if not isinstance(front, dict):
        problem("line 2", "front matter", "not YAML keys (write 'author: …' and 'date: …')")
        return end + 1, None, None

    def line_of(key: str) -> str:
        return f"line {next((k + 1 for k in range(1, end) if lines[k].lstrip().startswith(key)), 2)}"

    for key in sorted(set(front) - {"author", "date"}):
        problem(line_of(str(key)), "front matter", f"unknown key '{key}' (author, date)")
    author, written = front.get("author"), front.get("date")
    if author is not None and not isinstance(author, str):
        problem(line_of("author"), "author", "not a text")
        author = None
    if written is not None and not isinstance(written, str):
        problem(line_of("date"), "date", "not a date (write 2026-02-15 or 15.02.2026)")
        written = None
    elif written is not None and written.strip():
        iso = parse_date(written.strip())
        if iso is None:
            problem(line_of("date"), "date", f"'{written.strip()}' is not a date (write 2026-02-15 or 15.02.2026)")
        written = iso
    return end + 1, (author or "").strip() or None, written or None


def _action(item: str, line: int, problem) -> dict:
    """One next step: its text, and the owner and date of a closing `(owner, date)`."""
    found = re.search(r"\(([^()]*)\)\s*\.?\s*$", item)
    if not found:
        return {"text": item, "owner": None, "due": None}
    parts = [p.strip() for p in found[1].split(",")]
    if DATEISH.fullmatch(parts[-1]):
        due = parse_date(parts[-1])  # parts are stripped
        if due is None:
            problem(f"line {line}", "date", f"'{parts[-1]}' is not a date (write 2026-06-30 or 30.06.2026)")
        return {"text": item[:found.start()].strip(), "owner": ", ".join(parts[:-1]) or None, "due": due}
    if len(parts) == 1 and parts[0] and not re.search(r"\d", parts[0]):
        return {"text": item[:found.start()].strip(), "owner": parts[0], "due": None}
    return {"text": item, "owner": None, "due": None}


def dataset_years(tables: dict[str, pd.DataFrame]) -> set[str]:
    """The years the dataset holds data for: of notices, survey answers, training, ledger lines, contracts,
    evaluations and the gain register."""
    years: set[str] = set()
    for name, column, cut in (("notices", "year", False), ("surveys", "year", False), ("training", "year", False),
                              ("spend", "invoice_date", True), ("contracts", "signed_date", True),
                              ("evaluations", "evaluation_date", True), ("goals", "baseline_date", True),
                              ("implementations", "date", True), ("effects", "date", True)):
        frame = tables.get(name)
        if frame is None or column not in frame:
            continue
        values = frame[column].dropna().astype(str)
        years |= set((values.str[:4] if cut else values).unique())
    return {y for y in years if re.fullmatch(r"\d{4}", y)}
