"""The French and Dutch catalogues are complete: every source message has a real translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po
from django.conf import settings

SOURCE = Path(settings.BASE_DIR)
LOCALES = ("fr", "nl")
PY_KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
}
TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
BLOCK_TAG = re.compile(
    r"{%\s*blocktrans(?:late)?(?P<args>[^%]*)%}(?P<body>.*?)"
    r"{%\s*(?:plural|endblocktrans(?:late)?)\s*%}",
    re.S,
)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def _python_messages() -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        with path.open("rb") as handle:
            for _lineno, _func, message, _comments in extract_python(
                handle, PY_KEYWORDS.keys(), [], {}
            ):
                if isinstance(message, tuple):  # ngettext: the singular is the msgid
                    message = message[0]
                if message:
                    found.add(message)
    return found


def _template_messages() -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found.update(m.group(2) for m in TRANSLATE_TAG.finditer(text))
        for block in BLOCK_TAG.finditer(text):
            body = block.group("body")
            if "trimmed" in block.group("args"):
                body = " ".join(body.split())
            # As makemessages does: a literal % is doubled, then variables become %(name)s.
            found.add(VARIABLE.sub(r"%(\1)s", body.replace("%", "%%")))
    return found


def _catalogue(lang: str):
    path = SOURCE / "locale" / lang / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", LOCALES)
def test_no_message_is_empty_or_fuzzy(lang: str) -> None:
    catalogue = _catalogue(lang)
    bad = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            bad.append(message.id)
    assert bad == [], f"{lang}: empty or fuzzy messages: {bad[:20]}"


@pytest.mark.parametrize("lang", LOCALES)
def test_every_source_message_is_translated(lang: str) -> None:
    catalogue = _catalogue(lang)
    known = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalogue if m.id}
    missing = sorted((_python_messages() | _template_messages()) - known)
    assert missing == [], f"{lang}: messages without a translation: {missing[:20]}"


def test_the_extractor_sees_templates_and_code() -> None:
    # Guards the completeness test itself: it must find messages from both kinds of source.
    assert "Sign in" in _template_messages()
    assert "Analyst" in _python_messages()
