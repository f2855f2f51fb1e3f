"""Reports reviewed and quarters closed: the state machine, who may take each step, a
side's close and what keeps it from closing, and a closed quarter that no write path
changes without an administrator's exception."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from coopplan import cli
from coopplan.data import loader, quarter_file
from coopplan.data.model import Report
from coopplan.editing import auth, history, quarter_store, store
from coopplan.reporting import quarters
from tests.helpers import ADMIN, view_of

OMSK = auth.User("omsk1", "omsk")
OMSK_COORDINATOR = auth.User("omsk.coordinator", "omsk-coordinator")
PAVLODAR_COORDINATOR = auth.User("pavlodar.coordinator", "pavlodar-coordinator")
WAITING = "2026-Q4/po-024-omsk"  # shipped as submitted, waiting for the Omsk coordinator


def report_of(data_dir, key) -> tuple[str, Report]:
    version, record = store.read_report_version(data_dir, key)
    return version, Report.model_validate(record)


def save(data_dir, key, user, **changes):
    version, report = report_of(data_dir, key)
    changed = Report.model_validate(report.to_yaml_dict() | changes)  # validated, as a form's record is
    return store.save_report(data_dir, changed, user, version)


def decide(data_dir, keys, user, accept=True, note=None):
    return quarter_store.decide(loader.load(data_dir), keys, user, accept, note)


def close_everything_else(data_dir, quarter, side, user):
    """Close ``side``'s half, marking whatever is still pending «not received»."""
    dataset = loader.load(data_dir)
    marked = {p.action: "no report came" for p in quarters.pending(dataset, quarter, side, {})}
    return quarter_store.close(data_dir, quarter, user, side=side, not_received=marked)


def test_a_report_goes_from_draft_to_submitted_to_accepted_or_back_through_returned(data_dir):
    save(data_dir, WAITING, OMSK, state="draft", progress=65)
    assert report_of(data_dir, WAITING)[1].state == "draft"
    assert not report_of(data_dir, WAITING)[1].counts
    save(data_dir, WAITING, OMSK, state="submitted")
    done, refused = decide(data_dir, [WAITING], OMSK_COORDINATOR, accept=False, note="Укажите номер протокола")
    assert done == [WAITING] and not refused
    returned = report_of(data_dir, WAITING)[1]
    assert (returned.state, returned.note) == ("returned", "Укажите номер протокола")
    save(data_dir, WAITING, OMSK, progress=70, evidence=["Протокол № 7 от 02.12.2026"])
    assert report_of(data_dir, WAITING)[1].state == "draft"  # corrected by its authors: a draft again
    assert report_of(data_dir, WAITING)[1].note is None
    save(data_dir, WAITING, OMSK, state="submitted")
    assert decide(data_dir, [WAITING], OMSK_COORDINATOR)[0] == [WAITING]
    assert report_of(data_dir, WAITING)[1].state == "accepted"
    ops = [e.op for e in history.read(data_dir)[0] if e.report == WAITING]
    assert "return" in ops and ops[-1] == "accept"
    assert all(e.user for e in history.read(data_dir)[0] if e.report == WAITING)


def test_only_submitted_and_accepted_reports_set_the_figures(data_dir):
    before = loader.load(data_dir).action("po-024").progress
    save(data_dir, WAITING, OMSK, state="draft", progress=95)
    assert loader.load(data_dir).action("po-024").progress != 95
    save(data_dir, WAITING, OMSK, state="submitted")
    assert loader.load(data_dir).action("po-024").progress == 95 != before


def test_a_return_without_a_note_is_refused(data_dir):
    done, refused = decide(data_dir, [WAITING], OMSK_COORDINATOR, accept=False, note="  ")
    assert not done and refused[0][1].kind == "review_note"


def test_an_editor_cannot_accept_nor_change_an_accepted_report(data_dir):
    save(data_dir, WAITING, OMSK, state="accepted")
    assert report_of(data_dir, WAITING)[1].state == "submitted"  # an editor's save submits, never accepts
    done, refused = decide(data_dir, [WAITING], OMSK)
    assert not done and refused[0][1].kind == "review_coordinator"
    decide(data_dir, [WAITING], OMSK_COORDINATOR)
    with pytest.raises(store.Forbidden) as caught:
        save(data_dir, WAITING, OMSK, progress=80)
    assert caught.value.kind == "review_accepted"


