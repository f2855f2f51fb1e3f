"""Writing evidence: attaching a file to a report or an action, replacing it, changing
what its record says, removing it, and undoing each, through the store's own atomic
commit and history (``transaction.commit``) under the action's lock.

The bytes are written first, once per content (``files/<sha256>``, synced, renamed into
place), then the record is committed; if the record cannot be, bytes written for it are
taken away again, so a refusal stores nothing. Bytes no record names any more move to
``files/.removed/`` rather than away, so that undoing a removal finds them.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import cast

from pydantic import ValidationError

from ..data import evidence, evidence_check, loader, quarter_file, yamlio
from ..data.evidence import Attachment
from ..data.files import shown_path
from ..data.model import REGIONS
from ..data.validate import shape_problems
from . import admission, auth, history, store, transaction
from .store import Forbidden, Invalid, Saved, StoreError

EDITABLE = ("kind", "title", "number", "date", "language", "public")


def _side_of(data_dir: Path, of: str, user) -> tuple[str, str]:
    """(action id, side whose evidence it is): a report's side; for an action, its
    leading side, or for a joint one the uploader's side."""
    if "/" in of:
        rest = of.partition("/")[2]
        action_id, _, side = rest.rpartition("-")
        if store.read_report_version(data_dir, of)[0] == store.ABSENT:
            raise StoreError(
                f"there is no report {of}; submit the report first, then attach its evidence", "no_such_report"
            )
        return action_id, side
    version, record = store.read_version(data_dir, of)
    if version == store.ABSENT or record is None:
        raise StoreError(f"there is no action {of}", "no_such_action")
    lead = str(record.get("lead"))
    if lead != "joint":
        return of, lead
    own = user.role.partition("-")[0]
    return of, own if own in REGIONS else REGIONS[0]  # an administrator's: the first party's


def _may(data_dir: Path, user, of: str, side: str, what: str) -> None:
    user = store.signed_in(user)
    if not auth.can_attach(user, side):
        raise Forbidden(f"{user.name} ({user.role}) may not {what} evidence of {side}", "evidence_not_your_side")
    if "/" in of:  # a report's files are part of it: its side's close of the quarter holds them too
        quarter, _, rest = of.partition("/")
        refused = admission.closed_to(quarter_file.read(data_dir, quarter)[0], rest.rpartition("-")[0], side)
        if refused is not None:
            raise refused


def attached(data_dir: Path, of: str) -> list[Attachment]:
    """The records attached to ``of`` as their files hold them now."""
    return [r for r in loader.load_evidence(data_dir).records if r.of == of]


def attach(
    data_dir: Path,
    of: str,
    name: str,
    data: bytes | memoryview,
    meta: dict,
    user,
    *,
    keep_metadata: bool = False,
) -> Saved:
    """Attach the upload ``data`` (named ``name``) to the report or action ``of``, with
    ``meta`` (kind, title, number, date, language, public). Refused (``StoreError``,
    ``UploadError``) with nothing stored: by who asks, the file's content and size, more
    than ten files on one report, the same file twice on one."""
    return attach_many(data_dir, of, [(name, data)], meta, user, keep_metadata=keep_metadata)[0]


def attach_many(
    data_dir: Path, of: str, files: list[tuple[str, bytes | memoryview]], meta: dict, user, *, keep_metadata=False
) -> list[Saved]:
    """Attach several uploads with the same ``meta`` (a title not given is each file's
    name): all checked before any is stored, so a refusal of one stores none; the count
    checked before any is read."""
    data_dir = Path(data_dir)
    user = store.signed_in(user)
    action_id, side = _side_of(data_dir, of, user)
    _may(data_dir, user, of, side, "attach")
    evidence_check.check_count(len(attached(data_dir, of)), len(files))
    checked = [evidence_check.check(name, data, keep_metadata) for name, data in files]
    hashes = [hashlib.sha256(c.data).hexdigest() for c in checked]
    if len(set(hashes)) < len(hashes):
        raise StoreError("the same file is chosen twice; choose it once", "evidence_duplicate")
    saved = []
    with transaction.locked(data_dir, action_id):
        present = attached(data_dir, of)
        evidence_check.check_count(len(present), len(files))
        if any(r.file in hashes for r in present):
            raise StoreError(f"this file is already attached to {of}", "evidence_duplicate")
        records = [
            _record(
                data_dir,
                {"id": "ev-" + secrets.token_hex(6), "of": of, "side": side, **meta}
                | ({} if meta.get("title") else {"title": {meta.get("language") or "ru": one.name.rpartition(".")[0]}}),
                one,
                sha,
                user,
            )
            for one, sha in zip(checked, hashes, strict=True)
        ]
        for one, sha, record in zip(checked, hashes, records, strict=True):
            entry = _file_and_commit(data_dir, sha, one.data, None, record, user, "add")
            saved.append(Saved(None, entry.id, entry))
    return saved


