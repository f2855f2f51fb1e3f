"""What an attack on the running dashboard found, each closed: password guessing spread
over many sessions, account names shown to anyone, sessions that outlive their account
or change hands, joint actions taken over by one side, live links in user text, source
files outside seeds/ and markup in the charts' memorandum texts."""

from __future__ import annotations

import re

import pytest

from coopplan import i18n
from coopplan.data import loader, model
from coopplan.editing import auth, history, sessions, store
from coopplan.editing.auth import User
from coopplan.exchange import importer, spreadsheet
from coopplan.views import charts, texts
from coopplan.views.frame import actions_frame
from coopplan.web import routes
from tests.helpers import ADMIN, DATA, as_user, folder_state, rendered, run_page, web_client

OMSK = User("ivanova", "omsk")
PAVLODAR = User("petrov", "pavlodar")


# ---- 6. sign-in throttled per account and per address, account names to signed-in users only -----


@pytest.fixture
def shipped_names(data_dir) -> str:
    """The account name the shipped data's actions and approval carry (its stamps)."""
    return loader.load(data_dir).action("po-002").updated_by


def sign_in_form(http, lang: str = "kk") -> str:
    """The sign-in page's form token, which the client now holds as its cookie too."""
    page = http.get(f"/signin?lang={lang}")
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def test_the_sign_in_locks_a_name_at_one_address_after_repeated_failures_in_the_users_language(monkeypatch, caplog):
    auth.add_user("victim", "pavlodar", "the right password")
    monkeypatch.setattr(auth, "throttle_delay", lambda count: 0.0)  # the spacing is the store's test; here, the lock
    answers = []
    for number in range(auth.PAIR_LOCKOUT + 2):
        with web_client() as http:  # a new session for each guess: the lock is the name's at this address
            csrf = sign_in_form(http)
            form = {"csrf": csrf, "name": "Victim", "password": f"guess {number}", "lang": "kk"}
            answers.append(http.post("/signin", data=form))
    assert [a.status_code for a in answers[: auth.PAIR_LOCKOUT]] == [200] * auth.PAIR_LOCKOUT
    assert all(i18n.t("kk", "account.failed") in a.text for a in answers[: auth.PAIR_LOCKOUT])
    locked = answers[-1]
    assert locked.status_code == 429 and locked.headers["retry-after"] == "900"
    assert i18n.t("kk", "signin.locked", minutes=15) in locked.text
    assert 'name "victim" from "testclient" locked for 900 s' in caplog.text
    with web_client() as http:  # the right password from here waits too, until the lock ends or is reset
        form = {"csrf": sign_in_form(http), "name": "victim", "password": "the right password", "lang": "kk"}
        assert http.post("/signin", data=form).status_code == 429