def test_one_sides_coordinator_cannot_touch_the_others_reports(data_dir):
    done, refused = decide(data_dir, ["2026-Q4/po-038-pavlodar"], OMSK_COORDINATOR)
    assert not done and refused[0][1].kind == "not_your_report_side"
    assert decide(data_dir, ["2026-Q4/po-038-pavlodar"], PAVLODAR_COORDINATOR)[0] == ["2026-Q4/po-038-pavlodar"]
    with pytest.raises(store.Forbidden):
        quarter_store.close(data_dir, "2026-Q4", OMSK_COORDINATOR, side="pavlodar")


def test_several_reports_are_accepted_at_once_and_each_refusal_named(data_dir):
    keys = ["2026-Q4/po-008-omsk", WAITING, "2026-Q4/po-005-omsk"]  # the last was returned, not submitted
    done, refused = decide(data_dir, keys, OMSK_COORDINATOR)
    assert done == keys[:2]
    assert [(k, r.kind) for k, r in refused] == [("2026-Q4/po-005-omsk", "review_not_submitted")]


def test_a_coordinators_correction_before_accepting_is_recorded_as_theirs(data_dir):
    save(data_dir, WAITING, OMSK_COORDINATOR, state="accepted", progress=62)
    entry = [e for e in history.read(data_dir)[0] if e.report == WAITING][-1]
    assert entry.user == OMSK_COORDINATOR.name and entry.after["progress"] == 62
    assert report_of(data_dir, WAITING)[1].updated_by == OMSK_COORDINATOR.name


def test_an_editor_limited_to_bodies_reports_only_on_their_actions(data_dir, tmp_path, monkeypatch):
    accounts = tmp_path / "users.yaml"
    monkeypatch.setenv("COOPPLAN_USERS", str(accounts))
    auth.add_user("omsk.sport", "omsk", "long enough password", path=accounts, bodies=["Nobody we know"])
    limited = auth.User("omsk.sport", "omsk")
    with pytest.raises(store.Forbidden) as caught:
        save(data_dir, WAITING, limited, progress=61)
    assert caught.value.kind == "not_your_body"
    save(data_dir, WAITING, OMSK, progress=61)  # an account naming no bodies reports for the whole side


def test_a_transition_is_undone_like_any_change(data_dir):
    decide(data_dir, [WAITING], OMSK_COORDINATOR)
    entry = [e for e in history.read(data_dir)[0] if e.report == WAITING][-1]
    with pytest.raises(store.Forbidden):
        store.undo(data_dir, entry, OMSK)  # an editor does not take back an acceptance
    store.undo(data_dir, entry, OMSK_COORDINATOR)
    assert report_of(data_dir, WAITING)[1].state == "submitted"


def test_a_side_cannot_close_while_reports_are_pending_and_is_told_which(data_dir):
    with pytest.raises(store.StoreError) as caught:
        quarter_store.close(data_dir, "2026-Q4", OMSK_COORDINATOR)
    assert caught.value.kind == "close_pending"
    assert "po-024: report submitted" in caught.value.message and "po-005: report returned" in caught.value.message
    assert not quarter_file.path_of(data_dir, "2026-Q4").exists()


def test_a_not_received_report_needs_a_reason(data_dir):
    with pytest.raises(store.StoreError) as caught:
        quarter_store.close(data_dir, "2026-Q4", OMSK_COORDINATOR, not_received={"po-005": " "})
    assert caught.value.kind == "not_received_reason"