def _file_and_commit(
    data_dir: Path, sha: str, data: bytes | memoryview, before: Attachment | None, record: dict, user, op: str
) -> history.Entry:
    """Store the file ``sha``, then its record: when the record cannot be written, a file
    this call stored is taken away again, so no file is left that no record names."""
    written = _put_file(data_dir, sha, data)
    try:
        return _commit(data_dir, before, record, user, op)
    except BaseException:
        if written:
            evidence.file_path(data_dir, sha).unlink(missing_ok=True)
        raise


def replace(
    data_dir: Path, evidence_id: str, name: str, data: bytes | memoryview, user, *, keep_metadata=False
) -> Saved:
    """Put another file in place of an attachment's, its record's other fields kept."""
    data_dir = Path(data_dir)
    current = _current(data_dir, evidence_id)
    _may(data_dir, user, current.of, current.side, "replace")
    checked = evidence_check.check(name, data, keep_metadata)
    sha = hashlib.sha256(checked.data).hexdigest()
    with transaction.locked(data_dir, current.action):
        current = _current(data_dir, evidence_id)
        if any(r.file == sha and r.id != evidence_id for r in attached(data_dir, current.of)):
            raise StoreError(f"this file is already attached to {current.of}", "evidence_duplicate")
        record = _record(data_dir, current.to_yaml_dict(), checked, sha, user)
        entry = _file_and_commit(data_dir, sha, checked.data, current, record, user, "edit")
        _settle(data_dir, current.file)
    return Saved(None, entry.id, entry)


def update(data_dir: Path, evidence_id: str, changes: dict, user) -> Saved:
    """Change what an attachment's record says (``EDITABLE`` fields; None clears one)."""
    data_dir = Path(data_dir)
    current = _current(data_dir, evidence_id)
    _may(data_dir, user, current.of, current.side, "change")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise StoreError(f"{', '.join(sorted(unknown))} of an attachment cannot be changed", "evidence_field")
    with transaction.locked(data_dir, current.action):
        current = _current(data_dir, evidence_id)
        record = {**current.to_yaml_dict(), **changes}
        record = _valid(data_dir, {k: v for k, v in record.items() if v is not None}, user)
        if _same(current, record):
            return Saved(None, "", None)
        entry = _commit(data_dir, current, record, user, "edit")
    return Saved(None, entry.id, entry)


def remove(data_dir: Path, evidence_id: str, user, *, op: str = "delete", undoes: str | None = None) -> Saved:
    data_dir = Path(data_dir)
    current = _current(data_dir, evidence_id)
    _may(data_dir, user, current.of, current.side, "remove")
    with transaction.locked(data_dir, current.action):
        current = _current(data_dir, evidence_id)
        entry = _commit(data_dir, current, None, user, op, undoes)
        _settle(data_dir, current.file)
    return Saved(None, store.ABSENT, entry)


def undo(data_dir: Path, entry: history.Entry, user) -> Saved:
    """Put an attachment back as it was before ``entry`` (its file too); refused when
    the record has changed since."""
    data_dir = Path(data_dir)
    evidence_id = Path(entry.path or "").stem
    state = entry.after or entry.before or {}
    _may(data_dir, user, str(state.get("of")), str(state.get("side")), "change")
    path = evidence.record_path(data_dir, evidence_id)
    with transaction.locked(data_dir, entry.action):
        current = transaction.read(path)[1]
        if _plain(current) != _plain(entry.after):
            raise StoreError(
                f"{entry.file} has changed since this change; undo the later changes first", "undo_blocked"
            )
        if entry.before is None:
            added = Attachment.model_validate(current)
            done = _commit(data_dir, added, None, user, "undo", entry.id)
            _settle(data_dir, added.file)
            return Saved(None, store.ABSENT, done)
        restored = Attachment.model_validate(entry.before)
        if not _revive(data_dir, restored.file):
            message = f"{evidence.FILES}/{restored.file} is no longer kept; attach the file again instead"
            raise StoreError(message, "evidence_no_file")
        before = Attachment.model_validate(current) if current is not None else None
        done = _commit(data_dir, before, restored.to_yaml_dict(), user, "undo", entry.id)
        if before is not None and before.file != restored.file:
            _settle(data_dir, before.file)
    return Saved(None, done.id, done)


