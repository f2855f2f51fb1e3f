"""What a page's HTML asks the browser to fetch at once, before the app's code asks.

Streamlit's frontend fetches the code of a kind of element (a table, a chart, a
drop-down list) only when the first one arrives over the WebSocket, about a second into
a load, and then, module by module, the code that one imports. Our pages draw about
ten kinds, six of them in the sidebar alone; over a distant link those waits cost the
chart pages about a second (``bench_browser.py --link``). So the HTML of a page's address now names those
modules (``<link rel="modulepreload">``), the stylesheet and the fonts they draw with,
and the browser fetches and compiles them while it waits for the server. They are asked
for at low priority: on a slow link, Streamlit's own code still comes first.

It also says where the server is. Opened at a page's own address (``/plan``), the
frontend first looks for the server under it (``/plan/_stcore/health``, a 404) and only
then one level up: a round trip more on every page but the first. ``window.__streamlit``
is the setting Streamlit reads for an app served from elsewhere; its
``BACKEND_BASE_URL`` is set to the address without the page's part.

The names are found in the installed Streamlit's files (``streamlit/static``), so they
follow its upgrades; a name it no longer has is left out, never guessed.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import streamlit

STATIC = Path(streamlit.__file__).parent / "static"
# ``import … from "./x.js"`` and ``import "./x.js"``: what a module needs before it runs
# (``import("./x.js")``, code loaded later, is left to the app).
_IMPORTS = re.compile(r'(?:\bfrom|\bimport)\s*"\./([\w.\-]+\.js)"')
_HASHED = r"\.[\w-]{8}\."  # the build's content hash in a file's name: Multiselect.DBsRqIhx.js

# Fonts drawn on every page: the navigation's and the buttons' icons, and the share
# link's address (inline code).
FONTS = ("MaterialSymbols-Rounded", "SourceCodeVF-Upright.ttf")


def _built(folder: str, name: str, suffix: str, static: Path) -> list[str]:
    """The built file of ``name`` in ``static/static/folder`` (none if this Streamlit has not)."""
    pattern = re.compile(re.escape(name) + _HASHED + suffix)
    where = static / "static" / folder
    return sorted(p.name for p in where.iterdir() if pattern.fullmatch(p.name)) if where.is_dir() else []


def modules(kinds: tuple[str, ...], static: Path = STATIC) -> list[str]:
    """The JavaScript modules that drawing ``kinds`` (the frontend's names for its
    elements: ``DataFrame``, ``Multiselect``…) needs, less those the page loads anyway."""
    js = static / "static" / "js"
    loaded = set(re.findall(r"\./static/js/([\w.\-]+\.js)", (static / "index.html").read_text(encoding="utf-8")))
    needed: set[str] = set()
    waiting = [name for kind in kinds for name in _built("js", kind, r"js", static)]
    while waiting:
        name = waiting.pop()
        if name in needed or not (js / name).is_file():
            continue
        needed.add(name)
        waiting.extend(_IMPORTS.findall((js / name).read_text(encoding="utf-8")))
    return sorted(needed - loaded)


@functools.cache
def links(kinds: tuple[str, ...], pages: tuple[str, ...], static: Path = STATIC) -> bytes:
    """The ``<head>`` lines that fetch ``kinds``' code, stylesheets and the fonts, and the
    script pointing the frontend at the server (``pages``: the pages' URL paths)."""
    lines = [
        f'<link rel="modulepreload" fetchpriority="low" crossorigin href="./static/js/{name}">'
        for name in modules(kinds, static)
    ]
    lines += [
        f'<link rel="preload" as="style" fetchpriority="low" href="./static/css/{name}">'
        for kind in kinds
        for name in _built("css", kind, r"css", static)
    ]
    lines += [
        f'<link rel="preload" as="font" type="font/woff2" fetchpriority="low" crossorigin href="./static/media/{name}">'
        for font in FONTS
        for name in _built("media", font, r"woff2", static)
    ]
    # The address less its last part when that part is a page's: where the frontend
    # would find the server after a failed first look.
    lines.append(
        "<script>(function () {"
        f"var pages = {json.dumps(list(pages))};"
        'var path = location.pathname.replace(/\\/+$/, "");'
        'var last = path.slice(path.lastIndexOf("/") + 1);'
        "if (pages.indexOf(last) < 0) return;"
        "window.__streamlit = Object.assign({}, window.__streamlit,"
        " {BACKEND_BASE_URL: location.origin + path.slice(0, path.length - last.length)});"
        "})();</script>"
    )
    return "\n".join(lines).encode()


def into_head(html: bytes, head: bytes) -> bytes:
    """``html`` with ``head`` added at the end of its ``<head>`` (unchanged if it has none)."""
    return html.replace(b"</head>", head + b"\n</head>", 1)
