"""The key messages (hovedbudskap): three to five sentences on what changed most, what is on or off track, and
where the organisation stands among its peers; beside them the organisation's own assessment when it wrote one."""

from __future__ import annotations

from html import escape

from IPython.display import HTML

from .. import narrative
from ..markdown import PROSE
from . import own_words


def key_messages(r) -> list:
    """One form whether or not there is an assessment: a section with its heading and the messages as a list,
    and where the organisation wrote an assessment, both side by side on the first screen."""
    rows = [r.now.loc[i.id].to_dict() | {"indicator_id": i.id, "year": r.year} for i in r.cat.indicators]
    goals = [r._chain(g)[0] for g in r._goals()] if r.basis.supplied("gains") else None
    messages = narrative.key_messages(rows, r.lang, goals, len(r._unmeasured()))
    items = "\n".join(f"- {m}" for m in messages)
    section = (f'<section class="key-messages" aria-labelledby="key-messages"><h2 id="key-messages">'
               f'{escape(r.t["key_messages"])}</h2>{PROSE.render(items)}</section>')
    beside = own_words.assessment(r)
    return [HTML(f'<div class="first-screen">{section}{beside}</div>' if beside else section)]
