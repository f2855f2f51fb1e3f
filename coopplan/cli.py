"""The command line: ``python -m coopplan validate|export|users …``."""

from __future__ import annotations

import argparse
import sys

from . import config, loader, schema


def _validate(args: argparse.Namespace) -> int:
    dataset = loader.load(config.data_dir(args.data_dir))
    for problem in dataset.problems:
        print(problem)
    if dataset.problems:
        return 1
    print(f"{loader.shown_path(dataset.data_dir)}: valid, {len(dataset.actions)} actions", file=sys.stderr)
    return 0


def _schema(args: argparse.Namespace) -> int:
    for path in schema.write():
        print(f"wrote {loader.shown_path(path)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m coopplan", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("validate", help="check a data folder; one line per problem")
    check.add_argument("data_dir", nargs="?", help="data folder (default: $COOPPLAN_DATA or data/)")
    check.set_defaults(run=_validate)

    schemas = commands.add_parser("schema", help="regenerate the JSON Schemas in coopplan/schemas/")
    schemas.set_defaults(run=_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the CLI's promise: a message, never a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
