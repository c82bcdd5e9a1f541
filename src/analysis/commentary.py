"""The organisation's own words in its report: `<data>/commentary/<year>/<org_nr>.md`.

A commentary file is plain Markdown that the body writes in any text editor:

    ---
    author: Kari Nordmann, innkjøpssjef
    date: 2026-02-15
    ---
    The overall assessment: why the numbers moved, what we conclude.

    ## P2
    A note on indicator P2 (any ID of the indicator catalogue).

    ## Tiltak
    - Innføre markedsdialog i alle anskaffelser over 1,3 mill. kr (innkjøpssjef, 2026-06-30)

Front matter (`author`, `date`) is optional. Text before the first `## <ID>` heading is the assessment, each
`## <indicator ID>` section a note on that indicator, and the `## Tiltak` (`## Actions`) section the next
steps, each optionally ending with `(owner, date)`, `(owner)` or `(date)`. The report shows the assessment
beside the key messages, each note in its indicator's details and the next steps after the effects chain; the
next year's report shows them again as follow-up.

The files are read and checked at ingest (`analysis.ingest.commentary`, into data/commentary.parquet). This
module renders them with `analysis.markdown.COMMENTARY`: raw HTML disabled, no images and links limited to
http(s), mailto and relative ones, so nothing in a file can run in the reader's browser or fetch anything.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from html import escape

import pandas as pd

from . import fmt, i18n
from .i18n import N_
from .markdown import COMMENTARY

FOLDER = "commentary"  # <data>/commentary/<year>/<org_nr>.md

TEXT = {
    "actions": N_("Actions"),  # the heading of the next steps in a commentary file (nb, nn: Tiltak)
    "assessment": N_("The organisation's assessment"),
    "own_words": N_("In the organisation's own words, not generated from the data."),
    "by_author_date": N_("Written by {author}, {date}."),
    "by_author": N_("Written by {author}."),
    "by_date": N_("Written {date}."),
    "note": N_("The organisation's note:"),
    "next_steps": N_("Next steps"),
    "next_steps_intro": N_("What the organisation will do next, in its own words."),
    "no_next_steps": N_("The organisation has set out no next steps for {year}."),
    "follow_up": N_("Follow-up: the next steps from {year}"),
    "follow_up_intro": N_("The next steps the organisation set out in its report for {year}, with their owners "
                          "and dates, so that they can be followed up."),
    "owner_due": N_("{owner}, by {date}"),
    "due": N_("by {date}"),
    # the starting file of `innomaal new-commentary` (comments in its front matter)
    "file_head": N_("The organisation's own words for its report {year}: {name} ({org_nr})."),
    "file_help": N_("Text before the first heading is your assessment; under ## and an indicator ID, a note on "
                    "that indicator; under the last heading, the next steps, each as '- what (owner, "
                    "2026-06-30)'. Lines starting with # here are comments; empty sections are not shown."),
    "file_values": N_("The headline values of the report:"),
}


def action_words() -> set[str]:
    """The headings that start the next steps: `Actions` in every language of the site (Tiltak)."""
    return {i18n.translate(lang, TEXT["actions"]).lower() for lang in i18n.LANGS} | {"actions", "tiltak"}


# ------------------------------------------------------------------ rendering
def markdown(text: str) -> str:
    """A commentary text as HTML: raw HTML shown as text, no images, links limited to http(s), mailto and
    relative (others are shown as text)."""
    return COMMENTARY.render(text)


def inline(text: str) -> str:
    return COMMENTARY.renderInline(text)


# ------------------------------------------------------------------ in a report
@dataclass
class Commentary:
    """One report's commentary: its own (this year) and the next steps of the year before (follow-up)."""
    year: str
    assessment: str | None = None
    author: str | None = None
    written: str | None = None
    notes: dict[str, str] = field(default_factory=dict)
    actions: list[dict] = field(default_factory=list)
    previous: list[dict] = field(default_factory=list)  # last year's next steps

    @classmethod
    def of(cls, rows: pd.DataFrame, year: str, previous: pd.DataFrame) -> Commentary:
        c = cls(year)
        for r in (fmt.record(r) for r in rows.to_dict("records")):
            c.author, c.written = r.get("author"), r.get("written")
            if r["kind"] == "assessment":
                c.assessment = r["text"]
            elif r["kind"] == "note":
                c.notes[r["indicator_id"]] = (c.notes.get(r["indicator_id"], "") + "\n\n" + r["text"]).strip()
            else:
                c.actions.append(r)
        c.previous = [fmt.record(r) for r in previous.to_dict("records") if r["kind"] == "action"]
        return c

    def __bool__(self) -> bool:
        return bool(self.assessment or self.notes or self.actions or self.previous)


