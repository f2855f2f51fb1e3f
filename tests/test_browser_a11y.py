"""Real browser: every page read by axe-core, the accessibility rule engine, in kk, ru
and en, signed in (so the edit, history and import pages, the reporting form and
the approval are there too), and the sign-in page; none may have a serious or
critical finding (WCAG 2.1 A and AA rules)."""

import pytest

from coopplan.data import loader
from coopplan.data.model import LANGS
from tests import pick
from tests.browser import sign_in, wait_idle

pytestmark = pytest.mark.browser

PAGES = [
    "/",  # the overview
    "/plan?id={full}",  # an action in full: its indicator's chart and text, both sides' reports
    "/timeline",
    "/areas",
    "/reporting",  # with the form: an administrator reports for either side
    "/changes",
    "/edit?id={full}",
    "/history",
    "/import",
]
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def serious_findings(tab) -> list[str]:
    """axe-core's serious and critical violations on the page open in ``tab``, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab, options=RULES).response
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at {node['target']}: "
        + node.get("failureSummary", "").replace("\n", " ")
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]


def test_no_page_has_serious_accessibility_findings_in_any_language(page, server):
    dataset = loader.load(server.data_dir)
    both = pick.reported_by_both_sides(dataset)
    full = pick.action(dataset, "with an indicator and both sides' reports", lambda a: bool(a.indicators) and both(a))
    found = {}
    for lang in LANGS:
        page.goto(f"{server.url}/signin?lang={lang}&next=/")
        found[lang, "/signin"] = serious_findings(page)
    page.open("/?lang=en")
    sign_in(page, server, "en", name="admin", role="admin")  # once: the session serves every language
    for lang in LANGS:
        for path in (path.format(full=full.id) for path in PAGES):
            page.goto(f"{server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
            wait_idle(page)
            found[lang, path] = serious_findings(page)
    assert {where: lines for where, lines in found.items() if lines} == {}
