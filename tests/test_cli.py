"""``python -m coopplan validate``: exit codes and one line per problem, never a traceback."""

import subprocess
import sys

import pytest

from coopplan import cli
from coopplan.data import loader
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
