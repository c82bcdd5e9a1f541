"""Runs `quarto render` on a website project in several Quarto processes at once, one per share of its pages.

Quarto renders a project's pages one after the other in one process (a pandoc run, its Lua filters and its HTML
post-processing per page, about a second each), so a build with two cores used one. Here each worker renders its
own share of the pages in its own copy of the project, and the shares' outputs are merged into the project's
output directory: every page and file as a single-process render writes it, and the search index (search.json)
made of the shares' entries. This module knows nothing of the reports.

A share is rendered as a whole project, not as a list of files: `quarto render a b c` renders each file as a
render of its own (the site's navigation, search index and resources made again for each), which on the
writer's project costs about twice the CPU time of a full render, so two processes would gain nothing. The
copy's `_quarto.yml` names the share's pages in `project: render`, and every place in it that names another page
(the navbar's `href: index.qmd`) names that page's output instead, which is what Quarto would have made of it:
with the page not among the copy's inputs it would otherwise publish the link and the source as they are.
Links to another page's source (`.qmd`, `.ipynb`) in a page's own Markdown are not rewritten: a project that
has them renders correctly in one process only (the writer's pages link to `.html` outputs).

What the render of a share writes that a single render does not, and how the merge deals with it:
- a share without the index page gets a redirect `index.html` of Quarto's making: only the outputs of the
  share's own pages are taken (and all that is not a page's output: site_libs, resources, figures, which every
  share writes alike);
- its search.json holds its own pages' entries only: the merged index is the entries of the pages not
  rendered (on a partial render) followed by each share's, in share order (the writer puts them in its
  canonical order afterwards, as it does after any render);
- `.quarto/idx/` (each page's title and headings) is copied back for the rendered pages; `.quarto/xref/` is not
  (its files are named by a hash of the copy's absolute path, and no page here cross-references another).
A full render (`inputs` None) starts from an empty output directory, as Quarto's own full render does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import yaml

# The files Quarto renders as pages (those the writer's project holds, and Markdown).
PAGE_SUFFIXES = (".qmd", ".ipynb", ".md")
# Fewest pages worth a Quarto process of their own: each process costs about as much to start (Deno, the
# project's context, the theme) as two or three pages take to render.
MIN_SHARE = 3
# A render that writes warnings and errors only (`--quiet` would hide Quarto's error message too).
RENDER = ("render", "--log-level", "warning")


class QuartoFailed(subprocess.CalledProcessError):
    """`quarto render` failed; its message is Quarto's own (its standard error), with the pages it was given."""

    def __init__(self, returncode: int, cmd: list[str], stderr: str, pages: list[str]):
        super().__init__(returncode, cmd, stderr=stderr)
        self.pages = pages

    def __str__(self) -> str:
        shown = ", ".join(self.pages[:20]) + (f" and {len(self.pages) - 20} more" if len(self.pages) > 20 else "")
        return f"`quarto render` failed (exit status {self.returncode}) on {shown}:\n{self.stderr.rstrip()}"


def render(project: Path, inputs: list[str] | None, workers: int) -> None:
    """Renders every page of `project` (`inputs` None: a full render) or only `inputs` (paths relative to the
    project), in up to `workers` Quarto processes, each on its own share of the pages (`deal`) in its own copy
    of the project. A full render with one share is a plain `quarto render` in the project itself; a partial
    one is rendered in a copy all the same (one render of its pages, not one per page). Raises QuartoFailed,
    with Quarto's message, when a share fails (nothing is merged)."""
    if inputs is not None and not inputs:
        return
    pages = sorted(inputs) if inputs is not None else pages_of(project)
    shares = deal(pages, workers, size=lambda page: (project / page).stat().st_size)
    if inputs is None and len(shares) == 1:
        done = subprocess.run(["quarto", *RENDER], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, errors="replace")
        if done.returncode:
            raise QuartoFailed(done.returncode, ["quarto", *RENDER], done.stderr, pages)
        return
    site = project / output_dir(project)
    with tempfile.TemporaryDirectory(prefix=f".{project.name}-shares-", dir=project.parent) as tmp:
        copies = [_copy(project, Path(tmp) / f"share-{i}", share) for i, share in enumerate(shares)]
        running = []
        try:
            running += [_start(copy, share) for copy, share in zip(copies, shares, strict=True)]
            failed = [error for error in map(_wait, running) if error is not None]
        finally:  # interrupted (Ctrl-C): the shares' processes are stopped before their copies are removed
            for process, _, _ in running:
                if process.poll() is None:
                    process.kill()
                    process.wait()
        if failed:  # the others finished their share; the first failure (in share order) is the message
            raise failed[0]
        if inputs is None:
            shutil.rmtree(site, ignore_errors=True)
        _merge(project, site, copies, shares)


