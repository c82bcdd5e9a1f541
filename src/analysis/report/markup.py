"""The Markdown the report's parts write into their HTML, in one place (one renderer for the whole report)."""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt

from .. import narrative

_MD = MarkdownIt("commonmark", {"html": False})
md = narrative.md_escape  # free text from the data, made inert in Markdown


def scroll(table: str, label: str) -> str:
    """A wide table in a region that scrolls sideways on a narrow screen (focusable, so keys scroll it)."""
    return f'<div class="scroll" role="region" tabindex="0" aria-label="{escape(label)}">{table}</div>'
