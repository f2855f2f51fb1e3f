"""Texts as pages show them: data text in the view's language (the fallback
marked), problems with advice, ignored link values, and user text made inert
for markdown."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .. import i18n
from ..data import files, model, validate
from . import filters
from .view import View

# ``&`` would start a character reference (``&lt;`` shows as «<»), a line of ``=``
# would turn the line above it into a heading.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:&=])")


def escape_md(text: str) -> str:
    """User text made inert for st.markdown: no links, emphasis, HTML, LaTeX,
    character references or headings."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def ignored_values(invalid: list[filters.Invalid], most: int = 10, width: int = 40, markdown: bool = True) -> str:
    """The link values a notice says were ignored, inert (for markdown unless
    ``markdown`` is false) and short: a crafted link can carry thousands of values,
    huge ones, or control characters."""
    inert = escape_md if markdown else str
    shown, invalid = [], list(dict.fromkeys(invalid))  # a value repeated is named once
    for item in invalid[:most]:
        value = "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in item.value)
        value = value if len(value) <= width else value[: width - 1] + "…"
        shown.append(f"{inert(item.param)}={inert(value)}")  # the "=" is ours, not the link's
    if len(invalid) > most:
        shown.append(f"… (+{len(invalid) - most})")
    return ", ".join(shown)


def highlight(text: str, phrases: list[str]) -> str:
    """Markdown of ``text`` (escaped) with each phrase on a coloured background."""
    shown = escape_md(text)
    for phrase in sorted(phrases, key=len, reverse=True):
        shown = shown.replace(escape_md(phrase), f":orange-background[**{escape_md(phrase)}**]")
    return shown.replace("\n", "\n\n")


def data_text(view: View, value: model.Text | None) -> str:
    """Data text in the view's language, marked when another language stands in for it."""
    shown, used = i18n.text(value, view.lang)
    if used:
        return f"{shown} ({view.t('fallback', language=view.t(f'lang.{used}'))})"
    return shown


def problem_line(view: View, problem: validate.Problem) -> str:
    """``file:line:`` then how to fix it in the view's language and the exact rule;
    the file named from the data folder on (``data/actions/…``), as editors know it."""
    folder = Path(files.shown_path(view.dataset.data_dir))
    file = Path(problem.file)
    if file.is_relative_to(folder):
        file = folder.name / file.relative_to(folder)
    return str(replace(problem, file=str(file), message=i18n.problem(view.lang, problem.kind, problem.message)))
