"""The hostile data corpus (tests/corpus/): for every broken or malicious data
folder the command line prints exactly the expected problems and every page
shows them, with the valid actions still there, no traceback, and bounded
time and memory."""

import contextlib
import io
import json
import os
import re
import resource
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coopplan import cli, i18n
from coopplan.data import loader, model
from coopplan.ui.navigation import PAGE_FILES
from tests.browser import Server, screenshot, wait_idle
from tests.corpus import CORPUS, build, cases
from tests.helpers import ROOT

CASES = cases()
# Generous bounds: a refused alias bomb or 100,000 brackets must cost about as much
# as any file, not minutes or gigabytes; the figures are in benchmarks/bench_corpus.py.
MAX_SECONDS = 20
MAX_GROWTH = 100 * 1024 * 1024  # bytes of resident memory
PAYLOAD_RAN = Path("/tmp/coopplan-corpus-pwned")  # what tests/corpus/python_tag would make
PROBLEM = re.compile(r"^(.*):(\d+): (.*)$")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each case's data folder, built once for all the tests of this module."""
    folders = {}

    def folder(name: str) -> Path:
        if name not in folders:
            folders[name] = build(name, tmp_path_factory.mktemp(name))
        return folders[name]

    return folder


def validate_in_child(data: Path) -> dict:
    """``python -m coopplan validate data`` (its main function) run in a forked
    child from the folder holding ``data``: exit code, printed lines, seconds, and
    how much the child's resident memory grew (libyaml's C allocations included).
    A child that outlives MAX_SECONDS is killed and reported as such."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            os.chdir(data.parent)
            resident = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            out = io.StringIO()
            started = time.perf_counter()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                code = cli.main(["validate", "data"])
            grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - resident) * 1024
            report = {
                "code": code,
                "lines": out.getvalue().splitlines(),
                "seconds": time.perf_counter() - started,
                "grew": grew,
            }
            with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
                json.dump(report, pipe)
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as pipe:
        ready, _, _ = select.select([pipe], [], [], MAX_SECONDS)
        if not ready:
            os.kill(pid, signal.SIGKILL)
        report = json.loads(pipe.read() or "null") if ready else {"timeout": MAX_SECONDS}
    os.waitpid(pid, 0)
    return report


def test_the_corpus_has_every_kind_of_hostile_file_the_issue_names():
    names = {case.name for case in CASES}
    for needed in (
        "alias_bomb",
        "deep_flow_nesting",
        "huge_scalar",
        "python_tag",
        "utf16",
        "cp1251",
        "binary_png",
        "wrong_types",
        "duplicate_id",
        "path_like_ids",
        "missing_memorandum",
        "symlink_out_of_data",
    ):
        assert needed in names
    assert all(case.expect or case.name == "bom_and_crlf" for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_problem_of_the_corpus_has_advice_in_each_language(case, built):
    kinds = {p.kind for p in loader.load(built(case.name)).problems}
    for lang in model.LANGS:
        assert not {k for k in kinds if f"problem.{k}" not in i18n.catalog(lang)}, lang


def test_the_corpus_readme_lists_every_case():
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z0-9_]+)` \|", readme, flags=re.M)
    assert listed == [case.name for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_cli_prints_the_expected_problems_in_bounded_time_and_memory(case, built):
    data = built(case.name)
    assert not PAYLOAD_RAN.exists()
    report = validate_in_child(data)
    assert report["lines"] == case.expect
    assert report["code"] == (1 if case.expect else 0)
    assert report["seconds"] < MAX_SECONDS and report["grew"] < MAX_GROWTH, report
    assert len(loader.load(data).actions) == case.valid
    assert not PAYLOAD_RAN.exists()  # the python_tag case's command never ran


@pytest.mark.parametrize("name", ["alias_bomb", "hostile_file_names", "fifo"])
def test_the_real_command_prints_the_same_and_no_traceback(name, built):
    data = built(name)
    run = subprocess.run(
        [sys.executable, "-m", "coopplan", "validate", "data"],
        cwd=data.parent,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 1
    assert run.stdout.splitlines() == next(c for c in CASES if c.name == name).expect
    assert "Traceback" not in run.stderr and not run.stderr.strip()


def page_problems(at) -> list[str]:
    """The lines of the problems box (the share link is a code block too)."""
    header = i18n.t("en", "problems.header")
    boxes = [box for box in at.expander if box.label.startswith(header)]
    return [line for box in boxes for block in box.code for line in block.value.splitlines()]


@pytest.mark.parametrize("page", list(PAGE_FILES))
@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_page_shows_the_problems_and_the_valid_actions(case, page, built, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("COOPPLAN_DATA", str(built(case.name)))
    at = AppTest.from_file(str(ROOT / PAGE_FILES[page]), default_timeout=MAX_SECONDS)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    shown = page_problems(at)
    assert len(shown) == len(case.expect)
    for expected, line in zip(case.expect, shown, strict=True):
        file, number, message = PROBLEM.match(expected).groups()
        # the page names the file as the command does, and puts the advice before the rule
        assert line.startswith(f"{file}:{number}: ") and line.endswith(f" — {message}"), (expected, line)
    if page == "overview":
        assert at.metric[0].value == str(case.valid)
    if page == "plan":
        assert at.markdown[0].value == f"**{case.valid} actions of {case.valid} match the filters**"


@pytest.mark.browser
def test_a_broken_data_folder_in_the_browser(browser, tmp_path):
    data = build("hostile_file_names", tmp_path)
    served = Server(data, {"COOPPLAN_USERS": str(tmp_path / "users.yaml")})
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    try:
        tab = context.new_page()
        tab.goto(served.url + "/plan?lang=ru")
        wait_idle(tab)
        shown = tab.locator('[data-testid="stExpander"]').first.inner_text()
        assert f"{i18n.t('ru', 'problems.header')} (27)" in shown
        # the escape sequence and the line break in the names are shown as escapes, one problem a line
        assert "po-\\u001b[31m904.yaml:1: " in shown and "po-9\\u000a03.yaml:1: " in shown
        tab.get_by_text(re.compile("^Из 45 по фильтрам отобрано: 45")).wait_for()
        screenshot(tab, "corpus-hostile-file-names-ru")
    finally:
        context.close()
        served.stop()
