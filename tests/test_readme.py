"""The README stays true: commands, variables, URL parameters and fields it names exist, and
everything that exists is named."""

import ast
import re

from coopplan import cli
from coopplan.data import model
from coopplan.views import filters
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_two_commands_come_first():
    assert README.index("make run") < README.index("## The data")
    assert "make test" in README.split("## The data")[0]


def test_every_command_line_command_is_documented():
    commands = cli.build_parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert f"python -m coopplan {name}" in README, name


def test_every_environment_variable_is_documented():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "coopplan").rglob("*.py"))
    variables = set(re.findall(r"""["'](COOPPLAN_\w+)["']""", source))
    assert variables == {
        "COOPPLAN_DATA",
        "COOPPLAN_LANG",
        "COOPPLAN_USERS",
        "COOPPLAN_PRIVATE",
        "COOPPLAN_SESSION_IDLE",
        "COOPPLAN_SESSION_LIFETIME",
        "COOPPLAN_SMTP_HOST",
        "COOPPLAN_SMTP_PORT",
        "COOPPLAN_SMTP_SECURITY",
        "COOPPLAN_SMTP_USER",
        "COOPPLAN_SMTP_PASSWORD_FILE",
        "COOPPLAN_SMTP_TIMEOUT",
        "COOPPLAN_MAIL_FROM",
        "COOPPLAN_PUBLIC_URL",
        "COOPPLAN_REMINDER_DAYS",
    }
    for variable in variables:
        assert f"| `{variable}` |" in README


def test_every_url_parameter_is_documented():
    for param in ["lang", *filters.PARAMS]:
        assert f"| `{param}` |" in README, param


def test_the_action_example_shows_every_field_and_the_area_ids():
    example = README.split("An action file:")[1].split("```")[1]
    keys = re.findall(r"^(\w+):", example, flags=re.M)
    assert keys == list(model.Action.model_fields)
    listed = re.findall(r"`(\w+)`", README.split("Area ids:")[1].split("\n\n")[0])
    assert tuple(listed) == model.AREA_IDS


def test_the_ci_calls_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_benchmark_and_hardening_test_is_named():
    for script in (ROOT / "benchmarks").glob("bench*.py"):
        assert f"`{script.name}" in README, script.name
    named = re.findall(r"`(tests/test_\w+\.py)`", README)
    assert named and all((ROOT / path).exists() for path in named)


def test_the_architecture_names_every_module_and_only_modules_that_exist():
    table = README.split("### Architecture")[1].split("Two flows")[0]
    named = {
        m if m.startswith("coopplan/") else f"coopplan/{m}" for m in re.findall(r"^\| `([\w/]+\.py)` \|", table, re.M)
    }
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "coopplan").rglob("*.py") if not p.name.startswith("__")}
    assert named == modules


def test_every_module_says_what_it_is_for_in_its_first_line():
    for path in (ROOT / "coopplan").rglob("*.py"):
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert docstring and docstring.strip(), path


WEB_SERVING = {
    "server.py",
    "internals.py",
    "routes.py",
    "middleware.py",
    "preload.py",
    "files.py",
}  # coopplan/web's modules that serve HTTP


def test_only_the_page_helpers_and_the_web_server_import_streamlit_or_starlette():
    for path in (ROOT / "coopplan").rglob("*.py"):
        imports = re.findall(r"^\s*(?:import|from) (streamlit|starlette)\b", path.read_text(encoding="utf-8"), re.M)
        allowed = path.parent.name == "ui" or (path.parent.name == "web" and path.name in WEB_SERVING)
        assert not imports or allowed, path
