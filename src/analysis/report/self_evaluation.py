"""The self-evaluation (selvevaluering): the framework's seven questions on organisation, steering and
leadership, as answered in the survey, with scores compared with the previous wave and the barriers named."""

from __future__ import annotations

from html import escape

from IPython.display import HTML, Markdown

from .. import figures, fmt, ingest, narrative
from .markup import scroll
from .values import none, signed


def self_evaluation(r) -> list:
    """The seven questions with scores, compared with the previous wave."""
    t, lang = r.t, r.lang
    if not r.basis.supplied("surveys"):
        return [Markdown(f"## {t['self_eval']}\n\n{t['self_eval_not_supplied']}")]
    questions, barriers = rows(r)
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in (
        t["question"], t["score"], t["agree"], t["n"],
        t["since"].format(year=questions[0]["prev_year"]) if questions and questions[0]["prev_year"]
        else t["since_none"]))
    body = []
    for q in questions:
        shown = q["status"] == "ok"
        hidden = t["suppressed"].format(min_n=r.min_n) if q["status"] == "suppressed" else t["no_data"]
        body.append(
            f'<tr><th scope="row">{q["k"]}. {escape(q["text"])}</th>'
            f"<td>{escape(fmt.number(q['value'], lang, 1) if shown else hidden)}</td>"
            f"<td>{escape(fmt.percent(q['share_agree'], lang, 0) if shown else '–')}</td>"
            f"<td>{escape(fmt.number(q['n'], lang) if shown else '–')}</td>"
            f"<td>{escape(signed(q['change'], lang) if shown else '–')}</td></tr>")
    caption = t["self_eval_caption"].format(year=r.year)
    prev_years = [q["prev_year"] for q in questions if q["prev_year"]]
    svg, alt = figures.profile([{"k": q["k"], "label": q["short"], "value": q["value"], "prev": q["prev_value"]}
                                for q in questions], r.year, max(prev_years) if prev_years else None,
                               lang, r.min_n)
    return [Markdown(f"## {t['self_eval']}\n\n{t['self_eval_intro']}"),
            HTML(scroll(f'<table class="self-evaluation"><caption>{escape(caption)}</caption><thead><tr>'
                        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table>", caption)),
            HTML(figures.html(svg, alt, t["profile_caption"].format(year=r.year))),
            Markdown(narrative.self_evaluation_text(questions, barriers, lang, r.min_n))]


def rows(r) -> tuple[list[dict], list[dict]]:
    """This year's answer per question (no data where there is none), and the barriers named."""
    questions, items = ingest.self_evaluation_questions(), ingest.survey_items()
    now = r.self_eval[r.self_eval["year"] == r.year]
    found = []
    for k, q in enumerate(questions, start=1):
        hit = now[(now["question"] == q["id"]) & (now["kind"] == "score")]
        row = hit.iloc[0].to_dict() if len(hit) else {"status": "no_data", "value": None, "share_agree": None,
                                                       "n": 0, "prev_year": None, "prev_value": None, "change": None}
        found.append({"k": k, "text": q[r.lang], "short": items[q["item"]][f"text_{r.lang}"],
                      **{key: none(row.get(key)) for key in ("status", "value", "share_agree", "n", "prev_year",
                                                             "prev_value", "change")}})
    barriers = [{"text": items[b.item_id][f"text_{r.lang}"], "status": b.status, "value": none(b.value)}
                for b in now[now["kind"] == "barrier"].itertuples()]
    return found, barriers
