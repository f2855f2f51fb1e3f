"""What a client sent, made safe to put in the server's log: one line, printable ASCII,
bounded, so that a typed name with newlines or terminal escapes cannot forge or hide
log lines."""

from __future__ import annotations

MAX_CHARS = 80


def shown(value: object, limit: int = MAX_CHARS) -> str:
    """``value`` quoted, with every character outside printable ASCII (newlines, escapes,
    Cyrillic too) written as its Python escape, and cut to ``limit`` characters."""
    text = str(value)
    cut = len(text) > limit
    escaped = text[:limit].encode("unicode_escape").decode("ascii").replace('"', '\\"')
    return f'"{escaped}"' + ("..." if cut else "")
