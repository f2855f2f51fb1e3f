"""Import: an edited plan spreadsheet, or a filled reports form, checked row by row and
compared with the data before anything is saved."""

import pandas as pd
import streamlit as st

from coopplan import i18n
from coopplan.editing import auth
from coopplan.exchange import exports, importer, preview, report_import, spreadsheet, workbooks
from coopplan.ui import account, components, page
from coopplan.views import reporting, texts

view = page.setup("import", with_filters=False)
t = view.t

st.title(t("import.title"))
saved, refused = st.session_state.pop("import_outcome", ([], []))
if saved:
    st.toast(t("import.applied", ids=", ".join(saved)), icon=":material/check_circle:", duration="long")
    st.success(t("import.applied", ids=", ".join(saved)))
for refusal in refused:
    reason = t("import.row_reason", row=refusal.row, reason=i18n.problem(view.lang, refusal.kind, refusal.message))
    st.error(t("edit.refused", reason=texts.escape_md(reason)))
st.markdown(t("import.intro"))
st.caption(t("import.preview_only"))
st.download_button(
    t("import.template"),
    data=lambda: spreadsheet.template_xlsx(view.dataset, view.lang),
    file_name=f"pavlodar-omsk-plan_template_{view.lang}.xlsx",
    mime=exports.FORMATS["xlsx"].mime,
    on_click="ignore",
    icon=":material/download:",
)
user = account.current_user()
# No file is read for someone who could not apply it: reading costs the server
# processor time, and a viewer has nothing to gain from a preview.
if not auth.may_edit(user):
    st.info(t("import.sign_in") if user is None else t("account.read_only"))
    st.stop()
upload = st.file_uploader(
    t("import.upload"), type=["xlsx", "csv"], max_upload_size=workbooks.MAX_UPLOAD_BYTES // (1024 * 1024)
)
if upload is None:
    st.stop()
# The preview is kept until applied: applying expects the files as previewed,
# so a change someone saves meanwhile is refused, not overwritten.
previewed = st.session_state.get("import_preview")
if previewed is None or previewed[0] != upload.file_id:
    budget = workbooks.Budget()  # one for the upload, however many ways it is tried
    try:  # a filled reports form, or the plan
        data = upload.getvalue()
        form = report_import.read(data, budget) if upload.name.lower().endswith(".xlsx") else None
        if form is not None:
            found = (form, report_import.preview(form, view.dataset))
        else:
            found = (None, importer.preview(importer.read_rows(data, upload.name, budget), view.dataset))
    except workbooks.UploadError as exc:
        st.error(t("import.error", reason=texts.escape_md(i18n.problem(view.lang, exc.kind, str(exc)))))
        st.stop()
    previewed = st.session_state["import_preview"] = (upload.file_id, *found)
_, form, results = previewed
if form is not None:
    st.info(
        t(
            "import.reports_form",
            side=reporting.side_name(view, form.side),
            quarter=reporting.quarter_label(view, form.quarter),
        )
    )
if not results:
    st.warning(t("import.empty"))
    st.stop()


def reasons_text(result) -> str:
    if form is not None:
        return "; ".join(report_import.say(p, result.row, view.lang, form) for p in result.reasons)
    return "; ".join(
        i18n.advice(view.lang, p.kind, p.message) + (f" ({t('rform.given', value=p.value)})" if p.value else "")
        for p in result.reasons
    )


kinds = (
    ("new", "changed", "unchanged", "nothing", "invalid")
    if form is not None
    else ("new", "changed", "unchanged", "invalid")
)
for column, kind in zip(st.columns(len(kinds), border=True), kinds, strict=True):
    column.metric(t(f"import.kind.{kind}"), i18n.number(sum(r.kind == kind for r in results), view.lang))
# per row what the file says beside what is there now, so it can be checked before applying
if form is not None:
    read = [preview.report(r.report, view.lang, view.dataset.action(r.action_id)) for r in results]
    now = [preview.report(r.current, view.lang, view.dataset.action(r.action_id)) for r in results]
else:
    read = [preview.action(r.action, view.lang) for r in results]
    now = [preview.action(view.dataset.action(r.action_id), view.lang) for r in results]
st.dataframe(
    pd.DataFrame(
        {
            t("import.col.row"): [r.row for r in results],
            t("col.id"): [r.action_id for r in results],
            t("import.col.kind"): [t(f"import.kind.{r.kind}") for r in results],
            t("import.col.read"): read,
            t("import.col.now"): now,
            t("import.col.reasons"): [reasons_text(r) for r in results],
        }
    ),
    hide_index=True,
    column_config={
        t("import.col.row"): st.column_config.NumberColumn(width=60),
        t("col.id"): st.column_config.TextColumn(width=80),
        t("import.col.kind"): st.column_config.TextColumn(width=110),
        t("import.col.read"): st.column_config.TextColumn(width=300),
        t("import.col.now"): st.column_config.TextColumn(width=300),
        t("import.col.reasons"): st.column_config.TextColumn(width=400),
    },
)
invalid = [r for r in results if r.kind == "invalid"]
if invalid:  # the table cuts long reasons short; here they are whole (the first 50 rows)
    reasons = [
        texts.escape_md(t("import.row_reason", row=r.row, reason=f"{r.action_id} · {reasons_text(r)}"))
        for r in invalid[:50]
    ]
    if len(invalid) > 50:
        reasons.append(t("import.more", count=len(invalid) - 50))
    st.warning("\n".join([t("import.invalid_note"), "", *(f"- {line}" for line in reasons)]))
for result in (r for r in results if r.kind == "changed"):
    with st.expander(t("import.changes", id=result.action_id, row=result.row)):
        components.show_changes(view, result.changes)
if invalid:
    with st.expander(t("import.rules")):  # the exact rules, in English, for whoever maintains the data
        st.text("\n".join(f"{r.row}: {p.message}" for r in invalid for p in r.reasons))

applicable = [r for r in results if r.kind in ("new", "changed")]
if applicable:
    with st.form("apply_import"):
        chosen = st.multiselect(
            t("import.apply_rows"),
            [r.row for r in applicable],
            default=[r.row for r in applicable],
            placeholder=t("import.rows_placeholder"),
            select_all=False,
            format_func=lambda n: next(
                f"{n} · {r.action_id} · {t(f'import.kind.{r.kind}')}" for r in applicable if r.row == n
            ),
        )
        if st.form_submit_button(t("import.apply"), type="primary"):
            apply = report_import.apply if form is not None else importer.apply
            saved, refused = apply(results, chosen, view.dataset, user)
            st.session_state["import_outcome"] = (saved, refused)
            del st.session_state["import_preview"]  # preview again against the saved data
            st.rerun()
