"""Texts as pages show them: data text in the view's language (the fallback
marked), problems with advice, ignored link values, and user text made inert
for markdown."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from functools import partial
from pathlib import Path

from .. import i18n
from ..data import files, model, periods, validate
from ..data.bodies import Registry
from . import filters
from .view import View

# ``&`` would start a character reference (``&lt;`` shows as «<»), a line of ``=``
# would turn the line above it into a heading.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:&=])")
# Streamlit's markdown (remark-gfm) makes bare addresses into links (http://…, www.…,
# name@host) in the text it has already unescaped, so escapes cannot stop it. Bare
# addresses in user text stay plain text: a WORD JOINER (U+2060: invisible, no break)
# inside «://» and «www.» and after «@» leaves nothing for it to find. The address reads as it
# was written; a reader who wants it copies it (the joiner may come along).
_AUTOLINK = re.compile(r"(://|\bwww(?=\.)|@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


_WEB_ADDRESS = re.compile(r"https?://[^\s<>()\[\]\\]+")


def escape_md(text: str) -> str:
    """User text made inert for st.markdown: no links (bare addresses included),
    emphasis, HTML, LaTeX, character references or headings."""
    return _MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(lambda m: m.group(0)[0] + WORD_JOINER + m.group(0)[1:], text))


def evidence_md(item: str) -> str:
    """An evidence line for st.markdown: a web address as a link that copies as typed
    (no joiner inside it), anything else inert."""
    address = item.strip()
    if _WEB_ADDRESS.fullmatch(address):
        return f"[{escape_md(address).replace(WORD_JOINER, '')}](<{address}>)"
    return escape_md(item)


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


def describe_filters(lang: str, chosen: filters.Filters, memo: model.Memorandum | None, bodies: Registry) -> str:
    """The filters that chose a set of actions, as a person reads them at the top of
    an export: «Направление: Туризм, Спорт; Год: 2027», or that none narrow the plan."""
    t = partial(i18n.t, lang)
    naming = filters.Naming(lang, model.area_names(memo, lang), bodies)
    parts = []
    for declared in filters.FILTERS:
        value = getattr(chosen, declared.field)
        if declared.described and value:
            values = value if isinstance(value, tuple) else (value,)
            parts.append((t(f"filters.{declared.param}"), [declared.name(naming, v) for v in values]))
    shown = "; ".join(f"{label}: {', '.join(values)}" for label, values in parts if values)
    scope = t("scope.filtered", filters=shown) if shown else t("scope.all")
    asof = chosen.asof or dt.date.today()
    return f"{scope} {t('scope.asof', date=i18n.date(asof, lang))}" if chosen.due else scope


# The regions' clocks, fixed offsets: Kazakhstan keeps UTC+5 all year since March
# 2024, Omsk UTC+6; neither changes for summer.
REGION_UTC_OFFSETS = {"pavlodar": 5, "omsk": 6}


def both_local_times(view: View, at: dt.datetime) -> str:
    """A moment as each side's clock shows it: «13 марта 2026 г., 14:05 (Павлодар,
    UTC+5) · 15:05 (Омск, UTC+6)». Both, because one history is read on both sides
    of the border and a time is passed on between them; the date of the first, and
    of the second only when it is another day."""
    shown = []
    first_day = None
    for region, hours in REGION_UTC_OFFSETS.items():
        local = at.astimezone(dt.timezone(dt.timedelta(hours=hours)))
        time = local.strftime("%H:%M")
        if first_day is None or local.date() != first_day:
            time = f"{i18n.date(local.date(), view.lang)}, {time}"
        first_day = first_day or local.date()
        shown.append(view.t(f"history.time.{region}", time=time))
    return " · ".join(shown)


def history_subject(view: View, entry) -> tuple[str, str]:
    """What a change of the history (``history.Entry``) is about, as its heading names
    it: (the action's id, its report, an attached document, a quarter's close, the plan
    or an approved version in words, not by their files; the action's title)."""
    if entry.path and entry.path.startswith("evidence/"):
        return _evidence_subject(view, entry), history_title(view, entry.action, None)
    if entry.path and entry.path.startswith("quarters/"):
        return _quarter_subject(view, entry), ""
    if entry.path:
        if entry.path.startswith("baselines/"):
            version = entry.path.removeprefix("baselines/").removesuffix(".yaml").lstrip("0")
            return view.t("history.baseline", version=version or entry.path), ""
        return view.t("history.plan"), ""
    title = history_title(view, entry.action, (entry.after or entry.before or {}).get("title"))
    if entry.report:
        return _report_subject(view, entry.action, entry.report), title
    return entry.action, title


def history_op(view: View, entry) -> str:
    """What was done, agreeing with what it was done to (a report is masculine in
    Russian, a version feminine): «отчёт … изменён», «Утверждённая редакция № 2 создана»."""
    kind = _history_kind(entry)
    key = f"history.op_{kind}.{_quarter_change(entry)[0] if kind == 'quarter' else entry.op}"
    return view.t(key) if key in i18n.catalog(view.lang) else view.t(f"history.op.{entry.op}")


def _history_kind(entry) -> str:
    if not entry.path:
        return "report" if entry.report else "action"
    return next((kind for kind, folder in _HISTORY_FOLDERS.items() if entry.path.startswith(folder)), "plan")


_HISTORY_FOLDERS = {"baseline": "baselines/", "evidence": "evidence/", "quarter": "quarters/"}


def _evidence_subject(view: View, entry) -> str:
    """«документ «Письмо № 17» к отчёту по мероприятию po-011 (…)», or «… к мероприятию po-011»."""
    record = entry.after or entry.before or {}
    name = record_title(view, record) or str(record.get("name") or entry.path)
    of = str(record.get("of") or "")
    if "/" not in of:
        return view.t("history.evidence_action", name=name, id=entry.action)
    return _report_subject(view, entry.action, of, "history.evidence_report", name=name)


def _quarter_change(entry) -> tuple[str, dict]:
    """What a change of a quarter's closing file did, and to what: («close», its side),
    («agreed» or «noted», the action's settlement), («opened» or «used», the exception).
    A line written by hand may hold anything: what is not of the file's shape counts as empty."""
    before, after = entry.before or {}, entry.after or {}
    if entry.op == "close":
        sides = [s for s in _mapping(after.get("sides")) if s not in _mapping(before.get("sides"))]
        return "close", {"side": sides[0] if sides else ""}
    if entry.op == "settle":
        old, new = _mapping(before.get("settlements")), _mapping(after.get("settlements"))
        action = next((a for a in new if new[a] != old.get(a)), "")
        return str(_mapping(new.get(action)).get("how") or "agreed"), {"action": action}
    if entry.op == "reopen":
        old_list, new_list = _listing(before.get("exceptions")), _listing(after.get("exceptions"))
        opened = len(new_list) > len(old_list)
        changed = new_list[-1] if opened else next((e for e, o in zip(new_list, old_list, strict=False) if e != o), {})
        return ("opened" if opened else "used"), _mapping(changed)
    return entry.op, {}


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _listing(value: object) -> list:
    return value if isinstance(value, list) else []


def _quarter_subject(view: View, entry) -> str:
    """«III квартал 2026 г. (Павлодарская область)» closed; «расхождение по мероприятию
    po-014 (III квартал 2026 г.)» settled; «исключение по мероприятию po-018 (Омская
    область, III квартал 2026 г.)» opened or used."""
    quarter = str((entry.after or entry.before or {}).get("quarter") or entry.path)
    try:
        label = periods.parse(quarter).label(view.lang)
    except ValueError:
        label = quarter
    done, about = _quarter_change(entry)
    side = about.get("side")
    region = view.t(f"lead.{side}") if side in ("pavlodar", "omsk") else ""
    if done == "close":
        return view.t("history.quarter_side", quarter=label, side=region) if region else label
    if done in ("agreed", "noted"):
        return view.t("history.settlement", id=about.get("action", ""), quarter=label)
    if done in ("opened", "used"):
        return view.t("history.exception", id=about.get("action", ""), side=region, quarter=label)
    return label


def _report_subject(view: View, action: str, key: str, template: str = "history.report", **fields) -> str:
    """«отчёт по мероприятию po-011 (Омская область, III квартал 2026 г.)» from the report's
    key ``2026-Q3/po-011-omsk``; the key itself when a hand-written line garbled it."""
    period, _, rest = key.partition("/")
    side = rest.removeprefix(f"{action}-")
    try:
        quarter = periods.parse(period).label(view.lang)
    except ValueError:
        return key
    if side not in ("pavlodar", "omsk"):
        return key
    return view.t(template, id=action, side=view.t(f"lead.{side}"), quarter=quarter, **fields)


def history_title(view: View, action_id: str, title: object) -> str:
    """An action's title as a history entry holds it (``title``, of any shape), else as
    the plan now has it."""
    action = view.dataset.action(action_id)
    return record_title(view, {"title": title}) or (data_text(view, action.title) if action else "")


def record_title(view: View, record: dict | None) -> str:
    """The title of an action record as history keeps it (any shape: lines of the
    history may have been written by hand), in the view's language when it can."""
    title = (record or {}).get("title")
    if not isinstance(title, dict):
        return ""
    for lang in (view.lang, *model.LANGS):
        if isinstance(title.get(lang), str) and title[lang].strip():
            return title[lang].strip()
    return ""
