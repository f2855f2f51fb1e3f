"""Reading and writing the YAML data files safely and fast.

Reading uses libyaml's ``CSafeLoader`` with garbage collection paused (about
8x faster than the pure loader here) and refuses, with a message, what could
hurt the process: files too large, aliases (billion-laughs), nesting deep
enough to exhaust the C stack, Python tags, bytes that are not UTF-8 text;
and what YAML would get silently wrong or choke on: a key given twice (the
first value dropped), a date or number that cannot be one (2027-02-30, an
integer thousands of digits long).

Writing keeps Cyrillic readable, keys in the order given and a stable style,
so that saving an unchanged record rewrites the same bytes.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
from contextlib import contextmanager
from typing import Any

import yaml

try:
    from yaml import CSafeDumper as _BaseDumper
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # libyaml missing: same behaviour, slower
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 32
# Counting these characters bounds how deep a file can nest in flow style or
# compact block style; indentation-only nesting is bounded by MAX_FILE_BYTES.
_NESTING_BUDGET = 200


class YamlError(ValueError):
    """A file that cannot be read as data; ``line`` is 1-based (0 = whole file),
    ``kind`` names the problem as ``validate.Problem.kind`` does."""

    def __init__(self, message: str, line: int = 0, kind: str = "yaml_syntax"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.kind = kind


class _DuplicateKey(yaml.constructor.ConstructorError):
    pass


class _Loader(_BaseLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        mapping = super().construct_mapping(node, deep)
        if len(mapping) < len(node.value):  # YAML would keep the last value and drop the first silently
            seen = set()
            for key, _ in node.value:
                value = self.construct_object(key)  # as YAML reads it: 1 and 0x1 are one key
                if value in seen:
                    raise _DuplicateKey(None, None, f"key '{key.value}' is given twice; keep one", key.start_mark)
                seen.add(value)
        return mapping


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector: building many small objects otherwise
    triggers collections that cost more than the parse itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def decode(data: bytes) -> str:
    """UTF-8 text with or without a byte-order mark, or a YamlError saying where it breaks."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlError("UTF-16 text, not UTF-8; save the file as UTF-8", 1, "not_utf8")
    if b"\x00" in data:
        raise YamlError("binary file, not YAML text", data[: data.index(b"\x00")].count(b"\n") + 1, "binary")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02X}); save the file as UTF-8", line, "not_utf8"
        ) from None


def _check_structure(text: str) -> None:
    """Refuse aliases and deep nesting by walking parser events (no tree is built)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlError(
                    "anchors and aliases (&, *) are not allowed; write the values out",
                    event.start_mark.line + 1,
                    "alias",
                )
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError(f"nested more than {MAX_DEPTH} levels deep", event.start_mark.line + 1, "too_deep")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc) from None
    except yaml.reader.ReaderError as exc:  # a control character, met here before the load below
        raise _control_character(text, exc) from None


def _control_character(text: str, exc: yaml.reader.ReaderError) -> YamlError:
    line = text.encode("utf-8")[: exc.position].count(b"\n") + 1  # libyaml counts bytes
    return YamlError(f"control character U+{exc.character:04X} is not allowed in YAML text", line, "control_character")


def _syntax_error(exc: yaml.MarkedYAMLError) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    kind = "duplicate_key" if isinstance(exc, _DuplicateKey) else "yaml_syntax"
    if "maximum nesting depth" in problem:  # libyaml's own limit, met before ours in flow style
        return YamlError(f"nested more than {MAX_DEPTH} levels deep", mark.line + 1 if mark else 0, "too_deep")
    if exc.problem and "constructor for the tag" in exc.problem:
        problem, kind = f"tag {exc.problem.split(' tag ', 1)[-1]} is not allowed", "tag"
    return YamlError(f"YAML syntax: {problem}", mark.line + 1 if mark else 0, kind)


def _looks_risky(text: str) -> bool:
    return (
        "&" in text
        or "*" in text
        or text.count("[") + text.count("{") + text.count("-") + text.count("?") > _NESTING_BUDGET
    )


def loads(data: bytes, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Parse one YAML document from raw bytes; raises YamlError with a line."""
    if len(data) > max_bytes:
        raise YamlError(f"file is {len(data):,} bytes, more than the {max_bytes:,} allowed", 0, "too_large")
    return parse(decode(data))


def parse(text: str) -> Any:
    """Parse one YAML document from decoded text; raises YamlError with a line."""
    if _looks_risky(text):
        _check_structure(text)
    try:
        if not gc.isenabled():  # a loader that reads many files pauses it once for all
            return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
        with gc_paused():
            return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc) from None
    except yaml.reader.ReaderError as exc:
        raise _control_character(text, exc) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML: {exc}") from None
    except RecursionError:
        raise YamlError(f"nested more than {MAX_DEPTH} levels deep", 0, "too_deep") from None
    except (ValueError, OverflowError) as exc:
        raise _unreadable_value(text, exc) from None


_VALUE_NAMES = {
    "tag:yaml.org,2002:int": "whole number",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:timestamp": "date",
}


def _unreadable_value(text: str, exc: Exception) -> YamlError:
    """Where a value that YAML reads as a number or a date cannot be one (the
    date 2026-13-45, an integer thousands of digits long): the constructor does
    not say, so the scalars are constructed one by one, only on this slow path."""
    probe = _Loader(text)
    try:
        stack = [probe.get_single_node()]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                try:
                    probe.construct_object(node)
                except (ValueError, OverflowError):
                    shown = node.value if len(node.value) <= 40 else f"{node.value[:40]}…"
                    what = _VALUE_NAMES.get(node.tag, "value")
                    return YamlError(
                        f"{shown} is not a valid {what}; correct it, or quote it to keep it as text",
                        node.start_mark.line + 1,
                        "bad_value",
                    )
            elif isinstance(node, yaml.MappingNode):
                stack.extend(part for pair in node.value for part in pair)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
    finally:
        probe.dispose()
    return YamlError(f"a value cannot be read: {exc}", 0, "bad_value")


def key_lines(text: str) -> dict[tuple, int]:
    """1-based line of every key and item, by path: {("indicators", 0, "target"): 12}.

    Only called for files that have problems, so valid files cost nothing.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return {}
    lines: dict[tuple, int] = {}
    stack = [((), root)]
    while stack:
        path, node = stack.pop()
        if node is None:
            continue
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = (*path, key.value)
                lines[sub] = key.start_mark.line + 1
                stack.append((sub, value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                stack.append(((*path, index), item))
    return lines


class _Dumper(_BaseDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the loader refuses aliases, so never write them


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text as a block scalar, so a diff shows the changed line.
    style = "|" if "\n" in value and value == value.strip(" ") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(dt.datetime, lambda d, v: d.represent_scalar("tag:yaml.org,2002:timestamp", v.isoformat()))


def dumps(value: Any) -> str:
    """YAML text with Cyrillic as is, keys in the given order, block style."""
    return yaml.dump(
        value,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,  # one line per value, so an edit is a one-line diff
        indent=2,
    )


def leading_comments(text: str) -> str:
    """The comment lines a file begins with, kept when a program writes it again."""
    lines = text.splitlines(keepends=True)
    return "".join(itertools.takewhile(lambda line: line.startswith("#"), lines))
