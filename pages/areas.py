"""Areas: the memorandum's ten areas, each with its source words, actions and bodies."""

import streamlit as st

from coopplan import i18n
from coopplan.data import loader
from coopplan.ui import components, page
from coopplan.ui.navigation import page_link
from coopplan.views import summaries, tables, texts

view = page.setup("areas")
t, lang, memo = view.t, view.lang, view.memorandum
actions = view.filtered

components.heading(view, "areas.title")
st.markdown(t("areas.intro"))
progress = summaries.progress_by_area(actions)
for number, area in enumerate(memo.areas if memo else [], start=1):
    mine = actions[actions["area"] == area.id]
    with st.expander(
        f"{number}. {texts.escape_md(area.name(lang))} — {t('count.actions', count=len(mine))}", expanded=number == 1
    ):
        st.markdown(f"**{t('areas.source')}:** «{texts.escape_md(area.source.quote)}»")
        if mine.empty:
            continue
        counts = st.columns(2)
        status = summaries.status_counts(mine)
        counts[0].markdown(
            f"**{t('areas.by_status')}**  \n"
            + "  \n".join(f"{tables.status_markdown(view, s)}: {i18n.number(n, lang)}" for s, n in status.items() if n)
        )
        years = summaries.area_by_year(mine, view.years).loc[area.id]
        counts[1].markdown(
            f"**{t('areas.by_year')}**  \n" + "  \n".join(f"{y}: {i18n.number(n, lang)}" for y, n in years.items())
        )
        st.progress(
            progress[area.id] / 100, text=t("areas.progress", value=i18n.percent(progress[area.id] / 100, lang))
        )
        st.dataframe(
            tables.action_table(view, mine),
            hide_index=True,
            column_config=components.table_config(view),
            row_height=components.ROW_HEIGHT,
            placeholder="—",
        )
        page_link("plan", t("areas.open_plan"), view.query(areas=(area.id,)), ":material/table_rows:")
        sides = st.columns(2)
        for column, side in zip(sides, ("pavlodar", "omsk"), strict=True):
            column.markdown(f"**{t('areas.bodies')} — {t(f'lead.{side}')}**")
            column.markdown(
                "\n".join(
                    f"- {texts.escape_md(view.body_name(key))} ({n})"
                    for key, n in summaries.bodies(mine, side, view.body_name)
                )
                or "—"
            )

if memo:
    st.header(t("areas.document"))
    source = memo.sources[0]
    text = loader.source_text(view.dataset.data_dir, source.file)
    if text is None:
        st.warning(t("areas.document_missing", file=texts.escape_md(source.file)))
    else:
        publisher = texts.escape_md(source.publisher)
        st.caption(t("areas.document_caption", publisher=publisher, date=i18n.date(source.date, lang)))
        st.markdown(texts.highlight(text, [a.source.quote for a in memo.areas]))
