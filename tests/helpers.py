"""Helpers of the tests: the shipped data, AppTest runs of the pages as a viewer or
as a signed-in user, and records and data folders to test with."""

from __future__ import annotations

import re
from pathlib import Path

from coopplan.editing.auth import User

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
ADMIN = User("admin", "admin")


def run_page(page: str, query: dict | None = None, timeout: float = 30):
    """An AppTest of ``pages/<page>.py`` (or ``dashboard.py``) run once with ``query``."""
    from streamlit.testing.v1 import AppTest

    path = ROOT / (page if page.endswith(".py") else f"pages/{page}.py")
    at = AppTest.from_file(str(path), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def as_user(page: str, user, query: dict, timeout: float = 30):
    """An AppTest of ``pages/<page>.py`` run once with ``query``, ``user`` in the session
    as if signed in (whatever it is: a forged value tests what the page makes of it)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    at.session_state["_user"] = user
    return at.run()


def submit(at, form: str = "edit_form"):
    """Click the submit button of the form ``form`` and run the page again."""
    button = next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form}"))
    return button.click().run()


def details(at) -> str:
    """The exact rules a page shows behind its «details» toggle (after the advice)."""
    from coopplan import i18n

    labels = {i18n.t(lang, "edit.details") for lang in ("kk", "ru", "en")}
    return "\n".join(block.value for box in at.expander if box.label in labels for block in box.code)


def as_lines(text: str) -> str:
    """A text as Word and calendars keep it: CR LF and a lone CR are one line break
    (RFC 5545 text has no carriage return at all)."""
    return re.sub(r"\r\n?", "\n", text)


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file of a data folder with its bytes, by path inside it: the actions
    (hidden leftovers of a save included), the memorandum, the plan and the history,
    ``b""`` while there is none (an empty file left by a refused first write is no
    history either). The store's empty lock files under ``.locks/`` are not data."""
    from coopplan.editing import history

    files = {p.relative_to(folder).as_posix(): p for p in sorted(Path(folder).rglob("*")) if p.is_file()}
    state = {name: path.read_bytes() for name, path in files.items() if not name.startswith(".locks/")}
    state.setdefault(history.FILE, b"")
    return state


def rendered(markdown: str) -> str:
    """Markdown as a reader sees it: backslash escapes (``texts.escape_md``) dropped."""
    return re.sub(r"\\(.)", r"\1", markdown)


def valid_action(action_id: str = "t-001", **changes) -> dict:
    """A minimal valid action record; ``changes`` replace or add fields (None removes one)."""
    record = {
        "id": action_id,
        "area": "tourism",
        "title": {"kk": "Туристік маршрут", "ru": "Туристский маршрут", "en": "Tourist route"},
        "lead": "joint",
        "responsible": {
            "pavlodar": ["Управление туризма Павлодарской области"],
            "omsk": ["Министерство экономики Омской области"],
        },
        "start": "2026-Q2",
        "end": "2026-12",
        "status": "planned",
        "outcome": {"ru": "Маршрут запущен"},
    }
    for key, value in changes.items():
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
    return record


def write_action(folder: Path, record: dict | str | bytes, name: str | None = None) -> Path:
    """Write an action file: a record is dumped as YAML, text and bytes are written as they are."""
    from coopplan.data import yamlio

    name = name or (record["id"] if isinstance(record, dict) else "t-001")
    path = folder / "actions" / f"{name}.yaml"
    if isinstance(record, dict):
        record = yamlio.dumps(record)
    path.write_bytes(record if isinstance(record, bytes) else record.encode("utf-8"))
    return path


def view_of(dataset, lang: str, **chosen):
    """The view a page of ``dataset`` would draw from, in ``lang`` with the filters ``chosen``."""
    from coopplan.views import filters
    from coopplan.views.frame import actions_frame
    from coopplan.views.view import View

    return View(lang, dataset, actions_frame(dataset.actions, dataset.bodies), filters.Filters(**chosen))


def change(data_dir: Path, action_id: str, user=ADMIN, **fields):
    """Save ``fields`` of an action as ``user`` at its current version: someone
    else's edit, made through the store. The store's ``Saved``."""
    from coopplan.data import loader
    from coopplan.editing import store

    action = loader.load(data_dir).action(action_id)
    return store.save(data_dir, action.model_copy(update=fields), user, store.read_version(data_dir, action_id)[0])


def edited_csv(actions) -> bytes:
    """The CSV export of ``actions`` with po-001 renamed, as an editor would change it."""
    from coopplan.exchange import spreadsheet

    text = spreadsheet.to_csv(actions).decode("utf-8-sig")
    return text.replace("Создание совместной", "Учреждение совместной").encode("utf-8-sig")


def frame_of(*records: dict):
    """The actions frame of ``records`` (see ``valid_action``), as pages filter and count it."""
    from coopplan.data.model import Action
    from coopplan.views.frame import actions_frame

    return actions_frame([Action.model_validate(r) for r in records])
