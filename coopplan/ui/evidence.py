"""Evidence on the pages: the files attached to a report (or an action) listed with
thumbnails for photos, and for its side's editors the widget to attach, replace and
remove them. Every write goes through ``editing.evidence``; every download through the
``/files/<sha256>`` route, which decides who gets the bytes."""

from __future__ import annotations

import io

import streamlit as st

from .. import config, i18n
from ..data import evidence
from ..data.evidence import KINDS, MAX_PER_TARGET, Attachment
from ..data.model import LANGS, REGIONS
from ..data.workbooks import UploadError
from ..editing import auth
from ..editing import evidence as store
from ..views import texts
from ..views.view import View
from . import account, uploads

THUMBNAIL = 240  # pixels across


def may_download(user: auth.User | None, record: Attachment) -> bool:
    return auth.is_user(user) or (record.public and not config.private())


def caption(view: View, record: Attachment) -> str:
    """«Протокол № 2 от 18 июня 2026 г.»: kind, number, date; what a visitor learns of any file."""
    parts = [view.t(f"evidence.kind.{record.kind}")]
    if record.number:
        parts.append(f"№ {record.number}")
    if record.date:
        parts.append(i18n.date(record.date, view.lang))
    return " · ".join(parts)


@st.cache_data(max_entries=200, show_spinner=False)
def _thumbnail(path: str, sha: str) -> bytes | None:
    """A small JPEG of a photo (by its content's hash: a file never changes under its name)."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.thumbnail((THUMBNAIL, THUMBNAIL))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
            return out.getvalue()
    except Exception:  # a damaged file: validate names it; the page shows the link only
        return None


def listing(view: View, of: str, user: auth.User | None = None) -> None:
    """The files attached to the report or action ``of``: photos as thumbnails, documents
    by name and kind; to a visitor only what exists, unless an editor marked it public."""
    user = user if user is not None else account.current_user()
    records = [r for r in view.dataset.evidence if r.of == of]
    if not records:
        return
    st.markdown(f"*{view.t('evidence.files')}*")
    lines = []
    for record in records:
        title = texts.escape_md(texts.data_text(view, record.title))
        marks = f" ({view.t('evidence.illustrative')})" if record.illustrative else ""
        if not may_download(user, record):
            lines.append(f"- {texts.escape_md(caption(view, record))} — *{view.t('evidence.hidden')}*")
            continue
        if record.media == "jpeg" or record.media == "png":
            image = _thumbnail(str(evidence.file_path(view.dataset.data_dir, record.file)), record.file)
            if image is not None:
                st.image(image, caption=f"{caption(view, record)}: {texts.data_text(view, record.title)}{marks}")
        size = view.t("evidence.size_kb", size=max(1, round(record.size / 1024)))
        lines.append(
            f"- [{title}]({record.url}) — {texts.escape_md(caption(view, record))}{marks},"
            f" {record.media.upper()}, {size}"
        )
    st.markdown("\n".join(lines))


def for_duty(view: View, duty, user: auth.User | None) -> None:
    """Under the report form: the files of the report the form is for, once it is saved."""
    if duty.report is None:
        st.caption(view.t("evidence.save_report_first"))
        return
    editor(view, duty.report.key, duty.side, user, "evidence_report")


def for_action(view: View, action, user: auth.User | None) -> None:
    """On the action's card: its founding documents, and for its editors the widget."""
    own = user.role.partition("-")[0] if auth.is_user(user) else ""
    side = action.lead if action.lead != "joint" else (own if own in REGIONS else REGIONS[0])
    if not auth.can_attach(user, side):
        listing(view, action.id, user)
    elif st.toggle(view.t("evidence.manage_action"), key=f"evidence_action_{action.id}"):
        editor(view, action.id, side, user, "evidence_action")
    else:
        listing(view, action.id, user)


