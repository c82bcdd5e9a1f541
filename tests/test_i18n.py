"""Languages as catalogs: every marked message is translated in every catalog (with the same placeholders),
nothing user-facing is written outside them, and nynorsk formats numbers and dates with Babel's nn locale."""

from __future__ import annotations

import ast
import re
from datetime import date

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from analysis import catalogue, codelists, fmt, i18n, ingest, paths


def _extracted() -> dict[str | tuple[str, ...], str]:
    """Every message marked in the package and templates, extracted as `make i18n` does (babel.cfg)."""
    with (paths.ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = {}
    for filename, _, message, _, _ in extract_from_dir(str(paths.ROOT), method_map, options_map, keywords):
        found[message] = filename
    return found


def _catalog(lang: str):
    with i18n.catalog_path(lang).open("rb") as f:
        return read_po(f, locale=i18n.LOCALES[lang])


PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w*\}")


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_marked_message_is_translated(lang):
    catalog = _catalog(lang)
    missing, fuzzy, placeholders = [], [], []
    for message, filename in _extracted().items():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key)
        strings = (entry.string if isinstance(entry.string, tuple) else (entry.string,)) if entry else ("",)
        if not entry or not all(strings):
            missing.append(f"{filename}: {key!r}")
        elif entry.fuzzy:
            fuzzy.append(key)
        else:
            ids = message if isinstance(message, tuple) else (message,)
            wanted = sorted(set(PLACEHOLDER.findall(ids[-1])))
            placeholders += [key for s in strings if sorted(set(PLACEHOLDER.findall(s))) != wanted
                             and not (len(ids) > 1 and "%(count)s" in wanted)]
    assert not missing, f"{lang}: untranslated (run make i18n, then translate): {missing}"
    assert not fuzzy, f"{lang}: fuzzy entries: {fuzzy}"
    assert not placeholders, f"{lang}: placeholders differ from the message id: {placeholders}"


def test_english_is_the_identity_catalog_and_nothing_is_left_over():
    """English message ids: the en catalog says what the id says; no catalog keeps messages the code no
    longer marks (make i18n drops them)."""
    extracted = {m[0] if isinstance(m, tuple) else m for m in _extracted()}
    for lang in i18n.LANGS:
        catalog = _catalog(lang)
        assert {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id} == extracted, lang
    for m in _catalog("en"):
        if m.id:
            assert m.string == m.id


def test_plural_forms_follow_the_count():
    nb, en, nn = (i18n.translations(lang) for lang in ("nb", "en", "nn"))
    assert en.ngettext("{n} measure, {cost}", "{n} measures, {cost}", 1) == "{n} measure, {cost}"
    assert en.ngettext("{n} measure, {cost}", "{n} measures, {cost}", 2) == "{n} measures, {cost}"
    one = "%(ok)s of %(count)s indicator has a value for %(year)s"
    many = "%(ok)s of %(count)s indicators have a value for %(year)s"
    assert "indikatorar" in nn.ngettext(one, many, 40) and "indikator " in nn.ngettext(one, many, 1)
    assert "indikatorer" in nb.ngettext(one, many, 40)


def test_nynorsk_numbers_dates_and_words():
    assert fmt.percent(0.124, "nn") == "12,4\u00a0%" == fmt.percent(0.124, "nb")
    assert fmt.percent(0.124, "en") == "12.4%"
    assert fmt.nok(1234567, "nn") == "1\u00a0234\u00a0567\u00a0kr" and fmt.nok(1234567, "en") == "NOK\u00a01,234,567"
    assert fmt.day("2024-03-01", "nn") == "1. mars 2024" and fmt.day("2024-03-01", "en") == "1 March 2024"
    assert fmt.points(0.05, "nn") == "+5,0 prosentpoeng"
    assert i18n.translate("nn", "Key messages") == "Hovudbodskap"
    assert i18n.translate("nn", "Skip to main content") == "Hopp til hovudinnhaldet"


def test_data_texts_have_every_language():
    """The catalogue, the survey items and the self-evaluation questions carry nb, nn and en."""
    cat = catalogue.load()
    for ind in cat.indicators:
        for field in ("title", "definition", "numerator", "denominator", "source", "note"):
            texts = getattr(ind, field)
            assert (texts is None and field == "note") or (set(texts) == set(i18n.LANGS) and all(texts.values())), \
                (ind.id, field)
        assert set(ind.title) == set(i18n.LANGS)
    assert cat.areas["gevinster"]["nn"] == "Gevinstar"
    for item in ingest.survey_items().values():
        assert all(item[f"text_{lang}"] for lang in i18n.LANGS)
    for q in ingest.self_evaluation_questions():
        assert all(q[lang] for lang in i18n.LANGS)


