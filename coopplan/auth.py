"""Accounts, roles and who may change which action (issue 4 fills this in)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class User:
    name: str
    role: str  # "admin", "pavlodar" or "omsk"