def test_the_address_of_a_sign_in_is_the_proxys_last_entry_only_behind_a_local_proxy():
    class Asked:
        def __init__(self, peer, forwarded=None):
            self.client = type("Client", (), {"host": peer})()
            self.headers = {"x-forwarded-for": forwarded} if forwarded else {}

    assert routes.client_address(Asked("127.0.0.1", "6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    assert routes.client_address(Asked("198.51.100.4", "203.0.113.9")) == "198.51.100.4"  # forged by a client
    assert routes.client_address(Asked("::1")) == "::1"


@pytest.mark.parametrize("page", ["history", "changes"])
def test_anonymous_viewers_see_no_account_names_and_signed_in_users_do(data_dir, page):
    dataset = loader.load(data_dir)
    action = dataset.action("po-002")
    version = store.version_as_loaded(data_dir, action)
    store.save(data_dir, action.model_copy(update={"tags": ["renamed"]}), User("mallory.admin", "admin"), version)
    store.approve(data_dir, User("chief.approver", "admin"))
    anonymous = run_page(page, {"lang": "ru"})
    shown = " ".join(str(e.value) for e in [*anonymous.markdown, *anonymous.caption, *anonymous.table])
    shown += " ".join(e.label for e in anonymous.expander)
    assert not anonymous.exception
    assert "mallory" not in shown and "chief" not in shown
    assert not [m for m in anonymous.multiselect if m.key == "history_user"]
    signed_in = as_user(page, OMSK, {"lang": "ru"})
    named = " ".join(e.label for e in signed_in.expander)
    named += " ".join(str(e.value) for e in signed_in.caption)
    assert "chief" in named


def test_the_api_and_the_documents_name_no_account_to_a_client_not_signed_in(shipped_names):
    auth.add_user("scripter", "omsk", "scripters password")
    token = sessions.store().new_api_token(User("scripter", "omsk"))
    with web_client() as http:
        anonymous = [
            http.get(path).text for path in ("/api/v1/actions/po-002", "/api/v1/baselines", "/export/plan.csv")
        ]
        signed = http.get("/api/v1/actions/po-002", headers={"Authorization": f"Bearer {token}"}).json()
    assert not any(shipped_names in text for text in anonymous)
    assert signed["updated_by"] == shipped_names


def test_the_plan_detail_says_who_changed_an_action_to_signed_in_users_only(shipped_names):
    anonymous = run_page("plan", {"lang": "en", "id": "po-002"})
    signed_in = as_user("plan", OMSK, {"lang": "en", "id": "po-002"})
    assert not any(shipped_names in rendered(c.value) for c in anonymous.caption)
    assert any(shipped_names in rendered(c.value) for c in signed_in.caption)


# ---- 7. a session is the sign-in's own -------------------------------------------------------------


@pytest.mark.parametrize("planted", ["chosen-by-the-attacker-0123456789", "attackers own session"])
def test_signing_in_always_starts_a_new_session_whatever_cookie_the_browser_holds(planted):
    auth.add_user("victim", "pavlodar", "the right password")
    if planted == "attackers own session":  # a live session of the attacker's account, planted in the browser
        auth.add_user("mallory", "omsk", "mallorys password")
        planted = sessions.store().start(User("mallory", "omsk"))
    with web_client() as http:
        http.cookies.set(sessions.COOKIE, planted)
        form = {"csrf": sign_in_form(http, "en"), "name": "victim", "password": "the right password", "lang": "en"}
        reply = http.post("/signin", data=form)
    assert reply.status_code == 303
    token = re.search(rf"{sessions.COOKIE}=([^;]+)", reply.headers["set-cookie"]).group(1)
    assert token != planted and sessions.store().user(token) == User("victim", "pavlodar")
    assert sessions.store().user(planted) in (None, User("mallory", "omsk"))  # never became the victim's


# ---- 8. a joint action stays both sides' ---------------------------------------------------------


def joint(folder):
    dataset = loader.load(folder)
    return dataset, dataset.action("po-003")


def test_an_editor_cannot_take_a_joint_action_for_their_side_by_form_bulk_or_import(data_dir):
    dataset, action = joint(data_dir)
    before = folder_state(data_dir)
    version = store.version_as_loaded(data_dir, action)
    with pytest.raises(store.Forbidden) as refused:
        store.save(data_dir, action.model_copy(update={"lead": "omsk"}), OMSK, version)
    assert refused.value.kind == "joint_takeover"
    _, bulk_refused = store.bulk_update(dataset, ["po-003"], {"lead": "omsk"}, OMSK)
    assert [r.kind for _, r in bulk_refused] == ["joint_takeover"]
    taken = action.model_copy(update={"lead": "omsk"})
    rows = importer.read_rows(spreadsheet.to_csv([taken]), "plan.csv")
    saved, import_refused = importer.apply(importer.preview(rows, dataset), [2], dataset, OMSK)
    assert saved == [] and [r.kind for r in import_refused] == ["joint_takeover"]
    assert folder_state(data_dir) == before


def test_an_editor_changes_their_own_sides_bodies_of_a_joint_action_but_not_the_others(data_dir):
    _, action = joint(data_dir)
    version = store.version_as_loaded(data_dir, action)
    theirs = action.responsible.model_copy(update={"pavlodar": ["pavlodar-akim-office"]})
    with pytest.raises(store.Forbidden) as refused:
        store.save(data_dir, action.model_copy(update={"responsible": theirs}), OMSK, version)
    assert refused.value.kind == "joint_takeover"
    mine = action.responsible.model_copy(update={"omsk": ["omsk-economy", "omsk-culture"]})
    assert store.save(data_dir, action.model_copy(update={"responsible": mine}), OMSK, version).changed


def test_an_administrator_changes_a_joint_actions_lead_and_the_other_side_can_undo_it(data_dir):
    _, action = joint(data_dir)
    saved = store.save(
        data_dir, action.model_copy(update={"lead": "omsk"}), ADMIN, store.version_as_loaded(data_dir, action)
    )
    entry = saved.entry
    assert auth.can_undo(PAVLODAR, entry) and auth.can_undo(OMSK, entry)
    store.undo(data_dir, entry, PAVLODAR)
    assert loader.load(data_dir).action("po-003").lead == "joint"
    [*_, undone] = history.read(data_dir)[0]
    assert not auth.can_undo(OMSK, undone)  # putting the takeover back is the administrator's again
    with pytest.raises(store.Forbidden):
        store.undo(data_dir, undone, OMSK)


def test_the_other_side_undoes_any_change_to_a_joint_action(data_dir):
    _, action = joint(data_dir)
    mine = action.responsible.model_copy(update={"omsk": ["omsk-culture"]})
    version = store.version_as_loaded(data_dir, action)
    entry = store.save(data_dir, action.model_copy(update={"responsible": mine}), OMSK, version).entry
    assert auth.can_undo(PAVLODAR, entry)
    store.undo(data_dir, entry, PAVLODAR)
    assert loader.load(data_dir).action("po-003").responsible.omsk == ["omsk-economy"]


def test_the_edit_form_leaves_a_joint_actions_lead_and_the_other_sides_bodies_to_an_administrator(data_dir):
    at = as_user("edit", OMSK, {"lang": "kk", "id": "po-003"})
    assert not at.exception
    lead = at.selectbox(key="f_lead")
    assert lead.disabled and lead.help == i18n.t("kk", "edit.joint_locked")
    assert at.multiselect(key="f_bodies_pavlodar").disabled and not at.multiselect(key="f_bodies_omsk").disabled
    admin = as_user("edit", ADMIN, {"lang": "kk", "id": "po-003"})
    assert not admin.selectbox(key="f_lead").disabled and not admin.multiselect(key="f_bodies_pavlodar").disabled
    own = as_user(
        "edit", OMSK, {"lang": "kk", "id": next(a.id for a in loader.load(data_dir).actions if a.lead == "omsk")}
    )
    assert not own.selectbox(key="f_lead").disabled  # its own side's action: it may make it joint


# ---- 9. bare addresses in user text stay plain text ---------------------------------------------

# The patterns by which Streamlit's markdown (remark-gfm, mdast-util-gfm-autolink-literal)
# makes links of the text it has parsed, escapes already taken out.
GFM_AUTOLINKS = (
    re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE),
    re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)"),
)
BARE_ADDRESSES = ("http://evil.example/x", "HTTPS://evil.example", "www.evil.example", "WWW.Evil.example/a")


