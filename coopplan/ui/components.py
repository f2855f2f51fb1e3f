"""Pieces that several pages draw: problem lines, tables of actions, short lists,
clickable charts, one action in full, downloads and a change field by field."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from babel.numbers import format_currency

from .. import config, i18n
from ..data import model, standing, validate
from ..data.model import LANGS, REGIONS
from ..editing import auth, history, sessions
from ..exchange import exports
from ..reporting import duties
from ..views import alternatives, charts, filters, reporting, tables, texts
from ..views.view import View
from . import evidence
from .account import current_user
from .navigation import open_in_plan, page_link, page_url
from .sidebar import show_address, site_url

MAX_PROBLEM_LINES = 200  # a page is read, not searched; the CLI lists every problem
# Rows taller than 64 px let Streamlit's table wrap text: whole titles on up to four lines.
ROW_HEIGHT = 86
MAX_TABLE_HEIGHT = 640
MOST_LISTED = 20  # rows of the overview's lists of overdue and upcoming actions


def heading(view: View, title_key: str) -> None:
    """The page's title, and how much of the plan the filters leave."""
    st.title(view.t(title_key))
    st.markdown(f"**{view.matching()}**")


def show_problem_lines(view: View, problems: list[validate.Problem]) -> None:
    """``file:line:`` problems, how to fix each in the page's language, as inert text."""
    lines = [texts.problem_line(view, p) for p in problems[:MAX_PROBLEM_LINES]]
    if len(problems) > MAX_PROBLEM_LINES:
        lines.append(view.t("problems.more", count=len(problems) - MAX_PROBLEM_LINES))
    st.code("\n".join(lines), language=None, wrap_lines=True)


def status_column(view: View, width: int) -> st.column_config.Column:
    """Statuses as labels in their colours (white text on each at 4.5:1 or more)."""
    labels, colours = tables.status_colours(view)
    return st.column_config.MultiselectColumn(options=labels, color=colours, width=width)


