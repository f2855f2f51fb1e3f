"""Real browser: an editor attaches a scanned letter and a photo to a report, a colleague
of the other side downloads them, a visitor cannot, and the implementation report lists
them; in Russian (an Omsk editor) and in Kazakh (a Pavlodar editor)."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from coopplan import i18n
from coopplan.data import loader
from coopplan.editing import quarter_store
from coopplan.editing.auth import User
from coopplan.exchange import exports
from coopplan.exchange.illustrative_evidence import document_pdf, photo_jpeg
from coopplan.views import filters
from tests.browser import screenshot, sign_in, wait_idle

pytestmark = pytest.mark.browser
CASES = {  # lang -> (editor, side, the colleague of the other side)
    "ru": ("ivanova", "omsk", ("pavl", "pavlodar")),
    "kk": ("pavl", "pavlodar", ("ivanova", "omsk")),
}


def located(jpeg: bytes) -> bytes:
    """The photo with the place it was taken in its metadata, as a phone writes it."""
    from PIL import Image

    image = Image.open(io.BytesIO(jpeg))
    exif = Image.Exif()
    exif.get_ifd(0x8825)[2] = (54.0, 58.0, 0.0)  # GPSLatitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=82)
    return out.getvalue()


def pick_report(page, lang: str, side: str) -> None:
    wanted = f"po-001 · {i18n.t(lang, f'lead.{side}')}"
    picker = page.locator('[data-testid="stSelectbox"]').filter(has_text=i18n.t(lang, "reporting.pick"))
    shown = picker.inner_text() + " ".join(i.get_attribute("value") or "" for i in picker.locator("input").all())
    if wanted in shown:
        return  # the only report the side may change here (its quarter's exception): picked already
    page.get_by_role("combobox", name=i18n.t(lang, "reporting.pick")).click()
    page.get_by_role("option").filter(has_text=wanted).click()
    wait_idle(page)


def attach_file(page, lang: str, path, kind: str, number: str, title: str) -> None:
    form = page.locator('[data-testid="stForm"]').filter(has_text=i18n.t(lang, "evidence.add"))
    form.locator('input[type="file"]').set_input_files(str(path))
    form.get_by_text(path.name).wait_for()
    chosen = i18n.t(lang, f"evidence.kind.{kind}")
    form.get_by_role("combobox", name=i18n.t(lang, "evidence.kind")).click()
    page.keyboard.type(chosen)  # typing opens the list too, should the click have landed while it redrew
    page.get_by_role("option", name=chosen, exact=True).click()
    form.get_by_role("textbox", name=i18n.t(lang, "evidence.number")).fill(number)
    form.get_by_role("textbox", name=i18n.t(lang, "evidence.title")).fill(title)
    form.get_by_role("button", name=i18n.t(lang, "evidence.submit")).click()
    page.get_by_text(i18n.t(lang, "evidence.attached", name=path.name)).first.wait_for()
    wait_idle(page)


@pytest.mark.parametrize("lang", list(CASES))
def test_an_editor_attaches_a_letter_and_a_photo_the_other_side_downloads_them_a_visitor_cannot(
    browser, page, server, tmp_path, lang
):
    editor, side, (colleague, other) = CASES[lang]
    letter = tmp_path / ("Хат № 17.pdf" if lang == "kk" else "Письмо № 17.pdf")
    letter.write_bytes(document_pdf(["ПИСЬМО № 17", "о направлении предложений", "31 марта 2026 г."]))
    photo = tmp_path / "event.jpg"
    photo.write_bytes(located(photo_jpeg("Заседание рабочей группы", ("#2d5f8b", "#e9c46a"))))
    # 2026-Q1 is closed by both sides: an administrator lets the side add its files
    until = dt.date.today() + dt.timedelta(days=7)
    quarter_store.reopen(
        server.data_dir, "2026-Q1", "po-001", side, until, "файлы не приложены", User("admin", "admin")
    )
    page.open(f"/reporting?lang={lang}&period=2026-Q1&asof=2026-04-30")
    sign_in(page, server, lang, name=editor, role=side)
    pick_report(page, lang, side)
    attach_file(page, lang, letter, "letter", "17", "Письмо о предложениях к дорожной карте")
    attach_file(page, lang, photo, "photo", "1", "Заседание рабочей группы")
    screenshot(page, f"evidence-form-{lang}")
    key = f"2026-Q1/po-001-{side}"
    mine = {r.kind: r for r in loader.load(server.data_dir).evidence if r.of == key}
    assert {"letter", "photo", "protocol"} <= set(mine) and mine["letter"].updated_by == editor
    assert mine["photo"].size != photo.stat().st_size  # saved again without its location

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    other_page = context.new_page()
    other_page.goto(f"{server.url}/plan?lang={lang}&id=po-001")
    wait_idle(other_page)
    sign_in(other_page, server, lang, name=colleague, role=other)
    other_page.locator(f'a[href="{mine["letter"].url}"]').first.wait_for()
    assert other_page.locator('[data-testid="stImage"]').count() >= 1  # the photo as a thumbnail
    screenshot(other_page, f"evidence-detail-{lang}")
    for record in (mine["letter"], mine["photo"]):
        reply = context.request.get(server.url + record.url)
        assert reply.status == 200 and reply.headers["content-disposition"].startswith("attachment")
        assert reply.body() == (server.data_dir / "files" / record.file).read_bytes()
    context.close()

    visitor = browser.new_context(viewport={"width": 1280, "height": 900})
    visitor_page = visitor.new_page()
    visitor_page.goto(f"{server.url}/plan?lang={lang}&id=po-001")
    wait_idle(visitor_page)
    visitor_page.get_by_text(i18n.t(lang, "evidence.hidden")).first.wait_for()
    assert visitor_page.locator(f'a[href="{mine["letter"].url}"]').count() == 0
    assert visitor.request.get(server.url + mine["letter"].url).status == 401
    screenshot(visitor_page, f"evidence-visitor-{lang}")
    visitor.close()

    dataset = loader.load(server.data_dir)
    made = exports.implementation(
        dataset, dataset.actions, "2026-Q1", filters.Filters(), dt.date(2026, 4, 30), "docx", lang
    )
    annex = docx.Document(io.BytesIO(made)).tables[-1]
    rows = [[c.text for c in row.cells] for row in annex.rows[1:]]
    assert any(r[4] == "17" and i18n.t(lang, "evidence.kind.letter") in r[3] for r in rows)