def test_a_disagreement_must_be_agreed_by_both_coordinators_or_noted_before_a_side_closes(data_dir):
    dataset = loader.load(data_dir)
    open_ones = [p.action for p in quarters.pending(dataset, "2026-Q3", "omsk", {}) if p.kind == "disagreement_open"]
    assert open_ones == []  # shipped: po-014 agreed by both, po-018 and po-028 noted
    (data_dir / "quarters" / "2026-Q3.yaml").write_text(
        (data_dir / "quarters" / "2026-Q3.yaml").read_text().split("settlements:")[0], encoding="utf-8"
    )
    dataset = loader.load(data_dir)
    assert {"po-014", "po-018", "po-028"} <= {
        p.action for p in quarters.pending(dataset, "2026-Q3", "omsk", {}) if p.kind == "disagreement_open"
    }
    made = quarter_store.settle(data_dir, "2026-Q3", "po-014", OMSK_COORDINATOR, status="in_progress", progress=40)
    assert not made.settled
    made = quarter_store.settle(data_dir, "2026-Q3", "po-014", PAVLODAR_COORDINATOR, status="in_progress", progress=40)
    assert made.settled and made.by == {"omsk": OMSK_COORDINATOR.name, "pavlodar": PAVLODAR_COORDINATOR.name}
    quarter_store.settle(data_dir, "2026-Q3", "po-018", OMSK_COORDINATOR, noted=True)
    dataset = loader.load(data_dir)
    left = [p.action for p in quarters.pending(dataset, "2026-Q3", "omsk", {}) if p.kind == "disagreement_open"]
    assert left == ["po-028"]


def test_a_quarter_closed_by_both_sides_refuses_every_write_to_its_reports(data_dir):
    key = "2026-Q2/po-001-omsk"
    for user in (OMSK, OMSK_COORDINATOR, ADMIN):
        with pytest.raises(store.Forbidden) as caught:
            save(data_dir, key, user, done={"ru": "Исправлено задним числом"})
        assert caught.value.kind == "quarter_closed"
        assert "closed 2026-Q2" in caught.value.message
    with pytest.raises(store.Forbidden):
        store.delete_report(data_dir, key, ADMIN, report_of(data_dir, key)[0])
    assert loader.check(data_dir)[1] == []


def test_an_undo_into_a_closed_half_is_refused(data_dir):
    decide(data_dir, [WAITING], OMSK_COORDINATOR)
    entry = [e for e in history.read(data_dir)[0] if e.report == WAITING][-1]
    close_everything_else(data_dir, "2026-Q4", "omsk", OMSK_COORDINATOR)
    with pytest.raises(store.Forbidden) as caught:
        store.undo(data_dir, entry, OMSK_COORDINATOR)
    assert caught.value.kind == "quarter_closed"


def test_an_administrators_exception_lets_one_report_change_and_is_recorded(data_dir):
    key = "2026-Q2/po-007-omsk"
    until = dt.date.today() + dt.timedelta(days=30)
    with pytest.raises(store.Forbidden):
        quarter_store.reopen(data_dir, "2026-Q2", "po-007", "omsk", until, "протокол пересчитан", OMSK_COORDINATOR)
    quarter_store.reopen(data_dir, "2026-Q2", "po-007", "omsk", until, "протокол пересчитан", ADMIN)
    save(data_dir, key, OMSK, done={"ru": "Исправленный текст отчёта"})
    assert report_of(data_dir, key)[1].state == "submitted"  # the correction goes to its coordinator again
    save(data_dir, key, OMSK_COORDINATOR, state="accepted")
    closing, _ = quarter_file.read(data_dir, "2026-Q2")
    (opening,) = closing.exceptions
    assert [u.by for u in opening.uses] == [OMSK.name, OMSK_COORDINATOR.name]
    assert loader.check(data_dir)[1] == []  # the uses keep the closed half's fingerprints true
    with pytest.raises(store.Forbidden):  # only that action and side
        save(data_dir, "2026-Q2/po-011-omsk", OMSK_COORDINATOR, progress=1)


def test_an_expired_exception_opens_nothing(data_dir):
    quarter_store.reopen(data_dir, "2026-Q2", "po-007", "omsk", dt.date.today(), "до конца дня", ADMIN)
    path = quarter_file.path_of(data_dir, "2026-Q2")
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    path.write_text(re.sub(r"until: .*", f"until: {yesterday}", path.read_text()), encoding="utf-8")
    with pytest.raises(store.Forbidden) as caught:
        save(data_dir, "2026-Q2/po-007-omsk", ADMIN, progress=1)
    assert caught.value.kind == "quarter_closed"


