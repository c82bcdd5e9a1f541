"""The key messages (hovedbudskap): three to five sentences on what changed most, what is on or off track, and
where the organisation stands among its peers; beside them the organisation's own assessment when it wrote one."""

from __future__ import annotations

from html import escape

from IPython.display import HTML, Markdown

from .. import narrative
from . import own_words
from .markup import _MD


def key_messages(r) -> list:
    """The messages as a list under their heading; where the organisation wrote an assessment, both side by
    side on the first screen."""
    rows = [r.now.loc[i.id].to_dict() | {"indicator_id": i.id, "year": r.year} for i in r.cat.indicators]
    goals = [r._chain(g)[0] for g in r._goals()] if r.basis.supplied("gains") else None
    messages = narrative.key_messages(rows, r.lang, goals, len(r._unmeasured()))
    items = "\n".join(f"- {m}" for m in messages)
    if not r.commentary.assessment:
        return [Markdown(f"## {r.t['key_messages']}\n\n{items}")]
    return [HTML(f'<div class="first-screen"><section class="key-messages" aria-labelledby="key-messages">'
                 f'<h2 id="key-messages">{escape(r.t["key_messages"])}</h2>{_MD.render(items)}</section>'
                 f"{own_words.assessment(r)}</div>")]