# ---- inside ---------------------------------------------------------------------


def _current(data_dir: Path, evidence_id: str) -> Attachment:
    path = evidence.record_path(data_dir, evidence_id)
    if not evidence.is_id(evidence_id) or transaction.read(path)[0] == store.ABSENT:
        raise StoreError(f"there is no attachment {evidence_id}", "no_such_evidence")
    try:
        return Attachment.model_validate(transaction.read(path)[1])
    except ValidationError:
        raise StoreError(f"{shown_path(path)} is not valid; fix it first", "evidence_invalid") from None


def _record(data_dir: Path, fields: dict, checked: evidence_check.Checked, sha: str, user) -> dict:
    fields = {**fields, "file": sha, "name": checked.name, "media": checked.media, "size": len(checked.data)}
    if isinstance(fields.get("title"), str):  # a title typed in the document's language
        fields["title"] = {fields.get("language") or "ru": fields["title"]}
    fields.pop("illustrative", None)  # an upload is a real document
    return _valid(data_dir, {k: v for k, v in fields.items() if v is not None}, user)


def _valid(data_dir: Path, fields: dict, user) -> dict:
    stamped = {**fields, **store._stamp(user)}
    shown = shown_path(evidence.record_path(data_dir, str(fields.get("id"))))
    record, problems = shape_problems(Attachment, stamped, shown, "")
    if record is None:
        raise Invalid(problems)
    return cast(Attachment, record).to_yaml_dict()


def _same(current: Attachment, record: dict) -> bool:
    return _plain(current.to_yaml_dict()) == _plain(record)


def _plain(record: dict | None) -> dict | None:
    """A record without its save stamps, in the model's form."""
    if record is None:
        return None
    try:
        data = Attachment.model_validate(record).model_dump(mode="json")
    except ValidationError:
        return {"invalid": True}
    return {k: v for k, v in data.items() if k not in ("updated", "updated_by")}


def _commit(data_dir: Path, current: Attachment | None, record: dict | None, user, op: str, undoes=None):
    state = record if record is not None else current.to_yaml_dict() if current is not None else {}
    path = evidence.record_path(data_dir, state["id"])
    try:
        path.parent.mkdir(mode=transaction.FOLDER_MODE, exist_ok=True)
    except OSError as error:
        raise transaction.write_failed(path.parent, error) from error
    transaction.recover(data_dir, path)
    before = current.to_yaml_dict() if current is not None else None
    rel = f"{evidence.FOLDER}/{path.name}"
    entry = history.new_entry(user.name, Attachment.model_validate(state).action, op, before, record, undoes, path=rel)
    data = yamlio.dumps(record).encode("utf-8") if record is not None else None
    transaction.commit(data_dir, path, data, entry)
    return entry


def _put_file(data_dir: Path, sha: str, data: bytes | memoryview) -> bool:
    """Keep ``data`` as ``files/<sha>`` unless it is there already: written to a hidden
    name, synced, renamed into place. Whether it was written now."""
    if _revive(data_dir, sha):
        return False
    folder = Path(data_dir) / evidence.FILES
    target = folder / sha
    temporary = folder / f".{sha}.{secrets.token_hex(4)}.tmp"
    try:
        folder.mkdir(mode=transaction.FOLDER_MODE, exist_ok=True)
        with transaction.created(temporary) as out:
            out.write(data)  # a memoryview is written as it is: no copy of the upload
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
        transaction.sync_folder(folder)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise transaction.write_failed(target, error) from error
    return True


def _revive(data_dir: Path, sha: str) -> bool:
    """Whether ``files/<sha>`` is there, brought back from the removed ones if needed."""
    target = evidence.file_path(data_dir, sha)
    if target.is_file():
        return True
    kept = Path(data_dir) / evidence.FILES / evidence.REMOVED / sha
    if kept.is_file():
        os.replace(kept, target)
        return True
    return False


def _settle(data_dir: Path, sha: str) -> None:
    """Bytes no record names any more move aside (kept for undo, out of validation's way)."""
    if any(r.file == sha for r in loader.load_evidence(data_dir).records):
        return
    target = evidence.file_path(data_dir, sha)
    kept = Path(data_dir) / evidence.FILES / evidence.REMOVED
    try:
        kept.mkdir(mode=transaction.FOLDER_MODE, exist_ok=True)
        os.replace(target, kept / sha)
    except OSError:
        pass  # gone already, or left in place: validate names it, with advice
