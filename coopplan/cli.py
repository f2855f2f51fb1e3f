"""The command line: ``python -m coopplan validate|export|report|form|import|changes|approve|users|schema``,
and the quarter commands (``quarter_cli``).

Each command imports what it uses when it runs: ``validate`` must stay about as
fast as parsing the files, without pandas, openpyxl or python-docx to load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from functools import partial

from . import config, quarter_cli
from .data.model import LANGS, REGIONS
from .editing.auth import MAIL_LANGS, NOTICE_KINDS, ROLES
from .exchange.exports import FORMATS
from .i18n import DOCUMENT_LANGUAGES
from .views.filters import FILTERS, PARAMS


def _validate(args: argparse.Namespace) -> int:
    from .data import loader
    from .data.files import shown_path
    from .editing import history

    folder = config.data_dir(args.data_dir)
    valid, problems = loader.check(folder, args.jobs)
    if folder.is_dir():  # the whole log, not its index: a line damaged since it was indexed too
        problems += history.read(folder)[1]
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"{shown_path(folder)}: valid, {valid} actions", file=sys.stderr)
    return 0


def _chosen(args: argparse.Namespace):
    """(dataset, the actions the filters choose, in plan order), or None after saying
    which filter value is wrong."""
    from .data import loader
    from .views import filters
    from .views.frame import actions_frame

    dataset = loader.load(config.data_dir(args.data))
    query = {param: getattr(args, param) for param in PARAMS if getattr(args, param, None)}
    versions = [b.version for b in dataset.baselines]
    # --body takes an id or a name in any language
    chosen, invalid = filters.from_query(query, dataset.period, versions=versions, registry=dataset.bodies)
    if invalid:
        for item in invalid:
            print(f"--{item.param}: {item.value!r} is not a valid value", file=sys.stderr)
        return None
    for problem in dataset.problems:
        print(f"warning: {problem} (left out)", file=sys.stderr)
    picked = set(filters.apply(actions_frame(dataset.actions, dataset.bodies), chosen)["id"])
    return dataset, [a for a in dataset.actions if a.id in picked], chosen


def _write(path: str, make) -> bool:
    """Write what ``make()`` returns to ``path``; False after saying why it could not."""
    from .exchange import exports

    try:
        data = make()
        with open(path, "wb") as out:
            out.write(data)
    except exports.ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return False
    except OSError as exc:
        print(f"error: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def _export(args: argparse.Namespace) -> int:
    from .exchange import exports

    found = _chosen(args)
    if found is None:
        return 1
    dataset, actions, chosen = found
    if not _write(args.output, lambda: exports.export(dataset, actions, args.format, args.lang, chosen)):
        return 1
    print(f"wrote {args.output}: {len(actions)} actions", file=sys.stderr)
    return 0


def _report(args: argparse.Namespace) -> int:
    import datetime as dt

    from .exchange import exports

    fmt = args.output.rpartition(".")[2].lower()
    if fmt not in ("docx", "xlsx"):
        print(f"error: {args.output}: the report is written as .docx or .xlsx", file=sys.stderr)
        return 1
    found = _chosen(args)
    if found is None:
        return 1
    dataset, actions, chosen = found
    if args.period not in dataset.period.quarters:
        quarters = f"{dataset.period.quarters[0]} … {dataset.period.quarters[-1]}"
        print(f"--period: {args.period!r} is not a quarter of the plan ({quarters})", file=sys.stderr)
        return 1
    asof = chosen.asof or dt.date.today()
    make = lambda: exports.implementation(dataset, actions, args.period, chosen, asof, fmt, args.lang)  # noqa: E731
    if not _write(args.output, make):
        return 1
    print(f"wrote {args.output}: the report of {args.period} on {len(actions)} actions", file=sys.stderr)
    return 0


def _form(args: argparse.Namespace) -> int:
    """A side's reports form for a quarter, as the Reporting page gives it."""
    import datetime as dt

    from .data import loader
    from .exchange import exports

    dataset = loader.load(config.data_dir(args.data))
    if args.period not in dataset.period.quarters:
        quarters = f"{dataset.period.quarters[0]} … {dataset.period.quarters[-1]}"
        print(f"--period: {args.period!r} is not a quarter of the plan ({quarters})", file=sys.stderr)
        return 1
    make = lambda: exports.reports_form(dataset, dataset.actions, args.side, args.period, dt.date.today(), args.lang)  # noqa: E731
    if not _write(args.output, make):
        return 1
    print(f"wrote {args.output}: the reports form of {args.side} for {args.period}", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    """A filled reports form received by e-mail, or the plan edited as a workbook or CSV:
    the preview, one line a row, and with ``--apply`` its new and changed rows saved
    under the account's rights. Exit status 0 when no row has a problem."""
    from . import i18n
    from .data import loader, workbooks
    from .data.validate import printable
    from .editing import auth
    from .exchange import importer, preview, report_import

    account = auth.load_accounts().get(args.account)
    if account is None or account.get("role") not in auth.ROLES:
        print(f"--as: there is no account {args.account!r} (see: python -m coopplan users list)", file=sys.stderr)
        return 1
    user = auth.User(args.account, account["role"])
    try:
        with open(args.file, "rb") as source:
            data = source.read(workbooks.MAX_UPLOAD_BYTES + 1)
        budget = workbooks.Budget()  # one for the file, however many ways it is tried
        form = report_import.read(data, budget) if str(args.file).lower().endswith(".xlsx") else None
        rows = importer.read_rows(data, str(args.file), budget) if form is None else []
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except workbooks.UploadError as exc:
        print(f"{args.file}: {i18n.problem(args.lang, exc.kind, str(exc))}", file=sys.stderr)
        return 1
    dataset = loader.load(config.data_dir(args.data))
    if form is None:
        return _import_plan(args, rows, dataset, user)
    results = report_import.preview(form, dataset)
    lang = args.lang
    for row in results:
        action = dataset.action(row.action_id)
        # the file's own text goes through printable: no control characters to the terminal
        line = f"{row.row}\t{printable(row.action_id)}\t{i18n.t(lang, f'import.kind.{row.kind}')}"
        if row.kind in ("new", "changed", "unchanged"):
            line += f"\t{printable(preview.report(row.report, lang, action))}"
            if row.dated_today:
                line += f" ({i18n.t(lang, 'rform.dated_today')})"
        if row.kind == "changed":
            line += f"\t{i18n.t(lang, 'import.col.now')}: {printable(preview.report(row.current, lang, action))}"
        print(line)
        for problem in row.reasons:
            print(f"\t{printable(report_import.say(problem, row.row, lang, form))}")
    if args.apply:
        return _applied(results, report_import.apply, dataset, user, lang)
    return 1 if any(r.reasons for r in results) else 0


def _applied(results: list, apply, dataset, user, lang: str) -> int:
    """``--apply``: the valid new and changed rows saved with ``apply``, each saved key and
    each refused row printed; exit status 0 when every row was saved and had no problem."""
    from . import i18n

    chosen = [r.row for r in results if r.kind in ("new", "changed")]
    saved, refused = apply(results, chosen, dataset, user)
    for key in saved:
        print(f"saved {key}", file=sys.stderr)
    for refusal in refused:
        print(f"row {refusal.row}: {i18n.problem(lang, refusal.kind, refusal.message)}", file=sys.stderr)
    return 1 if refused or any(r.reasons for r in results) else 0


def _import_plan(args: argparse.Namespace, rows: list[dict], dataset, user) -> int:
    """The plan's rows: one line each (its kind, title, the fields a changed row changes,
    as the form names them), and with ``--apply`` the new and changed ones saved."""
    from . import i18n
    from .data.validate import printable
    from .exchange import importer
    from .views import tables
    from .views.filters import Filters
    from .views.frame import actions_frame
    from .views.texts import data_text
    from .views.view import View

    lang = args.lang
    view = View(lang, dataset, actions_frame(dataset.actions, dataset.bodies), Filters())
    results = importer.preview(rows, dataset)
    for row in results:
        line = f"{row.row}\t{printable(row.action_id)}\t{i18n.t(lang, f'import.kind.{row.kind}')}"
        if row.action is not None:
            line += f"\t{printable(data_text(view, row.action.title))}"
        if row.changes:
            line += f"\t{', '.join(tables.field_label(view, c.field) for c in row.changes)}"
        print(line)
        for problem in row.reasons:
            print(f"\t{printable(i18n.problem(lang, problem.kind, problem.message))}")
    if args.apply:
        return _applied(results, importer.apply, dataset, user, lang)
    return 1 if any(r.reasons for r in results) else 0


def _changes(args: argparse.Namespace) -> int:
    from . import i18n
    from .data import loader
    from .data.validate import printable
    from .reporting import amendments

    t = partial(i18n.t, args.lang)  # everything printed for people is in --lang
    dataset = loader.load(config.data_dir(args.data))
    for problem in dataset.problems:
        said = problem.message if args.lang == "en" else i18n.problem(args.lang, problem.kind, problem.message)
        print(
            t("changes.cli.left_out", problem=f"{printable(problem.file)}:{problem.line}: {printable(said)}"),
            file=sys.stderr,
        )
    baseline = dataset.baseline(args.baseline)
    if not dataset.baselines:
        print(t("changes.cli.error", message=t("changes.none_approved")), file=sys.stderr)
        return 1
    if baseline is None:
        versions = ", ".join(str(b.version) for b in dataset.baselines)
        message = t("changes.cli.no_version", version=args.baseline, versions=versions)
        print(t("changes.cli.error", message=message), file=sys.stderr)
        return 1
    changed = amendments.compare(baseline, dataset.actions)
    labels = args.lang != "en"  # a kk or ru reader gets periods as a plan writes them; en keeps codes for scripts
    for change in changed:
        print(f"{change.action_id}: {amendments.describe(change, args.lang, labels=labels)}")
    date = i18n.date(baseline.approved_on, args.lang) if labels else baseline.approved_on.isoformat()
    print(t("changes.summary", count=len(changed), version=baseline.version, date=date), file=sys.stderr)
    return 0


def _approve(args: argparse.Namespace) -> int:
    from .editing import auth, store

    account = auth.load_accounts().get(args.user)
    if account is None or account.get("role") != "admin":
        print(f"error: {args.user!r} is not an administrator's account; approving is theirs", file=sys.stderr)
        return 1
    note = {args.lang: args.note} if args.note else None
    try:
        saved = store.approve(config.data_dir(args.data), auth.User(args.user, "admin"), note)
    except store.StoreError as refusal:
        print(f"error: {refusal.message}", file=sys.stderr)
        return 1
    print(f"approved: {saved.entry.path}", file=sys.stderr)
    return 0


def _read_password(args: argparse.Namespace) -> str:
    from .editing import auth

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise auth.AuthError("the two passwords differ")
    return first


def _admin_name(args: argparse.Namespace) -> str:
    """The first administrator's name: ``--name``, else asked when someone types at the
    terminal (a random suggestion taken on Enter), else the suggestion: never a name
    every installation shares."""
    from .editing import auth

    suggested = auth.suggested_admin_name()
    if args.name:
        return args.name
    if sys.stdin.isatty():
        return input(f"Name of the first administrator [{suggested}]: ").strip() or suggested
    return suggested


def _users(args: argparse.Namespace) -> int:
    from .editing import auth, sessions

    try:
        if args.action == "init":
            created = auth.init_admin(_admin_name(args)) if not auth.load_accounts() else None
            if created:
                name, password = created
                print("=" * 64)
                print(f"  Created the administrator account in {config.accounts_path()}")
                print(f"  user name: {name}")
                print(f"  password:  {password}")
                print("  It is shown only this once; change it with:")
                print(f"  python -m coopplan users passwd {name}")
                print("=" * 64)
        elif args.action == "list":
            for name, account in sorted(auth.load_accounts().items()):
                email = f"  {account['email']}" if account.get("email") else ""
                lang = f"  ({account['lang']})" if account.get("lang") else ""
                print(f"{name}\t{account.get('role')}{email}{lang}")
        elif args.action == "add":
            if args.email:
                auth.valid_email(args.email)  # said before the password is asked for
            auth.add_user(args.name, args.role, _read_password(args), args.email, bodies=args.bodies, lang=args.lang)
            print(f"added {args.name} ({args.role})", file=sys.stderr)
        elif args.action == "set":
            account = auth.set_user(args.name, email=args.email, lang=args.lang, off=args.off or [], on=args.on or [])
            muted = ", ".join(account.get("notices_off", [])) or "none"
            print(
                f"{args.name}: {account.get('email', 'no address')}, mails in {account.get('lang', 'the default language')}, "
                f"kinds turned off: {muted}",
                file=sys.stderr,
            )
        elif args.action == "remove":
            auth.remove_user(args.name)
            sessions.store().forget(args.name)
            print(f"removed {args.name}; its sessions and tokens ended", file=sys.stderr)
        elif args.action == "passwd":
            auth.set_password(args.name, _read_password(args))
            store = sessions.store()
            ended, revoked = store.end_all(args.name), store.revoke_tokens(args.name)
            store.unlock(args.name)  # a locked-out account is let in again with its new password
            print(
                f"password of {args.name} changed; {ended} session(s) ended, {revoked} token(s) revoked, "
                "sign-in unlocked",
                file=sys.stderr,
            )
        elif args.action == "token":
            _token(args)
    except EOFError:
        print("error: no password given; type it, or pipe it in with --password-stdin", file=sys.stderr)
        return 1
    except (auth.AuthError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _token(args: argparse.Namespace) -> None:
    from .editing import auth, sessions

    account = auth.load_accounts().get(args.name)
    if account is None or account.get("role") not in auth.ROLES:
        raise auth.AuthError(f"no user {args.name}")
    if args.revoke:
        revoked = sessions.store().revoke_tokens(args.name)
        print(f"revoked {revoked} token(s) of {args.name}", file=sys.stderr)
        return
    print(sessions.store().new_api_token(auth.User(args.name, account["role"])))
    print(
        f"an API token of {args.name} ({account['role']}); it is shown only this once.\n"
        "Send it as «Authorization: Bearer TOKEN»; revoke it with: python -m coopplan users token "
        f"{args.name} --revoke",
        file=sys.stderr,
    )


def _notify(args: argparse.Namespace) -> int:
    from .data import loader
    from .editing import auth
    from .notices import run, settings

    day = args.date or dt.date.today()
    data = config.data_dir(args.data)
    try:
        if args.dry_run:
            planned = run.preview(loader.load(data), day)
            for mail in planned.new:
                print(f"{mail.account} <{mail.to}> [{mail.lang}] {mail.kind}: {mail.subject}")
            for record in planned.waiting:
                print(
                    f"{record.get('account')} <{record.get('to')}> [{record.get('lang')}] {record.get('kind')}: "
                    f"{record.get('subject')} ({record.get('state')} in the outbox)"
                )
            total = len(planned.new) + len(planned.waiting)
            print(f"{day}: {total} mail(s) would be sent; dry run: nothing sent, nothing recorded", file=sys.stderr)
            return 0
        outcome = run.notify(data, day)
    except settings.SettingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (auth.AuthError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    delivery = outcome.delivery
    for key in delivery.sent:
        print(f"sent {key}")
    for key, why in [*delivery.failed, *delivery.refused]:
        print(f"not sent {key}: {why}", file=sys.stderr)
    print(
        f"{day}: {len(outcome.new)} reminder(s) queued; {len(delivery.sent)} mail(s) sent, {len(delivery.failed)} "
        f"failed and {delivery.left} left for the next run, {len(delivery.refused)} refused for good",
        file=sys.stderr,
    )
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .data import schema
    from .data.files import shown_path

    for path in schema.write():
        print(f"wrote {shown_path(path)}")
    return 0


def _document_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--lang", default="ru", choices=DOCUMENT_LANGUAGES, help="kk+ru: both side by side (docx)")
    command.add_argument("-o", "--output", required=True, help="file to write")
    command.add_argument("--data", help="data folder (default: $COOPPLAN_DATA or data/)")
    for declared in FILTERS:
        command.add_argument(f"--{declared.param}", help=f"{declared.help} (as in the page URL)")


WRITING = ("approve", "import", "close", "settle", "reopen")  # the commands that change reports or the plan


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
    _document_arguments(out)
    out.set_defaults(run=_export)

    report = commands.add_parser("report", help="write the implementation report of a quarter (.docx or .xlsx)")
    report.add_argument("--period", required=True, metavar="YYYY-Qn", help="the quarter reported on, such as 2026-Q3")
    _document_arguments(report)
    report.set_defaults(run=_report)

    form = commands.add_parser("form", help="write a side's reports form for a quarter (.xlsx), as the Reporting page")
    form.add_argument("--side", required=True, choices=REGIONS)
    form.add_argument("--period", required=True, metavar="YYYY-Qn", help="the quarter reported on, such as 2026-Q4")
    form.add_argument("--lang", default="ru", choices=LANGS)
    form.add_argument("-o", "--output", required=True, help="file to write (.xlsx)")
    form.add_argument("--data", help="data folder (default: $COOPPLAN_DATA or data/)")
    form.set_defaults(run=_form)

    taken = commands.add_parser(
        "import",
        help="check a filled reports form or the plan edited as .xlsx/.csv, one line a row;"
        " --apply saves it under an account's rights",
    )
    taken.add_argument("file", help="the filled reports form (.xlsx), or the plan as exported (.xlsx, .csv)")
    taken.add_argument("--as", dest="account", required=True, help="the account whose rights apply (users list)")
    taken.add_argument("--apply", action="store_true", help="save the new and changed rows (default: preview only)")
    taken.add_argument("--lang", default="ru", choices=LANGS, help="the language of the messages")
    taken.add_argument("--data", help="data folder (default: $COOPPLAN_DATA or data/)")
    taken.set_defaults(run=_import)

    changed = commands.add_parser("changes", help="what changed since the plan was approved, one line per action")
    changed.add_argument("--baseline", type=int, metavar="VERSION", help="the approved version (default: the latest)")
    changed.add_argument("--lang", default="en", choices=("kk", "ru", "en"))
    changed.add_argument("--data", help="data folder (default: $COOPPLAN_DATA or data/)")
    changed.set_defaults(run=_changes)

    approve = commands.add_parser("approve", help="approve the plan as it is: the next baseline version")
    approve.add_argument("--user", required=True, help="the administrator's account name, recorded as the approver")
    approve.add_argument("--note", help="the decision: a protocol of the working group, an order")
    approve.add_argument("--lang", default="ru", choices=("kk", "ru", "en"), help="the language of the note")
    approve.add_argument("--data", help="data folder (default: $COOPPLAN_DATA or data/)")
    approve.set_defaults(run=_approve)

    users = commands.add_parser("users", help="manage editors' accounts (file: $COOPPLAN_USERS)")
    user_actions = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    init = user_actions.add_parser(
        "init", help="create the first administrator with a random password if there are no accounts"
    )
    init.add_argument("--name", help="its user name (else asked at a terminal, or a random admin-xxxxxx)")
    user_actions.add_parser("list", help="list accounts")
    add = user_actions.add_parser("add", help="add an account")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument(
        "--bodies", action="append", metavar="BODY", help="an executing body the editor reports for (repeatable)"
    )
    changed_account = user_actions.add_parser("set", help="change an account's address, mail language, kinds of mail")
    changed_account.add_argument("name")
    changed_account.add_argument(
        "--off",
        action="append",
        choices=NOTICE_KINDS,
        metavar="KIND",
        help=f"turn a kind of mail off: {', '.join(NOTICE_KINDS)}",
    )
    changed_account.add_argument("--on", action="append", choices=NOTICE_KINDS, metavar="KIND", help="turn it on again")
    for sub in (add, changed_account):
        sub.add_argument("--email", help="where its mails go (and its OpenID Connect sign-in)")
        sub.add_argument("--lang", choices=MAIL_LANGS, help="the language of its mails (default: $COOPPLAN_LANG or ru)")
    remove = user_actions.add_parser("remove", help="remove an account (its sessions and tokens end)")
    remove.add_argument("name")
    passwd = user_actions.add_parser(
        "passwd", help="set an account's password (its sessions and tokens end, its sign-in lockout too)"
    )
    passwd.add_argument("name")
    token = user_actions.add_parser("token", help="make an API token for scripts, or revoke the account's tokens")
    token.add_argument("name")
    token.add_argument("--revoke", action="store_true", help="revoke every API and calendar token of the account")
    for sub in (add, passwd):
        sub.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    users.set_defaults(run=_users)

    notify = commands.add_parser(
        "notify", help="send the reminders due today and the notices waiting in the outbox, each once (daily)"
    )
    notify.add_argument(
        "--date", type=quarter_cli._day, metavar="YYYY-MM-DD", help="the day to run as (default: today)"
    )
    notify.add_argument("--dry-run", action="store_true", help="print who would get what; send and record nothing")
    notify.add_argument("--data", help="data folder (default: $COOPPLAN_DATA or data/)")
    notify.set_defaults(run=_notify)

    schemas = commands.add_parser("schema", help="regenerate the JSON Schemas in coopplan/data/schemas/")
    schemas.set_defaults(run=_schema)
    quarter_cli.add_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in WRITING:
        from .notices import events

        events.listen()  # the changes it makes queue their notices; the next notify run sends them
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the CLI's promise: a message, never a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
