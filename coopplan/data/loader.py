"""Load a data folder: the memorandum, the plan and every action file.

One broken file never hides the others: ``load`` returns what is valid and
the list of every problem found, and never raises for bad input.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from ..config import PROJECT_ROOT
from . import model, validate, yamlio
from .bodies import EMPTY, BodiesFile, Registry
from .files import NotAFile, inside, open_regular, shown_path
from .validate import Problem

MEMORANDUM = "memorandum.yaml"
PLAN = "plan.yaml"
BODIES = "bodies.yaml"
ACTIONS = "actions"
MAX_MEMORANDUM_BYTES = 1024 * 1024
MAX_PROBLEMS_PER_FILE = 20


@dataclass
class Dataset:
    data_dir: Path
    memorandum: model.Memorandum | None
    plan: model.Plan | None
    actions: list[model.Action] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    bodies: Registry = EMPTY  # the registry of executing bodies (empty without bodies.yaml)

    @property
    def period(self) -> model.PlanPeriod:
        return model.plan_period(self.memorandum)

    @cached_property
    def _by_id(self) -> dict[str, model.Action]:
        return {a.id: a for a in self.actions}

    def action(self, action_id: str) -> model.Action | None:
        return self._by_id.get(action_id)


def read_file(path: str | os.PathLike, shown: str, max_bytes: int) -> tuple[object, str, list[Problem]]:
    """(data, text, problems) of one YAML file; data is None when it could not be read."""
    try:
        handle, status = open_regular(path)
        with handle:
            if status.st_size > max_bytes:
                return (
                    None,
                    "",
                    [
                        Problem(
                            shown,
                            1,
                            f"file is {status.st_size:,} bytes, more than the {max_bytes:,} allowed",
                            "too_large",
                        )
                    ],
                )
            raw = handle.read()
    except NotAFile:
        return None, "", [_not_a_file(shown)]
    except FileNotFoundError:
        return None, "", [Problem(shown, 1, "file not found", "not_found")]
    except OSError as exc:
        return None, "", [Problem(shown, 1, f"cannot read the file: {exc.strerror or exc}", "unreadable")]
    try:
        text = yamlio.decode(raw)
        return yamlio.parse(text), text, []
    except yamlio.YamlError as exc:
        return None, "", [Problem(shown, max(exc.line, 1), exc.message, exc.kind)]


def _not_a_file(shown: str) -> Problem:
    return Problem(shown, 1, "not a regular file (a folder, device or pipe); refused", "not_a_file")


def _outside(shown: str) -> Problem:
    return Problem(shown, 1, "symbolic link to a file outside the data folder; refused", "symlink_outside")


def action_files(data_dir: Path) -> tuple[list[os.DirEntry], list[Problem]]:
    """The action files to read, and problems with names that cannot be actions."""
    folder = data_dir / ACTIONS
    problems: list[Problem] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except FileNotFoundError:
        return [], [Problem(shown_path(folder), 1, "folder of action files not found", "folder_not_found")]
    except OSError as exc:
        return [], [Problem(shown_path(folder), 1, f"cannot read the folder: {exc.strerror or exc}", "unreadable")]
    files = []
    for entry in entries:
        if entry.name.startswith("."):  # editors' and our own temporary files
            continue
        if not entry.name.endswith(".yaml"):
            if entry.name.endswith(".yml"):
                problems.append(
                    Problem(shown_path(Path(entry.path)), 1, "action files end in .yaml; rename it", "wrong_extension")
                )
            continue
        if entry.is_symlink() and not inside(Path(entry.path), data_dir):
            problems.append(_outside(shown_path(Path(entry.path))))
        elif entry.is_file():
            files.append(entry)
        else:
            problems.append(_not_a_file(shown_path(Path(entry.path))))
    return files, problems


def load(data_dir: str | os.PathLike) -> Dataset:
    """Everything valid in ``data_dir`` and every problem found there."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return Dataset(data_dir, None, None, [], [_no_folder(data_dir)])
    problems: list[Problem] = []
    memorandum = _load_one(model.Memorandum, data_dir / MEMORANDUM, problems, MAX_MEMORANDUM_BYTES)
    plan = _load_one(model.Plan, data_dir / PLAN, problems, yamlio.MAX_FILE_BYTES)
    bodies = _load_registry(data_dir, problems)
    files, listing_problems = action_files(data_dir)
    actions, found = _read_actions(
        [(e.name, e.path) for e in files], shown_path(data_dir / ACTIONS), memorandum, bodies
    )
    problems += listing_problems + found + _duplicates([a.id for a in actions], data_dir)
    return Dataset(data_dir, memorandum, plan, actions, problems, bodies)