def deal(pages: list[str], workers: int, size=lambda page: 0) -> list[list[str]]:
    """`pages` dealt into as many shares as there are workers, each of at least MIN_SHARE pages (one share when
    there are too few), largest first (`size`: a page's input in bytes), back and forth (0, 1, 1, 0, 0, 1, …), so
    the shares are even in pages and in bytes: a report's notebook is five times its analysis', and sorted by
    name the two alternate. Each share sorted by name; the same pages and sizes, the same shares."""
    count = max(1, min(workers, len(pages) // MIN_SHARE))
    shares: list[list[str]] = [[] for _ in range(count)]
    for i, page in enumerate(sorted(pages, key=lambda page: (-size(page), page))):
        turn, at = divmod(i, count)
        shares[at if turn % 2 == 0 else count - 1 - at].append(page)
    return [sorted(share) for share in shares if share]


def output_dir(project: Path) -> str:
    """The project's output directory (`project: output-dir` in _quarto.yml; Quarto's default for a website)."""
    config = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8")) or {}
    return str((config.get("project") or {}).get("output-dir") or "_site")


def pages_of(project: Path) -> list[str]:
    """The pages a full render of the project renders, sorted: files with a page suffix outside the output
    directory and outside anything Quarto ignores (a name starting with `_` or `.`)."""
    out = output_dir(project)
    found = []
    for path in project.rglob("*"):
        rel = path.relative_to(project)
        if path.suffix in PAGE_SUFFIXES and path.is_file() and rel.parts[0] != out \
                and not any(part.startswith(("_", ".")) for part in rel.parts):
            found.append(rel.as_posix())
    return sorted(found)


def _copy(project: Path, copy: Path, share: list[str]) -> Path:
    """A copy of the project that renders `share` when rendered whole: its pages hard-linked (Quarto only reads
    them; copied where a link cannot be made), every other file copied (Quarto may write one in place, as its
    .gitignore), without the output and Quarto's state (.quarto); `_quarto.yml` as `_share_config` makes it."""
    site, pages = output_dir(project), pages_of(project)
    for folder, dirs, files in os.walk(project):
        here = Path(folder)
        rel = here.relative_to(project)
        if rel == Path("."):
            dirs[:] = [d for d in dirs if d not in (site, ".quarto")]
        dirs.sort()
        (copy / rel).mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            source, target = here / name, copy / rel / name
            if Path(name).suffix in PAGE_SUFFIXES:
                try:
                    os.link(source, target)
                    continue
                except OSError:
                    pass
            shutil.copy2(source, target)
    config = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8")) or {}
    (copy / "_quarto.yml").write_text(yaml.safe_dump(_share_config(config, share, pages), allow_unicode=True,
                                                     sort_keys=False), encoding="utf-8")
    return copy


def _share_config(config: dict, share: list[str], pages: list[str]):
    """The project's configuration rendering `share` alone (`project: render`), each other page it names
    (a navbar's href) named by its output."""
    others = {form: _output(page) for page in pages if page not in share for form in (page, f"/{page}")}

    def named(value):
        if isinstance(value, dict):
            return {key: named(item) for key, item in value.items()}
        if isinstance(value, list):
            return [named(item) for item in value]
        return others.get(value, value) if isinstance(value, str) else value

    config = named(config)
    config["project"] = {**(config.get("project") or {}), "render": list(share)}
    return config


def _start(copy: Path, share: list[str]) -> tuple[subprocess.Popen, Path, list[str]]:
    """Starts Quarto on a share in its copy; its standard error goes to a file beside the copy (Quarto's message
    if it fails), since the processes' progress would interleave."""
    log = copy.with_name(f"{copy.name}.log")
    with log.open("wb") as err:
        return subprocess.Popen(["quarto", *RENDER], cwd=copy, stdout=subprocess.DEVNULL, stderr=err), log, share


def _wait(started: tuple[subprocess.Popen, Path, list[str]]) -> QuartoFailed | None:
    process, log, share = started
    if process.wait() == 0:
        return None
    return QuartoFailed(process.returncode, ["quarto", *RENDER], log.read_text(encoding="utf-8", errors="replace"),
                        share)


def _merge(project: Path, site: Path, copies: list[Path], shares: list[list[str]]) -> None:
    """The shares' outputs into the project's output directory, their search entries into its search.json, their
    pages' index state into its .quarto."""
    every = {_output(page) for page in pages_of(project)}
    rendered = {_output(page) for share in shares for page in share}
    index = site / "search.json"
    entries = [e for e in _entries(index) if e["href"].partition("#")[0] not in rendered]
    for copy, share in zip(copies, shares, strict=True):
        own = {_output(page) for page in share}
        out = copy / site.name
        for path in sorted(out.rglob("*")):
            rel = path.relative_to(out).as_posix()
            if rel == "search.json":
                entries += _entries(path)
            elif path.is_file() and (rel in own or rel not in every):  # not another page's (a redirect)
                target = site / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        for page in share:
            state = copy / ".quarto" / "idx" / f"{page}.json"
            if state.is_file():
                target = project / ".quarto" / "idx" / f"{page}.json"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(state, target)
    if index.is_file() or any((copy / site.name / "search.json").is_file() for copy in copies):
        index.parent.mkdir(parents=True, exist_ok=True)
        index.write_text(json.dumps(entries, indent=2, ensure_ascii=False), encoding="utf-8")


def _output(page: str) -> str:
    """The HTML file Quarto writes for a page (its path in the output directory)."""
    return Path(page).with_suffix(".html").as_posix()


def _entries(index: Path) -> list[dict]:
    return json.loads(index.read_text(encoding="utf-8")) if index.is_file() else []
