"""The README's nginx configuration, made runnable in a test: the same text, listening on an
unprivileged loopback port without TLS, before the test's own app servers, writing only into
the test's folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.helpers import ROOT

NGINX = "/usr/sbin/nginx"


def readme_block() -> str:
    """The README's one nginx configuration block, unindented."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"\n  ```nginx\n(.*?)\n  ```\n", text, re.S)
    assert found, "README.md has no ```nginx block"
    return "\n".join(line.removeprefix("  ") for line in found.group(1).splitlines())


def config(folder: Path, port: int, upstreams: list[int]) -> str:
    """A whole nginx.conf around the README's block: its upstream servers replaced by
    ``upstreams``, ``listen 443 ssl`` by the loopback ``port``, the certificates left out,
    and each answer telling which app server gave it (``X-Upstream``) and the access log
    naming it."""
    block = readme_block()
    servers = "\n".join(f"    server 127.0.0.1:{p};" for p in upstreams)
    block = re.sub(r"(?m)^    server 127\.0\.0\.1:\d+;.*\n", "", block)
    block = block.replace("upstream coopplan {\n", "upstream coopplan {\n" + servers + "\n", 1)
    block = re.sub(r"(?m)^\s*ssl_certificate.*\n", "", block)
    assert "listen 443 ssl;" in block, "the README's server no longer listens on 443"
    block = block.replace("listen 443 ssl;", f"listen 127.0.0.1:{port};")
    block = block.replace(
        "    location / {\n", "    add_header X-Upstream $upstream_addr always;\n    location / {\n", 1
    )
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"};
events {{ worker_connections 256; }}
http {{
    log_format upstreams '$request_method $uri $status $upstream_addr';
    access_log {folder / "access.log"} upstreams;
    {temp}
{block}
}}
"""


def body_limit(text: str) -> int:
    """``client_max_body_size`` of a configuration, in bytes."""
    found = re.search(r"client_max_body_size\s+(\d+)([km]?);", text)
    assert found, "no client_max_body_size"
    return int(found.group(1)) * {"": 1, "k": 1024, "m": 1024 * 1024}[found.group(2)]
