"""The registry of executing bodies (``bodies.yaml``): each body's id, region and
official name in Kazakh, Russian and English.

Actions name their bodies by registry id (``responsible: {pavlodar: [pavlodar-health]}``),
so each language shows a body by its name in that language. An entry that is no
registry id is a free name (a body not yet in the registry, typed in the edit form)
and is shown as written in every language. The file is optional: without it every
entry is a free name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import StringConstraints

from .model import LANGS, BodyName, NonEmpty, Region, _Strict

BODY_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
BodyId = Annotated[str, StringConstraints(pattern=BODY_ID_PATTERN)]


class BodyNames(_Strict):
    """A body's official name in each language: the registry is where names are complete."""

    kk: BodyName
    ru: BodyName
    en: BodyName


class Body(_Strict):
    id: BodyId
    region: Region
    name: BodyNames
    note: NonEmpty | None = None  # for the people who keep the registry: what is still to confirm


class BodiesFile(_Strict):
    """The content of ``bodies.yaml``."""

    bodies: list[Body]


# Quotes people type in place of «» and „“, and runs of spaces: a name typed or
# pasted into a spreadsheet still finds its body.
_QUOTES = re.compile("[«»„“”‟\"'’‘`]")
_SPACES = re.compile(r"\s+")


def normal_name(text: str) -> str:
    """A name as lookups compare it."""
    return _SPACES.sub(" ", _QUOTES.sub('"', text)).strip().casefold()


@dataclass(frozen=True)
class Registry:
    """The bodies of a data folder, with lookups by id and by name in any language."""

    bodies: tuple[Body, ...] = ()
    _by_id: dict[str, Body] = field(init=False, repr=False, compare=False)
    _by_name: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {b.id: b for b in self.bodies})
        by_name = {}
        for body in self.bodies:
            for lang in LANGS:
                by_name.setdefault(normal_name(getattr(body.name, lang)), body.id)
        object.__setattr__(self, "_by_name", by_name)

    def get(self, key: str) -> Body | None:
        return self._by_id.get(key)

    def region(self, key: str) -> str | None:
        """The region of a registry body; None for a free name."""
        body = self._by_id.get(key)
        return body.region if body is not None else None

    def name(self, key: str, lang: str) -> str:
        """A body's name in ``lang``; a free name as written."""
        body = self._by_id.get(key)
        return getattr(body.name, lang) if body is not None else key

    def names(self, keys, lang: str) -> list[str]:
        return [self.name(key, lang) for key in keys]

    def all_names(self, key: str) -> list[str]:
        """Every name of a body (kk, ru, en), or the free name: what a search finds it by."""
        body = self._by_id.get(key)
        return [body.name.kk, body.name.ru, body.name.en] if body is not None else [key]

    def key_for(self, text: str) -> str:
        """What an action stores for a body typed or read back: the registry id when
        ``text`` is one, or is a body's name in any language (letter case, quote marks
        and runs of spaces aside); else the free name, trimmed."""
        text = text.strip()
        if text in self._by_id:
            return text
        return self._by_name.get(normal_name(text), text)

    def of_region(self, region: str) -> list[str]:
        """The ids of the region's bodies, in the registry's order."""
        return [b.id for b in self.bodies if b.region == region]


EMPTY = Registry()
