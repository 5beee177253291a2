"""PDF rendering (WeasyPrint): a template, its context, a language -> the PDF's bytes.

Templates extend `documents/pdf_base.html`, which prints the marking at the top and bottom of
every page through CSS `@page` margin boxes. WeasyPrint needs Pango on the machine
(docs/assessments.md); it is imported only when a PDF is rendered.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.template.loader import select_template
from django.utils import translation

from vigie.core.choices import Classification

# The markings as printed, in the document's language (Law of 11 December 1998 as amended).
MARKINGS = {
    "fr": {
        Classification.UNCLASSIFIED: "NON CLASSIFIÉ",
        Classification.RESTREINT: "RESTREINT",
        Classification.CONFIDENTIEL: "CONFIDENTIEL",
        Classification.SECRET: "SECRET",
        Classification.TRES_SECRET: "TRÈS SECRET",
    },
    "nl": {
        Classification.UNCLASSIFIED: "NIET GERUBRICEERD",
        Classification.RESTREINT: "BEPERKT",
        Classification.CONFIDENTIEL: "VERTROUWELIJK",
        Classification.SECRET: "GEHEIM",
        Classification.TRES_SECRET: "ZEER GEHEIM",
    },
}
RESTRICTED_DIFFUSION = {"fr": "Diffusion restreinte", "nl": "Beperkte verspreiding"}
LANGUAGES = ("fr", "nl")


def marking_text(classification: int, restricted_diffusion: bool, language: str) -> str:
    """The marking line printed on every page, e.g. `CONFIDENTIEL — Diffusion restreinte`."""
    lang = language if language in LANGUAGES else "fr"
    text = MARKINGS[lang][Classification(classification)]
    if restricted_diffusion:
        text += " — " + RESTRICTED_DIFFUSION[lang]
    return text


def render_html(template: str, context: dict[str, Any], language: str) -> str:
    """`template` may hold `{language}`: `x_{language}.html` falls back to `x.html`."""
    names = [template.format(language=language), template.replace("_{language}", "")]
    with translation.override(language):
        return select_template(names).render(context)


def render_pdf(template: str, context: dict[str, Any], language: str) -> bytes:
    """Render `template` with `context` in `language` to PDF bytes."""
    from weasyprint import HTML  # Pango is needed only here

    html = render_html(template, context, language)
    return HTML(string=html, base_url=None).write_pdf()


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
