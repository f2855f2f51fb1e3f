"""Sessions as an attacker tries them in a real browser: an account removed while its tab
is open, and a Streamlit session id taken from an upload's address (so from a proxy's
log) used by another browser that has no session cookie."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest

from coopplan import i18n
from coopplan.data import loader
from coopplan.editing import auth, sessions
from tests import pick
from tests.browser import SCREENSHOTS, fill_sign_in, screenshot, sign_in, signed_in_text, wait_idle
from tests.helpers import ROOT

pytestmark = pytest.mark.browser


def test_removing_an_account_ends_its_open_session_at_the_tabs_next_step(page, server):
    page.open("/plan?lang=en")
    sign_in(page, server, "en", name="leaving", role="omsk")
    env = {**os.environ, "COOPPLAN_USERS": str(server.users)}
    subprocess.run([sys.executable, "-m", "coopplan", "users", "remove", "leaving"], check=True, cwd=ROOT, env=env)
    search = page.get_by_role("textbox", name=i18n.t("en", "filters.q"))  # the tab's next step: a filter chosen
    search.fill("forum")
    search.press("Enter")
    wait_idle(page)
    page.get_by_text(i18n.t("en", "signin.ended")).wait_for()
    assert page.get_by_text(signed_in_text("en", "leaving", "omsk")).count() == 0
    page.open("/edit?lang=en")
    assert page.get_by_role("button", name=i18n.t("en", "edit.save")).count() == 0


# The app's script, given the id of another browser's Streamlit session: Streamlit's
# own client sends the id of its last session as the third WebSocket subprotocol to
# reconnect to it, so this one does the same with the stolen id from its first connection.
RECONNECT_TO = """stolen => {
    const Original = window.WebSocket;
    window.WebSocket = class extends Original {
        constructor(url, protocols) {
            const sent = [...(protocols || [])];
            while (sent.length < 2) sent.push("PLACEHOLDER_AUTH_TOKEN");
            sent[2] = stolen;
            super(url, sent);
        }
    };
}"""


def test_a_session_id_taken_from_an_upload_address_gives_nothing_without_the_session_cookie(
    page, server, browser, tmp_path
):
    page.open("/import?lang=kk")
    sign_in(page, server, "kk", name="victim.editor", role="pavlodar")
    uploads = []
    page.on("request", lambda request: uploads.append(request.url) if "/_stcore/upload_file/" in request.url else None)
    upload = tmp_path / "plan.csv"
    upload.write_bytes(b"id,title\n")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    wait_idle(page)
    [address] = uploads[:1]
    stolen = address.split("/_stcore/upload_file/")[1].split("/")[0]
    assert len(stolen) >= 32  # a Streamlit session id, as a proxy's log would show it

    attacker = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    try:
        tab = attacker.new_page()
        tab.add_init_script(f"({RECONNECT_TO})({stolen!r})")
        tab.goto(server.url + "/edit")  # no ?lang=: the session's own language shows whose session it is
        wait_idle(tab)
        screenshot(tab, "stolen-session-id")
        # the victim's session it is (its language, Kazakh, chosen in that session) ...
        tab.get_by_text(i18n.t("kk", "account.viewer")).first.wait_for()
        # ... and nothing of the victim's sign-in comes with it
        assert tab.get_by_text(signed_in_text("kk", "victim.editor", "pavlodar")).count() == 0
        assert tab.get_by_role("button", name=i18n.t("kk", "edit.save")).count() == 0
        assert tab.get_by_role("button", name=i18n.t("kk", "account.sign_out")).count() == 0
    finally:
        attacker.close()


def test_a_locked_account_is_told_in_its_language_when_to_try_again(page, server):
    auth.add_user("guessed", "omsk", "the right password", path=server.users)
    # ten failed tries made beforehand, each after the wait it was told (so the last a minute from now)
    later = [0.0]
    store = sessions.Store(
        server.users.with_name("sessions.sqlite3"), 3600, 86400, clock=lambda: time.time() + later[0]
    )
    for _ in range(auth.PAIR_LOCKOUT):  # from the browser's own address: the only lock is the pair's
        later[0] += store.attempt("guessed", "127.0.0.1").wait
    try:
        page.goto(f"{server.url}/signin?lang=ru")
        fill_sign_in(page, "ru", "guessed", "the right password")
        message = page.get_by_role("alert")
        message.wait_for()
        assert message.text_content() == i18n.t("ru", "signin.locked", minutes=16)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "signin-locked-ru.png"))  # the sign-in page is no Streamlit page
    finally:  # the tries were dated ahead: the tests after this one sign in from the same address
        with closing(sqlite3.connect(server.users.with_name("sessions.sqlite3"))) as db, db:
            db.execute("DELETE FROM attempts")


def test_an_omsk_editor_sees_a_joint_actions_lead_as_an_administrators(page, server):
    joint = pick.action(loader.load(server.data_dir), "joint", lambda a: a.lead == "joint")
    page.open(f"/edit?lang=ru&id={joint.id}")
    sign_in(page, server, "ru", name="omsk.editor", role="omsk")
    lead = page.get_by_role("combobox", name=i18n.t("ru", "edit.field.lead"))
    assert lead.is_disabled()
    screenshot(page, "edit-joint-action-omsk-ru")
