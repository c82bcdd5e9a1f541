"""The site's languages: every user-facing text is a message in a gettext catalog (through Babel).

- Message ids are English, the Sphinx/Django way: the code and templates read on their own, one language
  is the source for all, and English is also an output language, whose catalog is an identity catalog
  (msgstr = msgid, filled by `make i18n`) so the test for missing entries covers it like the others.
- Python marks a message with `N_()` where it is defined (it stays a message id) and translates it where it
  is shown with `text()` or `translate()`, or
  calls `translations(lang).gettext()` / `.ngettext()` on a literal; templates use Jinja2's i18n extension
  (`{% trans %}`, `_()`, `{% pluralize %}`), with the environment from `jinja_env()`.
- Catalogs: src/analysis/locales/<lang>/LC_MESSAGES/messages.po, extracted from the code and templates with
  `pybabel extract` (babel.cfg) and updated with `pybabel update` (`make i18n`). They are compiled in memory
  when first used, so the .po files in git are the only copy and nothing is written at run time.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO

import jinja2
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import Translations

from . import paths

LANGS = ("nb", "nn", "en")
LOCALES = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}  # Babel's locale (numbers, dates, plural rules)
DOMAIN = "messages"


def N_(message: str) -> str:
    """Marks a message for extraction without translating it (it is translated where it is shown)."""
    return message


def catalog_path(lang: str):
    return paths.LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> Translations:
    """The compiled catalog of a language (fuzzy entries are not used)."""
    if lang not in LANGS:
        raise ValueError(f"not a language of the site: {lang!r} (one of {', '.join(LANGS)})")
    with catalog_path(lang).open("rb") as f:
        catalog = read_po(f, locale=LOCALES[lang], domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def translate(lang: str, message: str) -> str:
    """A message marked with `N_` in a language (for a plural: `translations(lang).ngettext(...)`)."""
    return translations(lang).gettext(message)


def text(messages, lang: str):
    """A table of messages (a string, or dicts and lists of them, as marked with `N_`) in a language."""
    if isinstance(messages, str):
        return translate(lang, messages)
    if isinstance(messages, dict):
        return {key: text(value, lang) for key, value in messages.items()}
    return [text(value, lang) for value in messages]


# Main clauses joined as the language punctuates them: Norwegian sets a comma before the "og" that joins the
# last ("1 har gått opp, 1 har gått ned, og 2 er stabile"); lists of nouns go through Babel's format_list.
CLAUSES = N_("{items}, and {last}")


def and_list(items, lang: str) -> str:
    """Nouns joined as the language lists them, by Babel: "a, b og c" (English "a, b and c")."""
    return format_list(list(items), locale=LOCALES[lang])


def and_clauses(clauses, lang: str) -> str:
    """Clauses (each with its own verb) as one: "a", "a, and b", "a, b, and c" (nb/nn: ", og")."""
    clauses = list(clauses)
    if len(clauses) < 2:
        return "".join(clauses)
    return translate(lang, CLAUSES).format(items=", ".join(clauses[:-1]), last=clauses[-1])


def report_languages(build: paths.BuildPaths, default: str) -> dict[str, str]:
    """The language of each organisation's reports: its `lang` in organisations.csv, else `default` (the
    params' language, which the index, overview and method pages always use). Before ingest (no table yet)
    nobody has a language of its own."""
    import pandas as pd

    table = build.data / "organisations.parquet"
    if not table.is_file():
        return {}
    orgs = pd.read_parquet(table)
    chosen = orgs["lang"] if "lang" in orgs else pd.Series(None, index=orgs.index)
    return {org: lang if isinstance(lang, str) and lang else default
            for org, lang in zip(orgs["org_nr"], chosen, strict=True)}


@cache
def jinja_env(folder: str, lang: str, autoescape: bool) -> jinja2.Environment:
    """A Jinja2 environment for the templates in `folder`, speaking `lang`. Every `{% trans %}` block is
    trimmed (line breaks and indentation inside it folded), as babel.cfg extracts them."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=autoescape,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             extensions=["jinja2.ext.i18n"])
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(lang), newstyle=True)
    env.filters["and_list"] = lambda items: and_list(items, lang)  # "a, b og c"
    env.filters["and_clauses"] = lambda clauses: and_clauses(clauses, lang)  # "a, b, og c"
    return env


def fill_identity(lang: str = "en") -> None:
    """The catalog of the source language: every msgstr equal to its msgid (plural forms: singular and plural
    as written). `make i18n` calls it for English after updating the catalogs."""
    path = catalog_path(lang)
    with path.open("rb") as f:
        catalog = read_po(f, locale=LOCALES[lang], domain=DOMAIN)
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    buffer = BytesIO()
    write_po(buffer, catalog, omit_header=True, no_location=True, sort_output=True)
    path.write_bytes(buffer.getvalue())


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["identity"]:
        fill_identity(*sys.argv[2:3])
