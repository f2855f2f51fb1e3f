"""Load a data folder: the memorandum, the plan, every action, report and baseline.

One broken file never hides the others: ``load`` returns what is valid and
the list of every problem found, and never raises for bad input. ``check`` finds
the same problems without keeping what it read, in several processes for a large
folder, for the command line.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from pathlib import Path

from ..config import PROJECT_ROOT
from . import evidence, model, quarter_file, standing, validate, yamlio
from .bodies import EMPTY, BodiesFile, Registry
from .files import NotAFile, inside, open_regular, shown_path
from .validate import Problem

MEMORANDUM = "memorandum.yaml"
PLAN = "plan.yaml"
BODIES = "bodies.yaml"
ACTIONS = "actions"
REPORTS = "reports"
BASELINES = "baselines"
# A baseline holds every action of the plan: 10,000 of them take about 8 MB.
MAX_BASELINE_BYTES = 32 * 1024 * 1024
MAX_MEMORANDUM_BYTES = 1024 * 1024
MAX_PROBLEMS_PER_FILE = 20
_QUARTER_FOLDER = re.compile(model.QUARTER_PATTERN)
# Below this many files a second process costs more than it saves (measured: benchmarks/bench_validate.py).
PARALLEL_FROM = 1000


def size_limit(path: str | os.PathLike) -> int:
    """The most bytes the file at ``path`` may hold to be read: one rule for the
    loader, which reads no more, and the store, which writes no more."""
    path = Path(path)
    if path.parent.name == BASELINES:
        return MAX_BASELINE_BYTES
    return MAX_MEMORANDUM_BYTES if path.name == MEMORANDUM else yamlio.MAX_FILE_BYTES


@dataclass
class Dataset:
    """A loaded data folder. Its actions carry the figures their reports set
    (``data.standing``)."""

    data_dir: Path
    memorandum: model.Memorandum | None
    plan: model.Plan | None
    actions: list[model.Action] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    reports: list[model.Report] = field(default_factory=list)
    baselines: list[model.Baseline] = field(default_factory=list)  # oldest first
    bodies: Registry = EMPTY  # the registry of executing bodies (empty without bodies.yaml)
    evidence: list[evidence.Attachment] = field(default_factory=list)  # the files attached to reports and actions

    @property
    def period(self) -> model.PlanPeriod:
        return model.plan_period(self.memorandum)

    @cached_property
    def _by_id(self) -> dict[str, model.Action]:
        return {a.id: a for a in self.actions}

    @cached_property
    def _reports_by_action(self) -> dict[str, list[model.Report]]:
        return _by_action(self.reports)

    def action(self, action_id: str) -> model.Action | None:
        return self._by_id.get(action_id)

    def reports_of(self, action_id: str) -> list[model.Report]:
        """The reports on an action, oldest quarter first."""
        return self._reports_by_action.get(action_id, [])

    def baseline(self, version: int | None = None) -> model.Baseline | None:
        """The baseline of ``version``, or the latest; None when there is none such."""
        if version is None:
            return self.baselines[-1] if self.baselines else None
        return next((b for b in self.baselines if b.version == version), None)


def _by_action(reports: list[model.Report]) -> dict[str, list[model.Report]]:
    grouped: dict[str, list[model.Report]] = {}
    for report in sorted(reports, key=lambda r: (r.period, r.side)):
        grouped.setdefault(report.action, []).append(report)
    return grouped


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


def yaml_files(folder: Path, data_dir: Path, what: str) -> tuple[list[tuple[str, str]], list[Problem]]:
    """(name, path) of the YAML files of ``folder``, in name order, and problems with
    entries that cannot be ``what``: other extensions, links out of the data folder,
    folders, pipes."""
    problems: list[Problem] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except FileNotFoundError:
        return [], [Problem(shown_path(folder), 1, f"folder of {what} files not found", "folder_not_found")]
    except OSError as exc:
        return [], [Problem(shown_path(folder), 1, f"cannot read the folder: {exc.strerror or exc}", "unreadable")]
    files = []
    for entry in entries:
        if entry.name.startswith("."):  # editors' and our own temporary files
            continue
        shown = shown_path(Path(entry.path))
        if not entry.name.endswith(".yaml"):
            if entry.name.endswith(".yml"):
                problems.append(Problem(shown, 1, f"{what} files end in .yaml; rename it", "wrong_extension"))
            continue
        if entry.is_symlink() and not inside(Path(entry.path), data_dir):
            problems.append(_outside(shown))
        elif entry.is_file():
            files.append((entry.name, entry.path))
        else:
            problems.append(_not_a_file(shown))
    return files, problems


def report_files(data_dir: Path) -> tuple[list[tuple[str, str, str]], list[Problem]]:
    """(quarter, name, path) of every report file, and problems with what cannot be
    one. No ``reports`` folder is a plan without reports yet; without an ``actions``
    folder the reports wait unread, as nothing can be checked against it."""
    if not (data_dir / ACTIONS).is_dir():
        return [], []
    root = data_dir / REPORTS
    if not root.exists():
        return [], []
    try:
        quarters = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        return [], [Problem(shown_path(root), 1, f"cannot read the folder: {exc.strerror or exc}", "unreadable")]
    files, problems = [], []
    for entry in quarters:
        if entry.name.startswith("."):
            continue
        shown = shown_path(Path(entry.path))
        if not (_QUARTER_FOLDER.match(entry.name) and entry.is_dir() and not entry.is_symlink()):
            message = "the reports folder holds one folder a quarter, named like 2026-Q3; move or remove this"
            problems.append(Problem(shown, 1, message, "report_folder"))
            continue
        found, listing = yaml_files(Path(entry.path), data_dir, "report")
        files += [(entry.name, name, path) for name, path in found]
        problems += listing
    return files, problems


def load(data_dir: str | os.PathLike) -> Dataset:
    """Everything valid in ``data_dir`` and every problem found there."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return Dataset(data_dir, None, None, [], [_no_folder(data_dir)])
    problems: list[Problem] = []
    memorandum = _load_one(model.Memorandum, data_dir / MEMORANDUM, problems)
    plan = _load_one(model.Plan, data_dir / PLAN, problems)
    bodies = _load_registry(data_dir, problems)
    action_files, listing = yaml_files(data_dir / ACTIONS, data_dir, "action")
    actions, found = _read(action_files, _action_reader(data_dir, memorandum, bodies))
    problems += listing + found + _duplicates([a.id for a in actions], data_dir)
    files, listing = report_files(data_dir)
    index = report_index(actions, _broken(action_files, actions))
    reports, found = _read(files, _report_reader(data_dir, memorandum, index))
    problems += listing + found
    by_action = _by_action(reports)
    actions = [standing.apply(a, by_action[a.id]) if a.id in by_action else a for a in actions]
    baselines, found = load_baselines(data_dir)
    attached = load_evidence(data_dir, _evidence_targets(data_dir, action_files, files))
    problems += found + attached.problems
    return Dataset(data_dir, memorandum, plan, actions, problems, reports, baselines, bodies, attached.records)