@pytest.mark.parametrize("address", [*BARE_ADDRESSES, "user@evil.example", "mailto:user@evil.example"])
def test_a_bare_address_in_user_text_leaves_nothing_for_markdown_to_make_a_link_of(address):
    text = f"Read {address} now"
    parsed = re.sub(r"\\(.)", r"\1", texts.escape_md(text))  # what markdown has once escapes are read
    assert not any(pattern.search(parsed) for pattern in GFM_AUTOLINKS), parsed
    assert parsed.replace(texts.WORD_JOINER, "") == text  # shown as it was written


def test_the_plan_detail_shows_a_bare_address_as_text(data_dir):
    action = loader.load(data_dir).action("po-003")
    description = model.Text(en="Details: " + " ".join(BARE_ADDRESSES))
    store.save(
        data_dir,
        action.model_copy(update={"description": description}),
        ADMIN,
        store.version_as_loaded(data_dir, action),
    )
    at = run_page("plan", {"lang": "en", "id": "po-003"})
    [shown] = [m.value for m in at.markdown if "evil" in m.value]
    assert rendered(shown).endswith(description.en)
    parsed = re.sub(r"\\(.)", r"\1", shown)
    assert not any(pattern.search(parsed) for pattern in GFM_AUTOLINKS)


# ---- 10. sources under seeds/ only, memorandum texts inert in charts ---------------------------------


@pytest.mark.parametrize("file", [".coopplan/users.yaml", "seeds/../.coopplan/users.yaml", "/etc/passwd", "README.md"])
def test_a_memorandum_naming_a_source_outside_seeds_is_refused_with_advice(data_dir, file):
    path = data_dir / "memorandum.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  file: seeds/000_2878ce43d6b5c77f.txt\n  language:", f"  file: {file}\n  language:"))
    line = path.read_text(encoding="utf-8").splitlines().index(f"  file: {file}") + 1
    dataset = loader.load(data_dir)
    [problem] = [p for p in dataset.problems if p.kind == "source_outside_seeds"]
    assert dataset.memorandum is None and problem.line == line
    assert i18n.problem("kk", problem.kind, problem.message).startswith(i18n.t("kk", "problem.source_outside_seeds"))
    assert loader.source_text(data_dir, file) is None


def test_a_link_in_seeds_leading_out_of_it_is_not_read(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "secret.yaml").write_text("users: {}")
    (tmp_path / "seeds" / "memo.txt").symlink_to(tmp_path / "secret.yaml")
    (tmp_path / "seeds" / "real.txt").write_text("меморандум")
    assert loader.source_text(tmp_path / "data", "seeds/memo.txt") is None
    assert loader.source_text(tmp_path / "data", "seeds/real.txt") == "меморандум"


def test_area_names_with_markup_are_text_in_every_overview_chart():
    dataset = loader.load(DATA)
    memo = dataset.memorandum
    hostile = '<a href="https://evil.example">Туризм</a> <b>bold</b>'
    areas = [memo.areas[0].model_copy(update={"name": model.Text(kk=hostile, ru=hostile, en=hostile)}), *memo.areas[1:]]
    memo = memo.model_copy(update={"areas": areas})
    frame = actions_frame(dataset.actions)
    figures = [
        charts.per_area_by_lead(frame, memo, "ru"),
        charts.area_year_heatmap(frame, memo, [2026, 2027, 2028], "ru"),
        charts.progress_by_area(frame, memo, "ru"),
    ]
    for figure in figures:
        labels = [str(label) for trace in figure.data for label in trace.y]
        labels += [str(label) for label in figure.layout.yaxis.categoryarray or ()]
        assert not any("<a" in label or "<b>" in label for label in labels)
        assert any('&lt;a href="https://evil.example"&gt;Туризм&lt;/a&gt;' in label for label in labels)
