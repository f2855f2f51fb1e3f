"""What we ask of Streamlit beyond its public API, proven of the installed version
without a browser: when an upgrade stops honouring one of these, a test here fails
(``streamlit`` is pinned to the minor version they were proven on, in pyproject.toml).

- ``web.internals.leave_legacy_pages_mode`` sets ``PagesManager.uses_pages_directory``:
  Streamlit must decide the legacy mode only while that flag is unset, and run a page
  the legacy way exactly when it is set.
- ``web.preload`` reads the built frontend's files (``streamlit/static``) and sets
  ``window.__streamlit.BACKEND_BASE_URL``: the entry script must be where it looks,
  and the frontend must read that setting.
- ``web.internals.oidc_email`` reads Streamlit's signed OpenID Connect cookie with its
  WebSocket's own functions (``tests/test_hostile_private_paths.py`` signs one and reads
  it back); ``session_connected`` and ``free_session_files`` ask its runtime.
- ``ui.uploads`` asks the script run's context for its browser session's id, the key of
  the upload endpoint's grants.
- ``ui.account`` reads the session cookie through ``st.context.cookies`` only (a
  public API); tests inject their own cookie source, so no hidden option is read."""

from __future__ import annotations

import ast
import re

import pytest

from coopplan.web import internals, preload
from tests.helpers import ROOT


@pytest.fixture
def legacy_flag():
    """Streamlit's flag as a fresh process has it (unset), put back afterwards."""
    from streamlit.runtime.pages_manager import PagesManager

    before = PagesManager.uses_pages_directory
    PagesManager.uses_pages_directory = None
    yield PagesManager
    PagesManager.uses_pages_directory = before


def _app_beside_pages(folder):
    (folder / "pages").mkdir()
    (folder / "pages" / "other.py").write_text("import streamlit as st\nst.write('other')\n")
    (folder / "app.py").write_text("import streamlit as st\nst.write('main')\n")
    return str(folder / "app.py")


def test_streamlit_decides_the_legacy_pages_mode_itself_only_while_the_flag_is_unset(tmp_path, legacy_flag):
    app = _app_beside_pages(tmp_path)
    legacy_flag(app)
    assert legacy_flag.uses_pages_directory is True  # its own decision: a pages/ folder beside the script
    legacy_flag.uses_pages_directory = None
    internals.leave_legacy_pages_mode()
    legacy_flag(app)  # the first browser session, after the server started
    assert legacy_flag.uses_pages_directory is False


def test_streamlit_runs_a_page_the_legacy_way_exactly_when_the_flag_is_set(tmp_path, monkeypatch, legacy_flag):
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

    legacy_runs = []
    monkeypatch.setattr(script_runner, "_mpa_v1", legacy_runs.append)
    beside_pages = AppTest.from_file(_app_beside_pages(tmp_path)).run()
    assert legacy_runs == [str(tmp_path / "app.py")] and not beside_pages.markdown  # the legacy runner ran instead

    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "app.py").write_text("import streamlit as st\nst.write('main')\n")
    ran = AppTest.from_file(str(alone / "app.py")).run()  # flag false: the script itself runs
    assert len(legacy_runs) == 1 and [m.value for m in ran.markdown] == ["main"]


def test_the_frontends_entry_script_is_where_preload_looks_for_it():
    index = (preload.STATIC / "index.html").read_text(encoding="utf-8")
    entries = re.findall(r"\./static/js/([\w.\-]+\.js)", index)
    assert entries and all((preload.STATIC / "static" / "js" / name).is_file() for name in entries)


def test_the_frontend_reads_the_servers_address_from_window_streamlit():
    js = preload.STATIC / "static" / "js"
    index = (preload.STATIC / "index.html").read_text(encoding="utf-8")
    loaded = re.findall(r"\./static/js/([\w.\-]+\.js)", index)
    # the code the page loads first reads window.__streamlit and offers BACKEND_BASE_URL from it
    code = "".join((js / name).read_text(encoding="utf-8") for name in loaded)
    assert re.search(r"window\.__streamlit\b(?!_)", code)
    assert re.search(r"BACKEND_BASE_URL\(\)\{return \w+\?\.BACKEND_BASE_URL", code)


def test_only_the_listed_modules_import_a_streamlit_internal_and_nothing_reads_a_hidden_option():
    public = {"streamlit", "streamlit.errors", "streamlit.testing.v1", "streamlit.components.v1"}  # documented modules
    internal, hidden = [], []
    for path in [*(ROOT / "coopplan").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "dashboard.py"]:
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            internal += [f"{path.name}: {n}" for n in names if n.startswith("streamlit.") and n not in public]
        hidden += [f"{path.name}: {o}" for o in re.findall(r"get_option\(\"(global\.\w+)", text)]
    assert sorted(internal) == [
        "internals.py: streamlit.auth_util",
        "internals.py: streamlit.runtime.pages_manager",
        "internals.py: streamlit.web.server.starlette.starlette_websocket",
        "uploads.py: streamlit.runtime.scriptrunner",
    ]
    assert hidden == []


def test_a_script_run_knows_its_browser_session_which_the_upload_grants_are_kept_under():
    from streamlit.testing.v1 import AppTest

    def script():
        import streamlit as st

        from coopplan.ui import uploads

        st.write(str(uploads._session_id()))

    shown = AppTest.from_function(script).run().markdown[0].value
    assert shown not in ("None", "")


def test_streamlit_s_runtime_answers_what_the_upload_sweep_asks_when_no_server_runs():
    assert internals.session_connected("no-such-session") is False
    internals.free_session_files("no-such-session")  # nothing to free, nothing raised
