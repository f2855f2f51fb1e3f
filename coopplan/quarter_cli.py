"""The quarter commands, for coordinators and scripts: ``quarter`` (each side's counts
and state), ``close`` (an account's side's half, refused with the reasons while
anything is pending), ``settle`` (a joint action's disagreement agreed or noted) and
``reopen`` (an administrator's exception)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from . import config
from .data.model import QUARTER_PATTERN, REGIONS, REPORT_STATUSES


def _quarter(text: str) -> str:
    import re

    if not re.fullmatch(QUARTER_PATTERN, text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a quarter; write it like 2026-Q3")
    return text


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day; write it like 2027-01-31") from None


def _not_received(text: str) -> tuple[str, str]:
    action, _, reason = text.partition("=")
    if not action.strip() or not reason.strip():
        raise argparse.ArgumentTypeError("write --not-received ACTION=REASON, such as po-012='no report came'")
    return action.strip(), reason.strip()


def _account(name: str):
    """The account named, as the accounts file says now; None after saying why."""
    from .editing import auth

    account = auth.load_accounts().get(name)
    if account is None or account.get("role") not in auth.ROLES:
        print(f"--as: there is no account {name!r} (see: python -m coopplan users list)", file=sys.stderr)
        return None
    return auth.User(name, account["role"])


def _show(args: argparse.Namespace) -> int:
    from .data import loader
    from .reporting import quarters

    dataset = loader.load(config.data_dir(args.data))
    closed = 0
    for side, state in quarters.state(dataset, args.period).items():
        if state.closed is not None:
            closed += 1
            said = f"closed {state.closed:%Y-%m-%d %H:%M} by {state.closed_by}"
        else:
            said = "open"
        print(
            f"{side}\t{said}\towed {state.owed}\taccepted {state.accepted}\ton time {state.on_time}"
            f"\tsubmitted {state.submitted}\treturned {state.returned}\tdraft {state.draft}"
            f"\tmissing {state.missing}\tnot received {state.not_received}"
        )
        for opening in state.exceptions:
            print(f"\texception: {opening.action} until {opening.until} ({opening.opened_by}): {opening.reason}")
        for item in state.pending:
            print(f"\tpending: {item}")
    print(f"{args.period}: {'closed' if closed == len(REGIONS) else 'open'}", file=sys.stderr)
    return 0


def _close(args: argparse.Namespace) -> int:
    from .editing import quarter_store, store

    user = _account(args.account)
    if user is None:
        return 1
    try:
        closing = quarter_store.close(
            config.data_dir(args.data), args.period, user, side=args.side, not_received=dict(args.not_received or [])
        )
    except store.StoreError as refusal:
        print(f"refused: {refusal.message}", file=sys.stderr)
        return 1
    closed = ", ".join(sorted(closing.sides))
    print(f"{args.period}: closed by {closed}{' — the quarter is closed' if closing.closed else ''}", file=sys.stderr)
    return 0


def _settle(args: argparse.Namespace) -> int:
    from .editing import quarter_store, store

    user = _account(args.account)
    if user is None:
        return 1
    try:
        made = quarter_store.settle(
            config.data_dir(args.data),
            args.period,
            args.action,
            user,
            noted=args.noted,
            status=args.status,
            progress=args.progress,
            side=args.side,
        )
    except store.StoreError as refusal:
        print(f"refused: {refusal.message}", file=sys.stderr)
        return 1
    state = "settled" if made.settled else "waiting for the other side's coordinator to agree the same figures"
    print(f"{args.action} in {args.period}: {made.how} by {', '.join(made.by.values())}; {state}", file=sys.stderr)
    return 0


def _reopen(args: argparse.Namespace) -> int:
    from .editing import quarter_store, store

    user = _account(args.account)
    if user is None:
        return 1
    try:
        opened = quarter_store.reopen(
            config.data_dir(args.data), args.period, args.action, args.side, args.until, args.reason, user
        )
    except store.StoreError as refusal:
        print(f"refused: {refusal.message}", file=sys.stderr)
        return 1
    print(f"exception opened: {opened.action} ({opened.side}) in {args.period} until {opened.until}", file=sys.stderr)
    return 0


def add_commands(commands) -> None:
    """The quarter commands, on the command line's parser."""
    show = commands.add_parser("quarter", help="each side's counts and state of a quarter")
    show.add_argument("period", type=_quarter, metavar="YYYY-Qn")
    show.add_argument("--data", help="data folder (default: $COOPPLAN_DATA or data/)")
    show.set_defaults(run=_show)

    close = commands.add_parser("close", help="close an account's side's half of a quarter")
    close.add_argument("--period", required=True, type=_quarter, metavar="YYYY-Qn")
    close.add_argument("--as", dest="account", required=True, help="a coordinator's (or an administrator's) account")
    close.add_argument("--side", choices=REGIONS, help="the side an administrator closes")
    close.add_argument(
        "--not-received",
        action="append",
        type=_not_received,
        metavar="ACTION=REASON",
        help="an owed report that never came, and why (repeatable)",
    )
    close.add_argument("--data", help="data folder (default: $COOPPLAN_DATA or data/)")
    close.set_defaults(run=_close)

    settle = commands.add_parser("settle", help="agree a joint action's status and progress, or note a disagreement")
    settle.add_argument("--period", required=True, type=_quarter, metavar="YYYY-Qn")
    settle.add_argument("--action", required=True)
    settle.add_argument("--as", dest="account", required=True)
    settle.add_argument("--side", choices=REGIONS, help="the side an administrator settles for")
    settle.add_argument("--noted", action="store_true", help="note it as a disagreement")
    settle.add_argument("--status", choices=REPORT_STATUSES)
    settle.add_argument("--progress", type=int)
    settle.add_argument("--data", help="data folder (default: $COOPPLAN_DATA or data/)")
    settle.set_defaults(run=_settle)

    reopen = commands.add_parser("reopen", help="an administrator's exception for one report in a closed quarter")
    reopen.add_argument("--period", required=True, type=_quarter, metavar="YYYY-Qn")
    reopen.add_argument("--action", required=True)
    reopen.add_argument("--side", required=True, choices=REGIONS)
    reopen.add_argument("--until", required=True, type=_day, metavar="YYYY-MM-DD")
    reopen.add_argument("--reason", required=True)
    reopen.add_argument("--as", dest="account", required=True, help="an administrator's account")
    reopen.add_argument("--data", help="data folder (default: $COOPPLAN_DATA or data/)")
    reopen.set_defaults(run=_reopen)
