"""The README's deployment configuration is one nginx accepts, and it lets through what the
app accepts: the biggest upload any page asks for."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from coopplan.editing import uploads
from tests import nginx


def test_the_readmes_nginx_configuration_is_one_nginx_accepts(tmp_path):
    if not Path(nginx.NGINX).exists():
        if os.environ.get("COOPPLAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"nginx is required here but not at {nginx.NGINX}")
        pytest.skip(f"Debian's nginx is not installed at {nginx.NGINX} (apt-get install nginx)")
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx.config(tmp_path, 8080, [8501, 8502]), encoding="utf-8")
    checked = subprocess.run(
        [nginx.NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True, timeout=30
    )
    assert checked.returncode == 0, checked.stderr


def test_the_readmes_nginx_lets_through_the_biggest_file_a_page_accepts():
    biggest = max(uploader.file_bytes + uploads.FRAMING for uploader in uploads.UPLOADERS.values())
    assert nginx.body_limit(nginx.readme_block()) >= biggest


def test_the_readmes_nginx_limits_the_sign_in_tries_of_one_address():
    block = nginx.readme_block()
    assert "limit_req_zone $binary_remote_addr zone=signin" in block
    assert "location = /signin {\n        limit_req zone=signin" in block