def editor(view: View, of: str, side: str, user: auth.User | None, purpose: str) -> None:
    """The files of the report ``of`` with, for those who may attach for ``side``,
    remove and replace buttons and the form to attach more; their uploaders are the
    declared ``purpose`` (``editing.uploads.UPLOADERS``), which opens the upload endpoint."""
    t = view.t
    st.markdown(f"**{t('evidence.heading')}**")
    records = [r for r in view.dataset.evidence if r.of == of]
    if not records:
        st.caption(t("evidence.none"))
    listing(view, of, user)
    notice = st.session_state.pop(f"evidence_notice_{of}", None)
    if notice:
        st.success(texts.escape_md(notice), icon=":material/attach_file:")
    if user is None or not auth.can_attach(user, side):
        st.caption(t("evidence.sign_in_to_attach"))
        return
    for record in records:
        _manage(view, record, user, purpose)
    if len(records) < MAX_PER_TARGET:
        _add_form(view, of, user, purpose)


def _manage(view: View, record: Attachment, user: auth.User, purpose: str) -> None:
    t = view.t
    with st.expander(f"{caption(view, record)}: {texts.data_text(view, record.title)}", icon=":material/description:"):
        with st.form(f"evidence_replace_{record.id}", enter_to_submit=False):
            upload = uploads.file_uploader(purpose, user, t("evidence.replace"), type=list(_TYPES))
            keep = st.checkbox(t("evidence.keep_metadata"), help=t("evidence.keep_metadata_help"))
            if st.form_submit_button(t("evidence.replace_submit"), icon=":material/swap_horiz:"):
                if upload is None:
                    st.error(t("evidence.no_file_chosen"))
                else:
                    _do(
                        view,
                        record.of,
                        "evidence.replaced",
                        upload.name,
                        store.replace,
                        view.dataset.data_dir,
                        record.id,
                        upload.name,
                        upload.getbuffer(),
                        user,
                        keep_metadata=keep,
                    )
        if st.button(t("evidence.remove"), key=f"evidence_remove_{record.id}", icon=":material/delete:"):
            _do(view, record.of, "evidence.removed", record.name, store.remove, view.dataset.data_dir, record.id, user)


_TYPES = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")


def _add_form(view: View, of: str, user: auth.User, purpose: str) -> None:
    t = view.t
    with st.form(f"evidence_add_{of}", clear_on_submit=True, enter_to_submit=False):
        st.markdown(f"**{t('evidence.add')}**")
        st.caption(t("evidence.limits"))
        chosen = uploads.file_uploader(
            purpose, user, t("evidence.file"), type=list(_TYPES), accept_multiple_files=True, key=f"ev_up_{of}"
        )
        left, middle, right = st.columns(3)
        kind = left.selectbox(t("evidence.kind"), KINDS, format_func=lambda k: t(f"evidence.kind.{k}"))
        number = middle.text_input(t("evidence.number"), max_chars=100)
        date = right.date_input(t("evidence.date"), value=None, format="DD.MM.YYYY")
        title = st.text_input(t("evidence.title"), max_chars=500)
        language = st.selectbox(
            t("evidence.language"),
            [None, *LANGS],
            format_func=lambda v: t("evidence.language_none") if v is None else i18n.LANGUAGE_NAMES[v],
        )
        public = st.checkbox(t("evidence.public"))
        keep = st.checkbox(t("evidence.keep_metadata"), help=t("evidence.keep_metadata_help"))
        submitted = st.form_submit_button(t("evidence.submit"), type="primary", icon=":material/attach_file:")
    if not submitted:
        return
    if not chosen:
        st.error(t("evidence.no_file_chosen"))
        return
    meta = {"kind": kind, "number": number.strip() or None, "date": date, "language": language, "public": public}
    files = [(u.name, u.getbuffer()) for u in chosen]  # the uploads' own buffers: no copy
    named = ", ".join(name for name, _ in files)
    _do(
        view,
        of,
        "evidence.attached",
        named,
        store.attach_many,
        view.dataset.data_dir,
        of,
        files,
        {**meta, "title": {view.lang: title.strip()} if title.strip() else None},
        user,
        keep_metadata=keep,
    )


def _do(view: View, of: str, done_key: str, name: str, operation, *args, **kwargs) -> None:
    """Run a store operation; its refusal shown in the reader's language, its success on the next run."""
    try:
        operation(*args, **kwargs)
    except (store.StoreError, UploadError) as refused:
        st.error(texts.escape_md(i18n.problem(view.lang, refused.kind, str(refused))), icon=":material/block:")
        return
    st.session_state[f"evidence_notice_{of}"] = view.t(done_key, name=name)
    st.rerun()