def table_config(view: View) -> dict:
    # Widths in pixels so that id, the whole title (wrapped), lead, status and period
    # fit the main column at 1280 px; the rest scrolls.
    return {
        view.t("col.id"): st.column_config.TextColumn(width=64, pinned=True),
        view.t("col.title"): st.column_config.TextColumn(width=300),
        view.t("col.lead"): st.column_config.TextColumn(width=115),
        view.t("col.status"): status_column(view, 150),
        view.t("col.period"): st.column_config.TextColumn(width=150),
        view.t("col.progress"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%", width=90),
        view.t("col.bodies_pavlodar"): st.column_config.TextColumn(width=300),
        view.t("col.bodies_omsk"): st.column_config.TextColumn(width=300),
    }


def actions_table(
    view: View, styled, ids: list[str], key: str, on_pick, column_config: dict, shown: str | None = None
) -> None:
    """A table of actions in which clicking a row (any cell of it, or its checkbox)
    picks that action: ``on_pick(action_id)`` runs before the next run. ``shown`` is
    the action picked already (its row is kept selected): a click picks another."""

    def picked() -> None:
        selection = st.session_state[key].selection
        rows = [*selection.rows, *(cell[0] for cell in selection.cells)]
        chosen = [ids[row] for row in rows if ids[row] != shown]
        if chosen:
            on_pick(chosen[-1])

    st.dataframe(
        styled,
        hide_index=True,
        column_config=column_config,
        on_select=picked,
        selection_mode=["single-row", "single-cell"],
        key=key,
        row_height=ROW_HEIGHT,
        height=min(MAX_TABLE_HEIGHT, 38 + ROW_HEIGHT * len(ids)),  # tall rows: more of them in view than «auto»
        placeholder="—",  # not Streamlit's «None»
    )


def compact_list(view: View, frame: pd.DataFrame, date_column: str, due: str) -> None:
    """A short list of actions (overdue, starting soon) with the date that puts each
    in it, lead and bodies; a click opens the action in the plan, narrowed to the list."""
    clicked = st.session_state.pop("_open_in_plan", None)
    if clicked is not None:  # switching pages from the table's callback is not allowed: here
        open_in_plan(view, clicked[0], due=(clicked[1],))
    if frame.empty:
        st.caption(view.t("overview.none"))
        return
    t = view.t
    if len(frame) > MOST_LISTED:  # a short list: the plan page lists them all (the link below)
        st.caption(t("overview.list_more", shown=MOST_LISTED, total=i18n.number(len(frame), view.lang)))
        frame = frame.head(MOST_LISTED)
    ids = frame["id"].tolist()
    actions_table(
        view,
        tables.short_table(view, frame, date_column),
        ids,
        f"list_{due}_{hash(tuple(ids))}",  # new rows, new selection (streamlit#17026)
        lambda action_id: st.session_state.update(_open_in_plan=(action_id, due)),
        {  # narrow fixed columns leave the rest of the width to the title and the bodies
            t("col.id"): st.column_config.TextColumn(width=64),
            t("col.end") if date_column == "end" else t("col.start"): st.column_config.DateColumn(
                format="DD.MM.YYYY", width=90
            ),
            t("col.status"): status_column(view, 135),
            t("col.title"): st.column_config.TextColumn(width=270),
            t("col.lead"): st.column_config.TextColumn(width=110),
            t("col.bodies"): st.column_config.TextColumn(width=260),
        },
    )
    page_link("plan", t(f"overview.open_{due}"), view.query(due=(due,)), ":material/table_rows:")


def clicked_points(fig, key: str, alternative: str) -> list[dict]:
    """Draw a figure that reacts to clicks, and after it what it shows as text
    (``alternative``); the clicked points (with customdata)."""
    event = st.plotly_chart(
        fig, key=key, on_select="rerun", selection_mode=("points",), config={"displaylogo": False}, alt=alternative
    )
    chart_text(alternative)
    return list(event.selection.points) if event and event.selection else []


def chart_text(alternative: str) -> None:
    """The text alternative of the chart above: read by a screen reader after it (the
    chart's own accessible name holds it too), and by anyone instead of hovering."""
    st.caption(texts.escape_md(alternative))


def action_detail(view: View, action: model.Action | None) -> None:
    """Everything one action holds, in the view's language."""
    if action is None:
        return
    t, lang = view.t, view.lang
    st.markdown(f"#### {texts.escape_md(texts.data_text(view, action.title))}")
    # The action's own link, for anyone allowed to see the plan; without ``lang``,
    # so that each reader gets it in their own language.
    st.caption(t("detail.link"))
    show_address(page_url("plan", {"id": action.id}))
    facts = st.columns(4)
    facts[0].markdown(f"**{t('col.area')}**  \n{texts.escape_md(view.area_names[action.area])}")
    facts[1].markdown(f"**{t('col.period')}**  \n{texts.escape_md(action.period_label(lang))}")
    facts[2].markdown(f"**{t('col.lead')}**  \n{t(f'lead.{action.lead}')}")
    facts[3].markdown(f"**{t('col.status')}**  \n{tables.status_markdown(view, action.status)}")
    progress = action.shown_progress / 100
    st.progress(progress, text=f"{t('col.progress')}: {i18n.percent(progress, lang)}")
    reports = view.dataset.reports_of(action.id)
    figures = standing.standing(action, reports)
    if figures.sources:
        st.caption(t("detail.from_reports", sources=texts.escape_md(reporting.sources_text(view, figures.sources))))
    disagreement = standing.disagreement(action, reports)
    if disagreement is not None:
        st.warning(reporting.disagreement_text(view, disagreement, "detail.disagree"), icon=":material/compare_arrows:")
    if action.description is not None:
        st.markdown(f"**{t('detail.description')}**  \n{texts.escape_md(texts.data_text(view, action.description))}")
    st.markdown(f"**{t('col.outcome')}**  \n{texts.escape_md(texts.data_text(view, action.outcome))}")
    sides = st.columns(2)
    for column, side in zip(sides, REGIONS, strict=True):
        column.markdown(f"**{t(f'col.bodies_{side}')}**")
        bodies = getattr(action.responsible, side)
        column.markdown("\n".join(f"- {texts.escape_md(view.body_name(b))}" for b in bodies) if bodies else "—")
    if action.location is not None:
        st.markdown(f"**{t('detail.location')}**: {texts.escape_md(texts.data_text(view, action.location))}")
    if action.budget is not None:
        amount = format_currency(action.budget.amount, action.budget.currency, locale=lang)
        source = f" — {texts.escape_md(action.budget.source)}" if action.budget.source else ""
        st.markdown(f"**{t('detail.budget')}**: {texts.escape_md(amount)}{source}")
    if action.indicators:
        indicators(view, action, reports)
    if action.tags:
        # Code spans show backslashes as typed, so tags go in unescaped: their
        # pattern (a-z, 0-9, - and _) holds no backtick to leave the span with.
        st.markdown(f"**{t('detail.tags')}**: " + ", ".join(f"`{tag}`" for tag in action.tags))
    user = current_user()
    if action.updated is not None:
        when = i18n.date(action.updated.date(), lang)
        if auth.sees_names(user):
            st.caption(t("detail.updated", when=when, who=texts.escape_md(action.updated_by or "—")))
        else:
            st.caption(t("detail.updated_on", when=when))
    if auth.can_edit(user, action.lead):
        page_link("edit", t("detail.edit"), {"lang": lang, "id": action.id}, ":material/edit:")
    evidence.for_action(view, action, user)  # its founding documents
    action_reports(view, action, reports)


def indicators(view: View, action: model.Action, reports: list[model.Report]) -> None:
    """The action's indicators as a table, and each one with targets or reported values
    as a small chart of target against actual."""
    t = view.t
    st.markdown(f"**{t('detail.indicators')}**")
    st.dataframe(
        pd.DataFrame(
            {
                t("detail.indicator"): [texts.data_text(view, i.name) for i in action.indicators],
                t("detail.unit"): [texts.data_text(view, i.unit) for i in action.indicators],
                t("detail.target"): [i.target for i in action.indicators],
                t("detail.actual"): [i.actual for i in action.indicators],
            }
        ),
        hide_index=True,
        placeholder="—",  # a target or an actual not set yet, not Streamlit's «None»
    )
    charted = [i for i in action.indicators if i.targets or i.baseline or any(i.id in r.indicators for r in reports)]
    for column, indicator in zip(st.columns(min(len(charted), 2) or 1), charted, strict=False):
        with column:
            st.caption(t("detail.indicator_chart", name=texts.escape_md(texts.data_text(view, indicator.name))))
            figure = charts.indicator_progress(indicator, action, reports, view.lang)
            alternative = alternatives.indicator(view, indicator, action, reports)
            st.plotly_chart(
                figure, key=f"indicator_{action.id}_{indicator.id}", config={"displaylogo": False}, alt=alternative
            )
            chart_text(alternative)


def action_reports(view: View, action: model.Action, reports: list[model.Report]) -> None:
    """The action's progress reports, newest first; both sides side by side for a joint action."""
    t = view.t
    st.markdown(f"**{t('detail.reports')}**")
    if not reports:
        st.caption(t("detail.reports_none"))
        return
    for column, side in zip(st.columns(len(action.reporting_sides)), action.reporting_sides, strict=True):
        with column:
            for report in sorted((r for r in reports if r.side == side), key=lambda r: r.period, reverse=True):
                with st.container(border=True):
                    st.markdown(f"**{texts.escape_md(reporting.report_heading(view, report))}**")
                    st.markdown(reporting.figures_markdown(view, report))
                    # a line break typed in the report is one on the page too
                    st.markdown(texts.escape_md(reporting.done_text(view, report)).replace("\n", "  \n"))
                    if report.evidence:
                        lines = "\n".join(f"- {texts.evidence_md(item)}" for item in report.evidence)
                        st.markdown(f"*{t('detail.evidence')}*\n\n{lines}")
                    evidence.listing(view, report.key)  # the files attached: photos as thumbnails


def _document_language(view: View, label: str, key: str) -> str:
    """The language of a Word document to download: one of the three, or Kazakh and Russian side by side."""
    return st.radio(
        view.t(label),
        [*LANGS, i18n.BILINGUAL],
        index=LANGS.index(view.lang),
        format_func=lambda v: view.t("export.kk_ru") if v == i18n.BILINGUAL else i18n.LANGUAGE_NAMES[v],
        horizontal=True,
        key=key,
    )


def on_demand(label: str, key: str, icon: str, where=st):
    """A button opening a panel whose content is made only while it is open (opening it
    reruns the page): closed, it costs the page its button alone, where the downloads'
    and the calendar's boxes took a quarter of a second to draw. ``None`` while closed."""
    box = where.popover(label, key=key, icon=icon, on_change="rerun")
    return box if box.open else None


def downloads(view: View, actions: list[model.Action], where=st) -> None:
    """Download buttons for the filtered actions; files are made only when clicked."""
    t = view.t
    box = on_demand(t("export.header"), "export_open", ":material/download:", where)
    if box is None:
        return
    with box:
        st.caption(t("export.scope", count=len(actions)))
        doc_lang = _document_language(view, "export.docx_lang", "export_doc_lang")
        buttons = st.container(horizontal=True)  # each button as wide as its label
        shown = exports.for_reader(actions, current_user())
        for fmt, label, lang in (
            ("docx", "export.docx", doc_lang),
            ("xlsx", "export.xlsx", view.lang),
            ("csv", "export.csv", view.lang),
            ("ics", "export.ics", view.lang),
        ):
            buttons.download_button(
                t(label),
                data=lambda fmt=fmt, lang=lang: exports.export(view.dataset, shown, fmt, lang, view.filters),
                file_name=exports.file_name(fmt, lang, view.filters),
                mime=exports.FORMATS[fmt].mime,
                on_click="ignore",
                key=f"download_{fmt}",
                icon=":material/download:",
            )


def calendar_subscription(view: View, where=st) -> None:
    """«Subscribe»: the calendar of the view's filters at an address that calendar
    programs keep up to date; in a private deployment it carries the user's calendar token."""
    t = view.t
    box = on_demand(t("calendar.header"), "calendar_open", ":material/event:", where)
    if box is None:
        return
    query = filters.to_query(view.filters, view.lang)
    user = current_user()
    private = config.private() and user is not None
    if private:
        query["token"] = sessions.store().feed_token(user)
    url = f"{site_url()}/calendar.ics?{urlencode(query)}"
    with box:
        st.caption(t("calendar.help"))
        show_address(url)
        if url.startswith("http"):  # webcal:// opens the calendar program at this address
            st.link_button(t("calendar.subscribe"), "webcal://" + url.split("://", 1)[1], icon=":material/event:")
        if private:
            st.caption(t("calendar.private"))
            st.button(t("calendar.renew"), on_click=lambda: sessions.store().feed_token(user, renew=True))


def show_changes(view: View, changes: list[history.Change]) -> None:
    """A field-by-field difference, whole texts wrapped (a change is read, not scanned)."""
    if not changes:  # st.table would say «empty», in English
        st.caption(view.t("history.no_changes"))
        return
    # st.table reads every cell as markdown: the texts are the users', so made inert
    table = tables.changes_frame(view, changes)
    st.table(table.map(texts.escape_md).rename(index=texts.escape_md))


def completeness(view: View, owed: list, columns: list) -> None:
    """Each side's reports owed (``owed``), as a figure in each of ``columns``: how many
    its coordinator accepted, and under it how many are in and how many came on time
    (DHIS2's reporting rate and its timeliness, counted apart)."""
    t, lang = view.t, view.lang
    for column, (side, figures) in zip(columns, duties.completeness(owed).items(), strict=False):
        column.metric(
            t("reporting.side_label", side=reporting.side_name(view, side)),  # the figure short: a third of a row
            t(
                "reporting.side_accepted",
                accepted=i18n.number(figures.accepted, lang),
                owed=i18n.number(figures.owed, lang),
            ),
            t(
                "reporting.side_in",
                reported=i18n.number(figures.reported, lang),
                share=i18n.percent(figures.share, lang) if figures.share is not None else "—",  # none owed: no share
                on_time=i18n.number(figures.on_time, lang),
            ),
            delta_color="off",
            delta_arrow="off",
            help=t("reporting.side_help"),
        )


def change_counts(view: View, counts: dict[str, int]) -> None:
    """How many actions changed in each way since approval, a figure each, three to a
    row so that the longest labels («Кейінірек мерзімге ауыстырылды», «Перенос на более
    поздний срок») are read whole."""
    columns = [column for row in range(0, len(counts), 3) for column in st.columns(3)]
    for column, (kind, count) in zip(columns, counts.items(), strict=False):  # the last row may be short
        column.container(border=True).metric(view.t(f"changes.metric.{kind}"), i18n.number(count, view.lang))


def reports_owed(view: View, owed: list[duties.Duty]) -> None:
    """The table of reports owed, one row a report."""
    st.dataframe(
        reporting.duties_table(view, owed),
        hide_index=True,
        placeholder="—",
        column_config=_duties_config(view),
        row_height=_THREE_LINES,  # a title wraps in its column instead of being cut
    )


_THREE_LINES = 70  # pixels: three lines of a table cell's text


def _duties_config(view: View) -> dict:
    """Column widths of the table of reports owed, so titles keep the room."""
    t = view.t
    return {
        # at 1366 px the page's main column is about 900 px: status and progress stay in it,
        # and the title, the widest, wraps in three lines (``_THREE_LINES``) instead of being cut
        t("col.id"): st.column_config.TextColumn(width=64),
        t("col.title"): st.column_config.TextColumn(width=300),
        t("reporting.col.side"): st.column_config.TextColumn(width=105),
        t("reporting.col.state"): st.column_config.TextColumn(width=120),
        t("reporting.col.date"): st.column_config.DateColumn(format="DD.MM.YYYY", width=88),
        t("reporting.col.status"): st.column_config.TextColumn(width=100),
        t("reporting.col.progress"): st.column_config.ProgressColumn(
            min_value=0, max_value=100, format="%d%%", width=100
        ),
    }


def report_downloads(view: View, quarter: str, user: auth.User | None) -> None:
    """The quarter's implementation report (Word, Excel) and a side's reports form; made when clicked."""
    t = view.t
    box = on_demand(t("reporting.downloads"), "report_downloads_open", ":material/download:")
    if box is None:
        return
    with box:
        doc_lang = _document_language(view, "reporting.download.lang", "report_doc_lang")
        buttons = st.container(horizontal=True)
        actions, asof = view.filtered_actions, view.asof
        for fmt in ("docx", "xlsx"):
            buttons.download_button(
                t(f"reporting.download.{fmt}"),
                data=lambda fmt=fmt: exports.implementation(
                    view.dataset, actions, quarter, view.filters, asof, fmt, doc_lang
                ),
                file_name=exports.report_file_name("report", quarter, fmt, doc_lang),
                mime=exports.FORMATS[fmt].mime,
                on_click="ignore",
                key=f"download_report_{fmt}",
                icon=":material/download:",
            )
        sides = [s for s in REGIONS if user is None or auth.can_report(user, s)] or list(REGIONS)
        label = reporting.quarter_label(view, quarter)
        for side in sides:
            buttons.download_button(
                t("reporting.download.workbook", side=reporting.side_name(view, side), quarter=label),
                data=lambda side=side: exports.reports_form(view.dataset, actions, side, quarter, asof, view.lang),
                file_name=exports.report_file_name("reports-form", quarter, "xlsx", view.lang, side),
                mime=exports.FORMATS["xlsx"].mime,
                on_click="ignore",
                key=f"download_form_{side}",
                icon=":material/table_view:",
            )