def test_codelist_labels_in_nynorsk_fall_back_to_bokmal():
    """The eForms codelists' labels exist in nb and en only; nn reads the bokmål label (they are not shown in
    reports, only used by the loaders)."""
    name, codes = next(iter(codelists.codelists().items()))
    code, labels = next(iter(codes.items()))
    assert "nn" not in labels
    assert codelists.label(name, code, "nn") == labels["nb"]


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="not a language"):
        i18n.translations("sv")


# ------------------------------------------------------------------------------------------ literals
# The modules that put words on pages (pdf.py only converts the HTML they made; analyses.py writes code).
PAGE_MODULES = ("report", "commentary", "render", "overview", "figures", "funnel", "narrative", "fmt", "sme",
                "dataquality")
# Strings that contain letters and spaces but are not words for readers: CSS/markup fragments and
# identifiers (kept short and explained).
ALLOWED = {
    "DejaVu Sans, Verdana, Arial, sans-serif",  # the figures' font stack
}
CALLS = {"_", "N_", "gettext", "ngettext", "translate"}  # message markers and translators
QUIET_CALLS = {"debug", "info", "warning", "error", "exception", "print", "ValueError", "TypeError",
               "RuntimeError", "KeyError", "AssertionError", "InputError", "one", "Problem", "add", "execute",
               "sub", "fullmatch", "match", "compile"}  # logging, errors for developers, SQL and regexes


def _literals(tree: ast.AST):
    """String constants with at least two words of letters that are not docstrings, message ids, log or error
    texts, f-string glue, SQL, regexes or format specs."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body and \
                isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            skip.add(id(node.body[0].value))  # docstrings
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in CALLS or name in QUIET_CALLS:
                skip.update(id(n) for arg in [*node.args, *(k.value for k in node.keywords)] for n in ast.walk(arg))
        if isinstance(node, ast.Assert) and node.msg is not None:
            skip.update(id(n) for n in ast.walk(node.msg))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = re.sub(r"<[^>]*>?|\{[^}]*\}", " ", node.value)  # markup (even a tag's start) and placeholders
            if re.search(r"[A-Za-zÆØÅæøå]{2,}\s+[A-Za-zÆØÅæøå]{2,}", text) and node.value not in ALLOWED:
                yield node.lineno, node.value


def test_no_user_facing_literal_outside_the_catalogs():
    """A user-facing literal is a string constant in a page-producing module with two or more words of
    letters (markup tags and {placeholders} removed) that is not a docstring, not inside a message marker
    or translator (_, N_, gettext, ngettext, translate) and not in a log, error, SQL or regex call. Anything
    else must be a message; the few exceptions are in ALLOWED, each with its reason."""
    found = []
    files = [f for m in PAGE_MODULES for f in (sorted((paths.PACKAGE / m).glob("*.py")) if (paths.PACKAGE / m).is_dir()
                                              else [paths.PACKAGE / f"{m}.py"])]  # a module, or each of a package's
    assert len(files) > len(PAGE_MODULES)  # the report package's modules are read, not skipped
    for path in files:
        for line, value in _literals(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"{path.relative_to(paths.PACKAGE)}:{line}: {value!r}")
    assert not found, "user-facing text outside the catalogs:\n" + "\n".join(found)


def test_the_literal_rule_catches_a_plain_sentence():
    tree = ast.parse('x = "Ingen data for året"\ny = N_("No data for the year")\nz = "<p class=\\"a\\">"\n')
    assert [value for _, value in _literals(tree)] == ["Ingen data for året"]


def test_catalog_dates_are_real_formats():
    assert fmt.day(date(2025, 12, 31), "nn") == "31. desember 2025"


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_narrative_sentences_are_separated(lang):
    """Template tags that end a sentence's line keep its line break, so sentences never run together."""
    from analysis import narrative

    row = {"indicator_id": "P4", "year": "2025", "status": "ok", "value": 0.385, "prev_value": 0.278,
           "change_prev": 0.107, "n": 13, "coverage": 0.4, "peer_n": 4, "peer_quartile": 4, "peer_median": 0.113,
           "baseline_value": 0.105, "baseline_year": "2019", "change_baseline": 0.28, "min_n": 5}
    text = narrative.indicator_text(row, lang)
    assert text.count(". ") >= 4 and not re.search(r"\.[A-ZÆØÅ]", text), text


def test_the_method_page_has_words_for_every_counted_unit_and_absence():
    from analysis import dataquality

    assert set(dataquality.COUNTED_UNITS) == set(catalogue.COUNTED_UNITS)
    assert set(dataquality.ABSENT) == set(catalogue.ABSENT)
