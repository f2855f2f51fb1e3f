"""The command line: ``python -m coopplan validate|export|users|schema``.

Each command imports what it uses when it runs: ``validate`` must stay about as
fast as parsing the files, without pandas, openpyxl or python-docx to load.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from . import config
from .editing.auth import ROLES
from .exchange.exports import DOCUMENT_LANGUAGES, FORMATS
from .views.filters import PARAMS


def _validate(args: argparse.Namespace) -> int:
    from .data import loader
    from .data.files import shown_path

    folder = config.data_dir(args.data_dir)
    valid, problems = loader.check(folder, args.jobs)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"{shown_path(folder)}: valid, {valid} actions", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    from .data import loader
    from .exchange import exports
    from .views import filters
    from .views.frame import actions_frame

    dataset = loader.load(config.data_dir(args.data))
    query = {param: getattr(args, param) for param in PARAMS if getattr(args, param, None)}
    chosen, invalid = filters.from_query(query, dataset.period)
    if invalid:
        for item in invalid:
            print(f"--{item.param}: {item.value!r} is not a valid value", file=sys.stderr)
        return 1
    for problem in dataset.problems:
        print(f"warning: {problem} (left out of the export)", file=sys.stderr)
    chosen = filters.with_body_ids(chosen, dataset.bodies)  # --body takes an id or a name in any language
    rows = filters.apply(actions_frame(dataset.actions, dataset.bodies), chosen)
    picked = set(rows["id"])
    actions = [a for a in dataset.actions if a.id in picked]
    try:
        data = exports.export(dataset, actions, args.format, args.lang, chosen)
        with open(args.output, "wb") as out:
            out.write(data)
    except exports.ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}: {len(actions)} actions", file=sys.stderr)
    return 0


def _read_password(args: argparse.Namespace) -> str:
    from .editing import auth

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise auth.AuthError("the two passwords differ")
    return first


def _users(args: argparse.Namespace) -> int:
    from .editing import auth

    try:
        if args.action == "init":
            password = auth.init_admin()
            if password:
                print("=" * 64)
                print(f"  Created the administrator account in {config.accounts_path()}")
                print("  user name: admin")
                print(f"  password:  {password}")
                print("  It is shown only this once; change it with:")
                print("  python -m coopplan users passwd admin")
                print("=" * 64)
        elif args.action == "list":
            for name, account in sorted(auth.load_accounts().items()):
                email = f"  {account['email']}" if account.get("email") else ""
                print(f"{name}\t{account.get('role')}{email}")
        elif args.action == "add":
            auth.add_user(args.name, args.role, _read_password(args), args.email)
            print(f"added {args.name} ({args.role})", file=sys.stderr)
        elif args.action == "remove":
            auth.remove_user(args.name)
            print(f"removed {args.name}", file=sys.stderr)
        elif args.action == "passwd":
            auth.set_password(args.name, _read_password(args))
            print(f"password of {args.name} changed", file=sys.stderr)
    except EOFError:
        print("error: no password given; type it, or pipe it in with --password-stdin", file=sys.stderr)
        return 1
    except (auth.AuthError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .data import schema
    from .data.files import shown_path

    for path in schema.write():
        print(f"wrote {shown_path(path)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m coopplan", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("validate", help="check a data folder; one line per problem")
    check.add_argument("data_dir", nargs="?", help="data folder (default: $COOPPLAN_DATA or data/)")
    check.add_argument(
        "--jobs", type=int, metavar="N", help="processes reading the files (default: one a CPU for large folders)"
    )
    check.set_defaults(run=_validate)

    out = commands.add_parser("export", help="write the (filtered) plan as a file")
    out.add_argument("--format", required=True, choices=sorted(FORMATS))
    out.add_argument("--lang", default="ru", choices=DOCUMENT_LANGUAGES, help="kk+ru: both side by side (docx)")
    out.add_argument("-o", "--output", required=True, help="file to write")
    out.add_argument("--data", help="data folder (default: $COOPPLAN_DATA or data/)")
    for param in PARAMS:
        out.add_argument(f"--{param}", help="as in the page URL; several values comma-separated")
    out.set_defaults(run=_export)

    users = commands.add_parser("users", help="manage editors' accounts (file: $COOPPLAN_USERS)")
    user_actions = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    user_actions.add_parser("init", help="create an administrator with a random password if there are no accounts")
    user_actions.add_parser("list", help="list accounts")
    add = user_actions.add_parser("add", help="add an account")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--email", help="for OpenID Connect sign-in")
    remove = user_actions.add_parser("remove", help="remove an account")
    remove.add_argument("name")
    passwd = user_actions.add_parser("passwd", help="set an account's password")
    passwd.add_argument("name")
    for sub in (add, passwd):
        sub.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    users.set_defaults(run=_users)

    schemas = commands.add_parser("schema", help="regenerate the JSON Schemas in coopplan/data/schemas/")
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
