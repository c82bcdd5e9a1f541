"""The Markdown the report's parts write into their HTML: the report's own sentences (markdown.PROSE)."""

from __future__ import annotations

from html import escape

from .. import narrative

md = narrative.md_escape  # free text from the data, made inert in Markdown


def scroll(table: str, label: str) -> str:
    """A wide table in a region that scrolls sideways on a narrow screen (focusable, so keys scroll it)."""
    return f'<div class="scroll" role="region" tabindex="0" aria-label="{escape(label)}">{table}</div>'
