"""The deployment settings the README explains are the ones shipped, and the README
names the administrator's duties."""

import tomllib

from coopplan.data import evidence
from tests.helpers import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
SHIPPED = {
    ("server", "maxUploadSize"): evidence.MAX_BYTES // (1024 * 1024),
    ("server", "enableXsrfProtection"): True,
    ("server", "enableCORS"): True,
    ("server", "enableStaticServing"): False,
    ("client", "showErrorDetails"): "none",
    ("client", "toolbarMode"): "viewer",
}


def deployment_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Deployment\n")[1].split("\n## ")[0]


def test_the_shipped_streamlit_settings():
    for (section, name), value in SHIPPED.items():
        assert CONFIG[section][name] == value, f"{section}.{name}"


def test_the_readme_deployment_section_names_every_setting_and_the_admins_duties():
    text = deployment_section()
    for (section, name), value in SHIPPED.items():
        shown = (
            str(value).lower() if isinstance(value, bool) else f'"{value}"' if isinstance(value, str) else str(value)
        )
        assert f"`{section}.{name} = {shown}`" in text, f"{section}.{name}"
    for duty in ("reverse proxy", "TLS", "COOPPLAN_USERS", "web root", "history.jsonl", "backup"):
        assert duty in text, duty
