"""Who gets mail: the accounts that have an address, with their language, side, bodies
and the kinds of mail they turned off (``editing.auth.NOTICE_KINDS``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..data.model import REGIONS
from ..editing import auth


@dataclass(frozen=True)
class Recipient:
    name: str
    role: str
    email: str
    lang: str
    bodies: tuple[str, ...]  # none: the whole side
    off: frozenset[str]  # kinds of mail turned off

    @property
    def side(self) -> str | None:
        return auth.side_of(auth.User(self.name, self.role))

    @property
    def coordinates(self) -> str | None:
        """The side this account coordinates, if it is a coordinator."""
        side = self.role.removesuffix("-coordinator")
        return side if self.role.endswith("-coordinator") and side in REGIONS else None

    def wants(self, kind: str) -> bool:
        return kind not in self.off


def mail_lang(account: dict) -> str:
    """An account's mail language: its own, else the deployment's default if kk, ru or en, else ru."""
    for lang in (account.get("lang"), config.default_lang()):
        if lang in auth.MAIL_LANGS:
            return str(lang)
    return "ru"


def recipients(path: Path | None = None) -> list[Recipient]:
    """Every account with a valid role and an address, by name."""
    found = []
    for name, account in sorted(auth.load_accounts(path).items()):
        if not isinstance(account, dict) or account.get("role") not in auth.ROLES or not account.get("email"):
            continue
        bodies = account.get("bodies")
        found.append(
            Recipient(
                str(name),
                str(account["role"]),
                str(account["email"]),
                mail_lang(account),
                tuple(str(b) for b in bodies) if isinstance(bodies, list) else (),
                frozenset(str(k) for k in account.get("notices_off") or []),
            )
        )
    return found