def byline(c: Commentary, lang: str) -> str:
    t = i18n.text(TEXT, lang)
    day = fmt.day(c.written, lang) if c.written else None
    written = (t["by_author_date"].format(author=c.author, date=day) if c.author and day else
               t["by_author"].format(author=c.author) if c.author else
               t["by_date"].format(date=day) if day else "")
    return escape(" ".join(filter(None, (t["own_words"], written))))


def assessment_html(c: Commentary, lang: str) -> str:
    """The assessment beside the key messages: a section of its own, marked as the body's own words."""
    t = i18n.text(TEXT, lang)
    return (f'<section class="commentary assessment" aria-labelledby="assessment"><h2 id="assessment">'
            f'{escape(t["assessment"])}</h2><p class="byline">{byline(c, lang)}</p>'
            f'<div class="own-words">{markdown(c.assessment or "")}</div></section>')


def note_html(text: str, lang: str) -> str:
    """A note inside an indicator's details."""
    t = i18n.text(TEXT, lang)
    return (f'<div class="commentary note"><p class="byline"><strong>{escape(t["note"])}</strong></p>'
            f'<div class="own-words">{markdown(text)}</div></div>')


def _step(step: dict, lang: str) -> str:
    t = i18n.text(TEXT, lang)
    due = fmt.day(step["due"], lang) if step.get("due") else None
    who = (t["owner_due"].format(owner=step["owner"], date=due) if step.get("owner") and due else
           t["due"].format(date=due) if due else step.get("owner") or "")
    tail = f' <span class="who">({escape(who)})</span>' if who else ""
    return f"<li>{inline(step['text'])}{tail}</li>"


def actions_html(c: Commentary, lang: str) -> str:
    """The next steps after the effects chain, and last year's as follow-up; "" when there are neither."""
    if not (c.actions or c.previous):
        return ""
    t = i18n.text(TEXT, lang)
    parts = [f'<section class="commentary next-steps" aria-labelledby="next-steps"><h2 id="next-steps">'
             f'{escape(t["next_steps"])}</h2>']
    if c.actions:
        parts.append(f'<p class="byline">{escape(t["next_steps_intro"])}</p>'
                     f'<ul class="own-words">{"".join(_step(s, lang) for s in c.actions)}</ul>')
    else:
        parts.append(f'<p>{escape(t["no_next_steps"].format(year=c.year))}</p>')
    if c.previous:
        prev = str(int(c.year) - 1)
        parts.append(f'<h3 id="follow-up">{escape(t["follow_up"].format(year=prev))}</h3>'
                     f'<p class="byline">{escape(t["follow_up_intro"].format(year=prev))}</p>'
                     f'<ul class="own-words">{"".join(_step(s, lang) for s in c.previous)}</ul>')
    return "".join(parts) + "</section>"


# ------------------------------------------------------------------ a starting file
def starting_file(org_nr: str, name: str, year: str, lang: str, headlines: list[tuple[str, str]]) -> str:
    """The text of `innomaal new-commentary`: front matter with comments (the report's headline values, how
    to write the file), then a heading per headline indicator and the next steps' heading, all empty."""
    t = i18n.text(TEXT, lang)
    comment = [t["file_head"].format(year=year, name=name, org_nr=org_nr),
               *textwrap.wrap(t["file_help"], 100, break_long_words=False, break_on_hyphens=False),
               t["file_values"], *(f"  {line}" for _, line in headlines)]
    head = "".join(f"# {line}\n" for line in comment)
    sections = "".join(f"## {ind}\n\n" for ind, _ in headlines)
    return f"---\n{head}author: \ndate: \n---\n\n{sections}## {t['actions']}\n\n"