def check(data_dir: str | os.PathLike, workers: int | None = None) -> tuple[int, list[Problem]]:
    """(how many actions are valid, every problem) of ``data_dir``, as ``load`` finds
    them, without keeping what was read: what ``validate`` needs. The action files are
    read by ``workers`` processes on systems that can fork (default: one a CPU when
    there are ``PARALLEL_FROM`` files or more, else one)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return 0, [_no_folder(data_dir)]
    problems: list[Problem] = []
    memorandum = _load_one(model.Memorandum, data_dir / MEMORANDUM, problems, MAX_MEMORANDUM_BYTES)
    _load_one(model.Plan, data_dir / PLAN, problems, yamlio.MAX_FILE_BYTES)
    bodies = _load_registry(data_dir, problems)
    files, listing_problems = action_files(data_dir)
    named = [(e.name, e.path) for e in files]
    if workers is None:
        workers = (os.cpu_count() or 1) if len(named) >= PARALLEL_FROM else 1
    workers = max(1, min(workers, len(named)))
    folder = shown_path(data_dir / ACTIONS)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        # Forked, the workers share the imported code and the memorandum; each sends
        # back only the ids it found valid and its problems, which pickle quickly.
        chunks = [named[i::workers] for i in range(workers)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.starmap(_check_actions, [(chunk, folder, memorandum, bodies) for chunk in chunks])
    else:
        parts = [_check_actions(named, folder, memorandum, bodies)]
    # in the order of the file names, as load reports them
    ids = [action_id for _, action_id in sorted(pair for part_ids, _ in parts for pair in part_ids)]
    found = sorted((p for _, part in parts for p in part), key=lambda p: p.file)
    return len(ids), problems + listing_problems + found + _duplicates(ids, data_dir)


# Below this many action files a second process costs more than it saves (measured: benchmarks/bench_validate.py).
PARALLEL_FROM = 1000


def _check_actions(
    files: list[tuple[str, str]], folder: str, memorandum, bodies: Registry
) -> tuple[list[tuple[str, str]], list[Problem]]:
    """(file name, id) of each valid action of ``files``, and the problems: what ``check`` keeps."""
    actions, problems = _read_actions(files, folder, memorandum, bodies)
    return [(f"{a.id}.yaml", a.id) for a in actions], problems


def _read_actions(
    files: list[tuple[str, str]], folder: str, memorandum: model.Memorandum | None, bodies: Registry = EMPTY
) -> tuple[list[model.Action], list[Problem]]:
    """The valid actions of ``files`` ((name, path), in name order) and their problems."""
    actions, problems = [], []
    with yamlio.gc_paused():  # once for all files, not per file
        for name, path in files:
            shown = f"{folder}{os.sep}{name}"
            data, text, found = read_file(path, shown, yamlio.MAX_FILE_BYTES)
            if not found:
                action, found = validate.shape_problems(model.Action, data, shown, text)
                if isinstance(data, dict):
                    found += validate.action_problems(data, name, shown, memorandum, text, bodies)
                if action is not None and not found:
                    actions.append(action)
            problems += _first_problems(sorted(found), shown)
    return actions, problems


def _duplicates(ids: list[str], data_dir: Path) -> list[Problem]:
    folder = shown_path(data_dir / ACTIONS)
    return validate.duplicate_id_problems((i, f"{folder}{os.sep}{i}.yaml") for i in ids)


def _no_folder(data_dir: Path) -> Problem:
    return Problem(shown_path(data_dir), 1, "data folder not found", "folder_not_found")


def _first_problems(found: list[Problem], shown: str) -> list[Problem]:
    """A file's first problems and how many more: thousands of lines about one
    file help nobody, and fixing the first ones often fixes the rest."""
    if len(found) <= MAX_PROBLEMS_PER_FILE:
        return found
    more = len(found) - MAX_PROBLEMS_PER_FILE
    cut = found[MAX_PROBLEMS_PER_FILE]
    return [
        *found[:MAX_PROBLEMS_PER_FILE],
        Problem(
            shown,
            cut.line,
            f"{more:,} more problems in this file from here on; fix the ones above first",
            "more_problems",
        ),
    ]


def _load_one(cls, path: Path, problems: list[Problem], max_bytes: int):
    shown = shown_path(path)
    if path.is_symlink() and not inside(path, path.parent):
        problems.append(_outside(shown))
        return None
    data, text, found = read_file(path, shown, max_bytes)
    if not found:
        loaded, found = validate.shape_problems(cls, data, shown, text)
        if loaded is not None and cls is model.Memorandum:
            found = validate.memorandum_problems(loaded, shown, text)
            if found:
                loaded = None
        if loaded is not None and cls is BodiesFile:
            found = validate.registry_problems(loaded, shown, text)
            if found:
                loaded = None
        if not found:
            return loaded
    problems.extend(found)
    return None


def _load_registry(data_dir: Path, problems: list[Problem]) -> Registry:
    """The registry of ``bodies.yaml``; empty when there is none, or when it has
    problems (they are reported, and the actions' entries are then free names)."""
    path = data_dir / BODIES
    if not path.exists() and not path.is_symlink():
        return EMPTY
    loaded = _load_one(BodiesFile, path, problems, yamlio.MAX_FILE_BYTES)
    return Registry(tuple(loaded.bodies)) if loaded is not None else EMPTY


def read_registry(data_dir: str | os.PathLike) -> Registry:
    """The registry of a data folder alone, as ``load`` reads it (the store checks every
    save with it): read again only when the file changed, which halves a save's cost."""
    path = Path(data_dir) / BODIES
    try:
        status = path.stat()
        stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
    except OSError:
        stamp = None
    return _registry_as_of(str(data_dir), stamp)


@lru_cache(maxsize=16)
def _registry_as_of(data_dir: str, stamp: tuple | None) -> Registry:
    return _load_registry(Path(data_dir), [])


def fingerprint(data_dir: str | os.PathLike) -> tuple:
    """Names, sizes and modification times of every data file: a cache key that
    changes whenever any file does (cheap: one directory scan, no reads)."""
    data_dir = Path(data_dir)
    stamps = []
    for folder in (data_dir, data_dir / ACTIONS):
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_file():
                        st = entry.stat()
                        stamps.append((entry.path, st.st_size, st.st_mtime_ns))
        except OSError:
            stamps.append((str(folder), -1, -1))
    return tuple(sorted(stamps))


def source_text(data_dir: Path, file: str) -> str | None:
    """The text of a source document named in the memorandum (``seeds/…``), looked
    up beside the data folder, then in the project; None when it is not there."""
    for base in (Path(data_dir).parent, PROJECT_ROOT):
        path = (base / file).resolve()
        if path.is_relative_to(base.resolve()) and path.is_file():
            try:
                return yamlio.decode(path.read_bytes())
            except (OSError, yamlio.YamlError):
                return None
    return None
