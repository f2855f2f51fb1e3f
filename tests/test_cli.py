"""``python -m coopplan validate``: exit codes and one line per problem, never a traceback."""

import csv
import io
import subprocess
import sys

import pytest

from coopplan import cli, i18n
from coopplan.data import loader
from coopplan.exchange import spreadsheet
from tests.helpers import DATA, ROOT, valid_action, write_action


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "coopplan", *args], capture_output=True, text=True, cwd=ROOT, timeout=60, env=env
    )


def test_the_tests_plan_validates_with_no_line_on_stdout():
    result = run("validate", str(DATA))
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert "valid, " in result.stderr


def test_problems_exit_1_with_one_line_each(mini_data):
    write_action(mini_data, valid_action(status="finished", end="2030"))
    write_action(mini_data, b"\xff\xfe", name="t-002")
    result = run("validate", str(mini_data))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert all(line.startswith(str(mini_data / "actions")) and line.count(":") >= 2 for line in lines)
    assert "Traceback" not in result.stdout + result.stderr


def test_the_data_folder_comes_from_the_environment(mini_data):
    import os

    write_action(mini_data, valid_action(lead="nobody"))
    result = run("validate", env={**os.environ, "COOPPLAN_DATA": str(mini_data)})
    assert result.returncode == 1 and "lead: Input should be" in result.stdout


def test_a_damaged_history_line_is_a_problem_though_its_index_was_built_before(mini_data):
    from coopplan.editing import history

    entry = history.new_entry("admin", "t-001", "edit", {}, {"status": "done"})
    history.append(mini_data, entry)
    assert history.page(mini_data).total == 1  # indexed while whole
    log = mini_data / history.FILE
    log.write_bytes(log.read_bytes().replace(b'"op": "edit"', b'"op": "e\xffit"'))  # a flipped byte on the disk
    result = run("validate", str(mini_data))
    assert result.returncode == 1
    assert result.stdout == f"{log}:1: not a history entry; skipped\n"


@pytest.mark.parametrize("target", ["missing-folder", "README.md"])
def test_not_a_data_folder(target):
    result = run("validate", target)
    assert result.returncode == 1
    assert result.stdout == f"{target}:1: data folder not found\n"


def test_unexpected_errors_are_a_message_not_a_traceback(monkeypatch, capsys):
    def explode(*_):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(loader, "check", explode)
    assert cli.main(["validate", "data"]) == 2
    assert capsys.readouterr().err == "error: RuntimeError: disk on fire\n"


def test_usage_errors_exit_2_with_usage():
    result = run("frobnicate")
    assert result.returncode == 2 and "usage:" in result.stderr and "Traceback" not in result.stderr


def test_the_import_command_previews_an_edited_plan_and_saves_it_only_when_asked(tmp_path, data_dir):
    env = {"COOPPLAN_USERS": str(tmp_path / "users.json"), "COOPPLAN_DATA": str(data_dir), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-m", "coopplan", "users", "add", "chief", "--role", "admin", "--password-stdin"],
        cwd=ROOT, input="a-long-password-1", text=True, env=env, check=True, capture_output=True,
    )  # fmt: skip
    first, second = loader.load(data_dir).actions[:2]
    rows = list(csv.DictReader(io.StringIO(spreadsheet.to_csv([first, second]).decode("utf-8-sig"))))
    rows[0]["title_ru"] = "Новое название мероприятия"
    rows[1]["end"] = "2030"
    rows.append({**rows[1], "id": "po-\x1b[2Jx", "title_ru": "\x1b]8;;http://evil\x07ссылка"})  # terminal escapes
    edited = tmp_path / "plan.csv"
    with edited.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    looked = run("import", str(edited), "--as", "chief", env=env)
    assert looked.returncode == 1 and "Traceback" not in looked.stderr  # a row has a problem
    lines = looked.stdout.splitlines()
    changed = next(line for line in lines if f"\t{first.id}\t" in line)
    assert changed.split("\t")[2:] == [
        i18n.t("ru", "import.kind.changed"),
        "Новое название мероприятия",
        "Наименование · RU",
    ]
    invalid = lines.index(next(line for line in lines if f"\t{second.id}\t" in line))
    assert "2026–2028" in lines[invalid + 1] and lines[invalid + 1].startswith("\t")
    assert "\x1b" not in looked.stdout and "\\u001b[2J" in looked.stdout  # shown, not obeyed
    assert loader.load(data_dir).action(first.id).title.ru == first.title.ru  # nothing saved
    applied = run("import", str(edited), "--as", "chief", "--apply", env=env)
    assert f"saved {first.id}" in applied.stderr
    assert loader.load(data_dir).action(first.id).title.ru == "Новое название мероприятия"
    assert loader.load(data_dir).action(second.id) == second