def check(data_dir: str | os.PathLike, workers: int | None = None) -> tuple[int, list[Problem]]:
    """(how many actions are valid, every problem) of ``data_dir``, as ``load`` finds
    them, without keeping what was read: what ``validate`` needs. The files are read
    by ``workers`` processes on systems that can fork (default: one a CPU when there
    are ``PARALLEL_FROM`` files or more, else one)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return 0, [_no_folder(data_dir)]
    problems: list[Problem] = []
    memorandum = _load_one(model.Memorandum, data_dir / MEMORANDUM, problems)
    _load_one(model.Plan, data_dir / PLAN, problems)
    bodies = _load_registry(data_dir, problems)
    action_list, action_listing = yaml_files(data_dir / ACTIONS, data_dir, "action")
    report_list, report_listing = report_files(data_dir)
    if workers is None:
        many = len(action_list) + len(report_list) >= PARALLEL_FROM
        workers = (os.cpu_count() or 1) if many else 1
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        actions, found = _read(action_list, _action_reader(data_dir, memorandum, bodies))
        summary = _summary(actions)
        index = report_index(actions, _broken(action_list, actions))
        _, report_problems = _read(report_list, _report_reader(data_dir, memorandum, index))
    else:
        # Forked, the workers share the imported code and what was read so far; each
        # sends back only a summary of what it found valid and its problems.
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            reader = _action_reader(data_dir, memorandum, bodies)
            summary, found = _in_parts(pool, workers, action_list, reader, _summary)
            index = {action_id: facts for _, action_id, facts in summary}
            index |= dict.fromkeys({name.removesuffix(".yaml") for name, _ in action_list} - set(index))
            reader = _report_reader(data_dir, memorandum, index)
            _, report_problems = _in_parts(pool, workers, report_list, reader, _nothing)
    ids = [action_id for _, action_id, _ in summary]
    problems += action_listing + found + _duplicates(ids, data_dir) + report_listing + report_problems
    problems += load_evidence(data_dir, _evidence_targets(data_dir, action_list, report_list)).problems
    return len(ids), problems + load_baselines(data_dir)[1] + quarter_file.problems(data_dir)


def _evidence_targets(data_dir: Path, action_files: list[tuple], report_list: list[tuple]) -> set[str] | None:
    """What evidence may be attached to: every action and report file there is; None
    (not checked) without an actions folder, whose absence is the problem said."""
    if not (data_dir / ACTIONS).is_dir():
        return None
    return evidence.targets(
        [name.removesuffix(".yaml") for name, _ in action_files],
        [f"{quarter}/{name.removesuffix('.yaml')}" for quarter, name, _ in report_list],
    )


def load_baselines(data_dir: Path) -> tuple[list[model.Baseline], list[Problem]]:
    """The approved baselines, oldest first, and the problems of their files. No
    ``baselines`` folder is a plan never approved."""
    folder = data_dir / BASELINES
    if not folder.exists():
        return [], []
    files, problems = yaml_files(folder, data_dir, "baseline")
    baselines = []
    for name, path in files:
        shown = f"{shown_path(folder)}{os.sep}{name}"
        data, text, found = read_file(path, shown, size_limit(path))
        if not found:
            baseline, found = validate.shape_problems(model.Baseline, data, shown, text)
            found += validate.baseline_problems(data, name, shown, text) if isinstance(data, dict) else []
            if baseline is not None and not found:
                baselines.append(baseline)
        problems += _first_problems(sorted(found), shown)
    return sorted(baselines, key=lambda b: b.version), problems


def _in_parts(pool, workers: int, files: list, reader: Callable, keep: Callable) -> tuple[list, list[Problem]]:
    """``reader`` over ``files`` in ``workers`` parts: (what ``keep`` keeps of each
    part's records, all in file order; the problems, in file order)."""
    parts = pool.map(partial(_kept, reader, keep), [files[i::workers] for i in range(workers)])
    kept = sorted(item for part, _ in parts for item in part)
    found = sorted((p for _, problems in parts for p in problems), key=lambda p: p.file)
    return kept, found


def _kept(reader: Callable, keep: Callable, files: list) -> tuple[list, list[Problem]]:
    records, problems = _read(files, reader)
    return keep(records), problems


def _nothing(records: list) -> list:
    return []


def _summary(actions: list[model.Action]) -> list[tuple[str, str, tuple]]:
    """(file name, id, what reports are checked against) of each valid action, in file order."""
    index = report_index(actions)
    return [(f"{a.id}.yaml", a.id, index[a.id]) for a in actions]


def report_index(actions: list[model.Action], broken: Iterable[str] = ()) -> dict[str, tuple | None]:
    """What a report is checked against: each action's reporting sides and indicator
    ids; None for the ids of action files that do not load (see ``_read_report``)."""
    index: dict[str, tuple | None] = dict.fromkeys(broken)
    return index | {a.id: (a.reporting_sides, frozenset(i.id for i in a.indicators if i.id)) for a in actions}


def _broken(files: list[tuple[str, str]], actions: list[model.Action]) -> set[str]:
    """The ids of action files that did not load."""
    return {name.removesuffix(".yaml") for name, _ in files} - {a.id for a in actions}


def _read(files: list[tuple], reader: Callable) -> tuple[list, list[Problem]]:
    """The valid records of ``files`` and the problems of each, in file order."""
    records, problems = [], []
    with yamlio.gc_paused():  # once for all files, not per file
        for file in files:
            record, found = reader(*file)
            if record is not None and not found:
                records.append(record)
            problems += _first_problems(sorted(found), found[0].file if found else "")
    return records, problems


def _action_reader(data_dir: Path, memorandum: model.Memorandum | None, bodies: Registry) -> Callable:
    return partial(_read_action, shown_path(data_dir / ACTIONS), memorandum, bodies)


def _read_action(
    folder: str, memorandum, bodies: Registry, name: str, path: str
) -> tuple[model.Action | None, list[Problem]]:
    shown = f"{folder}{os.sep}{name}"
    data, text, found = read_file(path, shown, size_limit(path))
    if found:
        return None, found
    action, found = validate.shape_problems(model.Action, data, shown, text)
    if isinstance(data, dict):
        found += validate.action_problems(data, name, shown, memorandum, text, bodies)
    return action, found


def _report_reader(data_dir: Path, memorandum: model.Memorandum | None, index: dict) -> Callable:
    return partial(_read_report, shown_path(data_dir / REPORTS), model.plan_period(memorandum), index)


def _read_report(folder: str, period, index, quarter: str, name: str, path: str) -> tuple[model.Report | None, list]:
    shown = f"{folder}{os.sep}{quarter}{os.sep}{name}"
    data, text, found = read_file(path, shown, size_limit(path))
    if found:
        return None, found
    report, found = validate.shape_problems(model.Report, data, shown, text)
    if isinstance(data, dict) and data.get("action") in index and index[data["action"]] is None:
        # its action's file has problems, listed with that file: the report waits for the fix, unread
        return None, []
    if isinstance(data, dict):
        found += validate.report_problems(data, name, quarter, shown, period, index, text)
    return report, found


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


def _load_one(cls, path: Path, problems: list[Problem]):
    shown = shown_path(path)
    if path.is_symlink() and not inside(path, path.parent):
        problems.append(_outside(shown))
        return None
    data, text, found = read_file(path, shown, size_limit(path))
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
    loaded = _load_one(BodiesFile, path, problems)
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


def _folders(data_dir: Path) -> list[Path | str]:
    """The data folder and the folders under it that hold data files."""
    reports = data_dir / REPORTS
    try:
        quarters = [e.path for e in os.scandir(reports) if e.is_dir(follow_symlinks=False)]
    except OSError:
        quarters = []
    return [data_dir, data_dir / ACTIONS, data_dir / BASELINES, reports, *quarters, *evidence.folders(data_dir)]


def folder_stamp(data_dir: str | os.PathLike) -> tuple:
    """The modification times of the data folders and the sizes and times of the files
    at the top (plan, memorandum, bodies, history): a few stats, whatever the plan's
    size. A file added, removed or replaced (as every save replaces one) changes its
    folder's time; a file edited in place under a folder does not, which only
    ``fingerprint`` sees."""
    data_dir = Path(data_dir)
    stamps = []
    for folder in _folders(data_dir):
        try:
            stamps.append((str(folder), os.stat(folder).st_mtime_ns))
        except OSError:
            stamps.append((str(folder), -1))
    try:
        with os.scandir(data_dir) as entries:
            stamps += [(e.path, e.stat().st_size, e.stat().st_mtime_ns) for e in entries if e.is_file()]
    except OSError:
        pass
    return tuple(sorted(stamps))


def fingerprint(data_dir: str | os.PathLike) -> tuple:
    """Names, sizes and modification times of every data file: a cache key that
    changes whenever any file does (one directory scan, no reads, but a stat a file:
    hundreds of milliseconds at 10,000 actions and 40,000 reports)."""
    data_dir = Path(data_dir)
    stamps = []
    for folder in _folders(data_dir):
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
    up beside the data folder, then in the project; None when it is not there, or
    when it is not a file under seeds/ (a link out of it included)."""
    if not model.is_source_file(file):
        return None
    for base in (Path(data_dir).parent, PROJECT_ROOT):
        path = (base / file).resolve()
        if path.is_relative_to((base / model.SOURCES_FOLDER).resolve()) and path.is_file():
            try:
                return yamlio.decode(path.read_bytes())
            except (OSError, yamlio.YamlError):
                return None
    return None


def load_evidence(data_dir: Path, targets: set[str] | None = None) -> evidence.Loaded:
    """The evidence (``data.evidence``): the valid records of ``data_dir`` and every problem of the records and files:
    a record naming no file or another size than the file's, a file no record names,
    a record attached to no report or action (of ``targets``, when given), more than
    ``evidence.MAX_PER_TARGET`` on one."""
    data_dir = Path(data_dir)
    folder = data_dir / evidence.FOLDER
    records: list[evidence.Attachment] = []
    problems: list[Problem] = []
    if folder.is_dir():
        listed, problems = yaml_files(folder, data_dir, "evidence")
        for name, path in listed:
            shown = shown_path(Path(path))
            data, text, found = read_file(path, shown, size_limit(path))
            record = None
            if not found:
                record, found = validate.shape_problems(evidence.Attachment, data, shown, text)
            if record is not None:
                found = evidence.record_problems(record, name, shown, text, data_dir, targets)
            problems += found
            if record is not None and not found:
                records.append(record)
    named = {r.file for r in records}
    problems += evidence.file_problems(data_dir, named | evidence.named_by_broken(folder))
    counts: dict[str, int] = {}
    for record in records:
        counts[record.of] = counts.get(record.of, 0) + 1
    for of, count in sorted(counts.items()):
        if count > evidence.MAX_PER_TARGET:
            message = f"{of} has {count} files attached; at most {evidence.MAX_PER_TARGET}: remove some records"
            problems.append(Problem(shown_path(folder), 1, message, "evidence_too_many"))
    return evidence.Loaded(sorted(records, key=lambda r: (r.of, r.kind, r.id)), problems)