def test_a_closed_quarters_report_changed_by_hand_is_caught_by_validate(data_dir, capsys):
    path = data_dir / "reports" / "2026-Q2" / "po-001-omsk.yaml"
    path.write_text(re.sub(r"(?m)^date: .*$", "date: 2026-07-01", path.read_text()), encoding="utf-8")
    problems = loader.check(data_dir)[1]
    assert [p.kind for p in problems] == ["closed_quarter_changed"]
    assert cli.main(["validate", str(data_dir)]) == 1
    assert "changed after omsk closed 2026-Q2" in capsys.readouterr().out


def test_a_close_cut_short_leaves_no_half_done_close(data_dir, monkeypatch):
    dataset = loader.load(data_dir)
    marked = {p.action: "no report came" for p in quarters.pending(dataset, "2026-Q4", "omsk", {})}
    decide(data_dir, [WAITING, "2026-Q4/po-008-omsk"], OMSK_COORDINATOR)
    marked.pop("po-024"), marked.pop("po-008")

    def crash(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(history, "append", crash)
    with pytest.raises(store.StoreError) as caught:
        quarter_store.close(data_dir, "2026-Q4", OMSK_COORDINATOR, not_received=marked)
    assert caught.value.kind == "write_failed"
    assert not quarter_file.path_of(data_dir, "2026-Q4").exists()
    monkeypatch.undo()
    closing = quarter_store.close(data_dir, "2026-Q4", OMSK_COORDINATOR, not_received=marked)
    assert list(closing.sides) == ["omsk"] and not closing.closed


def test_the_quarter_is_closed_when_both_sides_closed_it(data_dir):
    close_everything_else(data_dir, "2026-Q3", "omsk", OMSK_COORDINATOR)
    closing, _ = quarter_file.read(data_dir, "2026-Q3")
    assert closing.closed and closing.sides["omsk"].closed_by == OMSK_COORDINATOR.name
    state = quarters.state(loader.load(data_dir), "2026-Q3")
    assert state["omsk"].closed is not None and state["omsk"].pending == ()
    with pytest.raises(store.StoreError) as caught:
        close_everything_else(data_dir, "2026-Q3", "omsk", OMSK_COORDINATOR)
    assert caught.value.kind == "quarter_closed"


def test_the_shipped_quarters_are_as_described(data_dir):
    closed = {q: quarter_file.read(data_dir, q)[0] for q in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")}
    assert closed["2026-Q1"].closed and closed["2026-Q2"].closed
    assert list(closed["2026-Q3"].sides) == ["pavlodar"] and closed["2026-Q4"] is None
    states = [r.state for r in loader.load(data_dir).reports]
    assert states.count("returned") >= 2 and states.count("submitted") >= 3


def test_the_command_line_shows_closes_and_reopens_a_quarter(data_dir, tmp_path, monkeypatch, capsys):
    accounts = tmp_path / "users.yaml"
    monkeypatch.setenv("COOPPLAN_USERS", str(accounts))
    auth.add_user("omsk.coordinator", "omsk-coordinator", "long enough password", path=accounts)
    auth.add_user("admin", "admin", "long enough password", path=accounts)
    assert cli.main(["quarter", "2026-Q3", "--data", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "pavlodar\tclosed 2026-10-22" in out and "omsk\topen" in out and "pending: po-036" in out
    assert cli.main(["close", "--period", "2026-Q3", "--as", "omsk.coordinator", "--data", str(data_dir)]) == 1
    assert "po-036: report submitted" in capsys.readouterr().err
    decide(data_dir, ["2026-Q3/po-011-omsk", "2026-Q3/po-036-omsk"], OMSK_COORDINATOR)
    marks = [arg for a in ("po-005", "po-016", "po-040") for arg in ("--not-received", f"{a}=не поступил")]
    args = ["close", "--period", "2026-Q3", "--as", "omsk.coordinator", *marks, "--data", str(data_dir)]
    assert cli.main(args) == 0
    assert "the quarter is closed" in capsys.readouterr().err
    args = ["reopen", "--period", "2026-Q3", "--action", "po-018", "--side", "omsk", "--until", "2099-01-31"]
    assert cli.main([*args, "--reason", "ошибка в протоколе", "--as", "admin", "--data", str(data_dir)]) == 0
    assert cli.main(["quarter", "2026-Q3", "--data", str(data_dir)]) == 0
    assert "exception: po-018 until 2099-01-31" in capsys.readouterr().out


def test_the_api_gives_each_reports_state_and_each_quarters_close(data_dir):
    from tests.helpers import web_client

    client = web_client()
    report = client.get("/api/v1/reports/po-005-omsk-2026-Q4").json()
    assert report["state"] == "returned" and report["note"]
    quarter = client.get("/api/v1/quarters/2026-Q3").json()
    assert quarter["closed"] is False
    assert quarter["sides"]["pavlodar"]["closed"].startswith("2026-10-22")
    assert "closed_by" not in quarter["sides"]["pavlodar"]  # account names reach signed-in clients only
    assert {"action": "po-036", "kind": "report_pending", "state": "submitted"} in quarter["sides"]["omsk"]["pending"]
    assert client.get("/api/v1/quarters/2026-Q2").json()["closed"] is True
    assert client.get("/api/v1/quarters/2031-Q9").status_code == 404


def test_the_form_import_refuses_rows_for_a_closed_quarter_or_an_accepted_report(data_dir):
    from coopplan.exchange import exports, report_import
    from tests.test_report_forms import fill

    dataset = loader.load(data_dir)
    today = dt.date(2026, 12, 7)
    cells = {"done_ru": "Исправлено после закрытия", "date": "05.12.2026"}
    closed = exports.reports_form(dataset, dataset.actions, "omsk", "2026-Q2", today, "ru")
    found = report_import.read(fill(closed, {"po-007": cells}))
    row = next(r for r in report_import.preview(found, dataset, today) if r.action_id == "po-007")
    assert row.kind == "invalid" and [p.kind for p in row.reasons] == ["quarter_closed"]
    assert report_import.say(row.reasons[0], row.row, "ru", found).startswith(f"Строка {row.row}: Сторона закрыла")
    open_form = exports.reports_form(dataset, dataset.actions, "omsk", "2026-Q4", today, "ru")
    found = report_import.read(fill(open_form, {"po-044": cells}))
    row = next(r for r in report_import.preview(found, dataset, today) if r.action_id == "po-044")
    assert [p.kind for p in row.reasons] == ["review_accepted"]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_closed_quarters_implementation_report_drops_the_draft_mark_and_says_who_closed_it(lang):
    import io

    from docx import Document

    from coopplan.exchange import exports
    from coopplan.views.filters import Filters

    dataset = loader.load(loader.Path(__file__).parent.parent / "data")
    draft = {"kk": "ЖОБА", "ru": "ПРОЕКТ"}[lang]

    def opened(quarter):
        data = exports.implementation(dataset, dataset.actions, quarter, Filters(), dt.date(2026, 12, 7), "docx", lang)
        document = Document(io.BytesIO(data))
        header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
        return header, "\n".join(p.text for p in document.paragraphs[:12])

    header, start = opened("2026-Q2")
    assert draft not in header
    assert start.count({"kk": "жапты", "ru": "закрыт координатором"}[lang]) == 2
    text = "\n".join(
        p.text
        for p in Document(
            io.BytesIO(
                exports.implementation(
                    dataset, dataset.actions, "2026-Q2", Filters(), dt.date(2026, 12, 7), "docx", lang
                )
            )
        ).paragraphs
    )
    assert text.count({"kk": "үйлестіруші қабылдады", "ru": "принято координатором"}[lang]) == 2
    header, start = opened("2026-Q3")  # closed by Pavlodar alone: still a draft
    assert draft in header and start.count({"kk": "жапты", "ru": "закрыт координатором"}[lang]) == 1


def test_a_save_through_an_exception_that_changes_nothing_records_no_use(data_dir):
    key = "2026-Q2/po-007-omsk"
    quarter_store.reopen(data_dir, "2026-Q2", "po-007", "omsk", dt.date.today(), "протокол пересчитан", ADMIN)
    version, report = report_of(data_dir, key)
    assert store.save_report(data_dir, report, OMSK_COORDINATOR, version).entry is None  # nothing written
    assert quarter_file.read(data_dir, "2026-Q2")[0].exceptions[0].uses == []
    save(data_dir, key, OMSK_COORDINATOR, progress=report.progress - 1 if report.progress else 1)
    assert [u.by for u in quarter_file.read(data_dir, "2026-Q2")[0].exceptions[0].uses] == [OMSK_COORDINATOR.name]
    assert loader.check(data_dir)[1] == []


def test_each_review_step_is_named_in_the_history_and_undone_back_to_where_it_began(data_dir):
    version, first = report_of(data_dir, WAITING)
    steps = [
        (OMSK, {"state": "draft", "progress": 65}, "edit"),
        (OMSK, {"state": "submitted"}, "submit"),
        (OMSK_COORDINATOR, {"state": "returned", "note": "Укажите номер протокола"}, "return"),
        (OMSK, {"progress": 70}, "edit"),  # corrected by its authors: a draft again
        (OMSK, {"state": "submitted"}, "submit"),
        (OMSK_COORDINATOR, {"state": "accepted"}, "accept"),
    ]
    for user, changes, _ in steps:
        save(data_dir, WAITING, user, **changes)
    entries = [e for e in history.read(data_dir)[0] if e.report == WAITING]
    assert [(e.op, e.user) for e in entries] == [(op, user.name) for user, _, op in steps]
    assert all(e.at is not None for e in entries)
    for entry in reversed(entries):  # each undone by the one who may take that step back
        store.undo(data_dir, entry, OMSK_COORDINATOR)
    assert report_of(data_dir, WAITING)[1].model_dump(exclude={"updated", "updated_by"}) == first.model_dump(
        exclude={"updated", "updated_by"}
    )


def test_settling_needs_a_disagreement_and_one_sides_coordinator_settles_only_for_their_side(data_dir):
    with pytest.raises(store.StoreError) as caught:  # po-001: both sides agree in 2026-Q3
        quarter_store.settle(data_dir, "2026-Q4", "po-001", OMSK_COORDINATOR, noted=True)
    assert caught.value.kind == "settle_no_disagreement"
    with pytest.raises(store.Forbidden):
        quarter_store.settle(data_dir, "2026-Q3", "po-014", OMSK_COORDINATOR, noted=True, side="pavlodar")
    with pytest.raises(store.Forbidden):
        quarter_store.settle(data_dir, "2026-Q3", "po-014", OMSK, noted=True)


def test_an_exception_opens_a_report_the_side_closed_with_and_says_why(data_dir):
    until = dt.date.today() + dt.timedelta(days=30)
    with pytest.raises(store.StoreError) as caught:
        quarter_store.reopen(data_dir, "2026-Q2", "po-007", "omsk", until, "  ", ADMIN)
    assert caught.value.kind == "reopen_reason"
    closing = quarter_file.read(data_dir, "2026-Q2")[0].sides["omsk"]
    stranger = next(
        a.id for a in loader.load(data_dir).actions if a.id not in {*closing.reports, *closing.not_received}
    )
    with pytest.raises(store.StoreError) as caught:
        quarter_store.reopen(data_dir, "2026-Q2", stranger, "omsk", until, "нет такого отчёта", ADMIN)
    assert caught.value.kind == "reopen_no_report"
    assert quarter_file.read(data_dir, "2026-Q2")[0].exceptions == []


def test_the_history_names_a_quarters_close_settlement_and_exception(data_dir):
    from coopplan.views import texts

    quarter_store.reopen(data_dir, "2026-Q2", "po-007", "omsk", dt.date.today(), "протокол пересчитан", ADMIN)
    entry = history.read(data_dir)[0][-1]
    view = view_of(loader.load(data_dir), "ru")
    subject = "исключение по мероприятию po-007 (Омская область, II квартал 2026 г.)"
    assert (texts.history_subject(view, entry)[0], texts.history_op(view, entry)) == (subject, "открыто")
