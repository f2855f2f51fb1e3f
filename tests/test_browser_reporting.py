"""Real browser: the Reporting page in Russian and Kazakh, an Omsk editor submitting a
report that raises Omsk's completeness, and a disagreeing joint action's detail."""

import re

import pytest

from coopplan import i18n
from coopplan.data import loader
from tests.browser import screenshot, sign_in, wait_idle

pytestmark = pytest.mark.browser
QUARTER = "period=2026-Q3&asof=2026-11-30"


def omsk_figure(page, lang: str) -> str:
    """Omsk's reports in (under the accepted ones: the metric's second line)."""
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=i18n.t(lang, "lead.omsk")).first
    return metric.locator('[data-testid="stMetricDelta"]').inner_text()


def test_an_omsk_editor_submits_a_report_and_the_completeness_rises(page, server):
    page.open(f"/reporting?lang=ru&{QUARTER}")
    assert omsk_figure(page, "ru").startswith("Представлено 13 ")
    screenshot(page, "reporting-ru")
    sign_in(page, server, "ru", name="ivanova", role="omsk")
    page.get_by_text("Отчёты вашей стороны, которые ещё предстоит представить").wait_for()
    page.get_by_role("textbox", name="Что сделано за квартал (на русском языке)").fill(
        "Проведена рабочая встреча Министерства экономики Омской области с предпринимателями"
    )
    page.get_by_role("textbox", name="Что сделано за квартал (на казахском языке)").fill(
        "Омбы облысы Экономика министрлігінің кәсіпкерлермен жұмыс кездесуі өткізілді"
    )
    screenshot(page, "reporting-form-ru")
    page.get_by_role("button", name="Представить отчёт").click()
    page.get_by_text("по мероприятию po-005 представлен").first.wait_for()
    wait_idle(page)
    assert omsk_figure(page, "ru").startswith("Представлено 14 ")  # in, waiting for its coordinator
    [report] = [
        r for r in loader.load(server.data_dir).reports_of("po-005") if r.side == "omsk" and r.period == "2026-Q3"
    ]
    assert report.updated_by == "ivanova" and report.done.kk.startswith("Омбы облысы")


def test_the_reporting_page_in_kazakh(page):
    page.open(f"/reporting?lang=kk&{QUARTER}")
    page.get_by_role("heading", name=i18n.t("kk", "reporting.title")).wait_for()
    page.get_by_text(i18n.t("kk", "reporting.disagreements")).wait_for()
    screenshot(page, "reporting-kk")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_disagreeing_joint_actions_detail(page, lang):
    page.open(f"/plan?lang={lang}&q=po-018")
    warning = page.locator('[data-testid="stAlertContentWarning"]').first
    warning.wait_for()
    assert i18n.t(lang, "lead.pavlodar") in warning.inner_text()
    page.get_by_text(i18n.t(lang, "detail.reports")).scroll_into_view_if_needed()
    wait_idle(page)
    screenshot(page, f"disagreement-{lang}")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_changes_since_approval_and_the_approved_bars_on_the_timeline(page, lang):
    page.open(f"/changes?lang={lang}")
    page.get_by_text(i18n.t(lang, "changes.metric.later")).first.wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    screenshot(page, f"changes-{lang}")
    page.open(f"/timeline?lang={lang}&area=culture_arts,tourism")
    page.get_by_text(i18n.t(lang, "timeline.baseline", version=1)).first.wait_for()  # the legend
    screenshot(page, f"timeline-baseline-{lang}")


def test_at_1366_px_the_reports_table_shows_status_and_progress_and_the_downloads_are_at_the_top(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.open(f"/reporting?lang=ru&{QUARTER}")
    downloads = page.get_by_role("button", name=i18n.t("ru", "reporting.downloads"))
    assert downloads.bounding_box()["y"] + downloads.bounding_box()["height"] <= 768  # seen without scrolling
    for table in page.locator('[data-testid="stDataFrame"]').all():  # no column cut off to the right
        table.scroll_into_view_if_needed()
        wait_idle(page)
        widths = table.locator(".dvn-scroller").evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert widths[0] <= widths[1] + 1, widths
    link = page.get_by_role("link", name="po-018", exact=False).first
    assert "id=po-018" in link.get_attribute("href")
    screenshot(page, "reporting-1366-ru")


def test_on_a_phone_the_forms_picker_shows_the_actions_title(page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.open(f"/reporting?lang=ru&{QUARTER}")
    sign_in(page, server, "ru", name="ivanova", role="omsk")
    picker = page.locator('[data-testid="stSelectbox"]').filter(has_text=i18n.t("ru", "reporting.pick"))
    picker.wait_for()
    screenshot(page, "reporting-phone-ru")
    shown = picker.inner_text() + " ".join(i.get_attribute("value") or "" for i in picker.locator("input").all())
    # the first report offered (a returned or overdue one first), by the start of its title
    assert re.match(r"[А-ЯЁ][а-яё]+ ", shown.removeprefix(i18n.t("ru", "reporting.pick")).strip())
    assert any(a.title.ru and a.title.ru[:20] in shown for a in loader.load(server.data_dir).actions)
