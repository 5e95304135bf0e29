"""Command line for maintainers and family mentors: `python -m bot <command>`.

  validate [FILE] [--production]   check the directory; list every problem
  find --need N [--area A | --postcode P] [filters]   what a mentor would search
  import-oruk URL --output FILE [--area A]   merge a council's Open Referral feed into FILE
  export-hsds [--output FILE]      the directory as HSDS 3.0 JSON
  report [--db FILE | --database-url URL] [--output-dir DIR]   unmet needs, counts only
  purge [--db FILE | --database-url URL] [--days N]   delete conversations past retention
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from bot.directory import DAYS, DEFAULT_PATH, DirectoryError, load_directory
from bot.masking import mask_passwords


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check the services directory")
    validate.add_argument("file", nargs="?", default=str(DEFAULT_PATH))
    validate.add_argument("--production", action="store_true", help="also refuse sample, unverified and stale entries")

    find = commands.add_parser("find", help="find services, as a family mentor would")
    find.add_argument("--need", action="append", required=True, help="need id (repeatable)")
    where = find.add_mutually_exclusive_group()
    where.add_argument("--area", help="area id")
    where.add_argument("--postcode", help="a postcode or district")
    when = find.add_mutually_exclusive_group()
    when.add_argument("--open-now", action="store_true")
    when.add_argument("--open-on", choices=DAYS, help="day, e.g. SA")
    find.add_argument("--free", action="store_true")
    find.add_argument("--self-referral", action="store_true")
    find.add_argument("--language", help="ISO 639 code, e.g. ur")
    find.add_argument("--pregnant", action="store_true")
    find.add_argument("--child-age", type=int, metavar="MONTHS")
    find.add_argument("--file", default=str(DEFAULT_PATH))

    _add_tool_commands(commands)

    args = parser.parse_args(argv)
    if args.command == "validate":
        return _validate(args.file, args.production)
    if args.command in _TOOLS:
        return _TOOLS[args.command](args)
    return _find(args)


def _validate(path: str, production: bool) -> int:
    from bot.quality import production_problems

    try:
        directory = load_directory(path)
    except DirectoryError as error:
        print(error, file=sys.stderr)
        return 1
    if production:
        problems = production_problems(directory, dt.date.today())
        if problems:
            print(DirectoryError(path, problems), file=sys.stderr)
            return 1
    shown = sum(s.shown_to_parents for s in directory.services.values())
    print(f"{path}: OK - {len(directory.services)} services ({shown} shown to parents), "
          f"{len(directory.needs)} needs, {len(directory.areas)} areas")
    return 0


def _find(args: argparse.Namespace) -> int:
    from bot.mentor import mentor_card
    from bot.places import Places
    from bot.search import Filters, find_services

    try:
        directory = load_directory(args.file)
    except DirectoryError as error:
        print(error, file=sys.stderr)
        return 1
    unknown = [n for n in args.need if n not in directory.needs]
    if unknown:
        print(f"Unknown need {unknown[0]!r}. Needs: {', '.join(directory.needs)}", file=sys.stderr)
        return 2
    area = args.area
    if area and area not in directory.areas:
        print(f"Unknown area {area!r}. Areas: {', '.join(directory.areas)}", file=sys.stderr)
        return 2
    if args.postcode:
        answer = Places(directory).resolve(args.postcode)
        if answer.needs_choice:
            print(f"{args.postcode} is shared with a neighbouring council; use --area {answer.choices[0]} if it is in "
                  f"{directory.areas[answer.choices[0]].name}.", file=sys.stderr)
            return 2
        area = answer.area
        if area is None:
            print(f"{args.postcode} is not in the five partnership areas; showing national services.")
    filters = Filters(
        free=args.free, self_referral=args.self_referral, language=args.language, pregnant=args.pregnant,
        child_age_months=args.child_age, open_now=args.open_now, open_on=args.open_on,
    )
    for need in args.need:
        services = find_services(directory, need, area, filters)
        place = directory.areas[area].name if area else "national"
        print(f"== {directory.needs[need].label} - {place}: {len(services)} service(s) ==\n")
        for service in services:
            print(mentor_card(service, directory))
            print()
    return 0


# ---------------------------------------------------------------- directory and report tools


def _add_tool_commands(commands) -> None:
    oruk = commands.add_parser("import-oruk", help="merge services from an Open Referral UK / HSDS 3.0 feed into a directory file")
    oruk.add_argument("url", help="the feed's base URL (services are read from URL/services)")
    oruk.add_argument("--output", required=True, help="directory file to merge into (created if missing)")
    oruk.add_argument("--mapping", help="taxonomy term -> need id mapping (default: bot/words/taxonomy_map.yml)")
    oruk.add_argument("--area", help="area id for every service (needed when the feed doesn't say)")
    oruk.add_argument("--timeout", type=float, default=20.0, metavar="S", help="seconds to wait for each page")

    export = commands.add_parser("export-hsds", help="write the directory as HSDS 3.0 JSON")
    export.add_argument("--output", help="file to write (default: standard output)")
    export.add_argument("--file", default=str(DEFAULT_PATH))

    for name, text in (("report", "unmet-needs report from the conversation store (counts only)"),
                       ("purge", "delete conversations older than the retention period")):
        tool = commands.add_parser(name, help=text)
        store = tool.add_mutually_exclusive_group()
        store.add_argument("--db", default="conversations.db", help="SQLite file of Rasa's tracker store")
        store.add_argument("--database-url", help="SQLAlchemy URL instead, e.g. postgresql://...")
        if name == "report":
            tool.add_argument("--output-dir", default="reports", help="where unmet-needs.md and unmet-needs.png go")
        else:
            tool.add_argument("--days", type=int, help="keep this many days (default: RETENTION_DAYS or 30)")


def _import_oruk(args: argparse.Namespace) -> int:
    from bot.oruk_import import MAPPING_PATH, import_feed

    return import_feed(args.url, args.output, mapping=args.mapping or MAPPING_PATH, area=args.area, timeout=args.timeout)


def _export_hsds(args: argparse.Namespace) -> int:
    from bot.hsds_export import export

    try:
        directory = load_directory(args.file)
    except DirectoryError as error:
        print(error, file=sys.stderr)
        return 1
    text = export(directory)
    if not args.output:
        sys.stdout.write(text)
        return 0
    from pathlib import Path

    Path(args.output).write_text(text, encoding="utf-8")
    print(f"Wrote {args.output}: HSDS 3.0 JSON, {len(directory.services)} services")
    return 0


def _store(args: argparse.Namespace):
    """The tracker store's database, or None (with a message) when it isn't there."""
    import sqlalchemy as sa

    if args.database_url:
        try:
            return sa.create_engine(args.database_url)
        except Exception as error:  # a malformed URL or a missing database driver
            print(mask_passwords(f"Can't use --database-url: {type(error).__name__}: {str(error).splitlines()[0]}"),
                  file=sys.stderr)
            return None
    from pathlib import Path

    if not Path(args.db).is_file():  # SQLite would quietly create an empty one
        print(f"No conversation database at {args.db}; use --db FILE or --database-url URL.", file=sys.stderr)
        return None
    return sa.create_engine(f"sqlite:///{Path(args.db).resolve()}")


def _report(args: argparse.Namespace) -> int:
    from bot.report import report

    engine = _store(args)
    if engine is None:
        return 1
    try:
        return report(engine, args.output_dir)
    except Exception as error:  # sqlalchemy.exc.* mostly: a clear line, not a traceback
        print(mask_passwords(f"Could not read conversations: {type(error).__name__}: {str(error).splitlines()[0]}"),
              file=sys.stderr)
        return 1


def _purge(args: argparse.Namespace) -> int:
    from bot.retention import purge_old, retention_days

    engine = _store(args)
    if engine is None:
        return 1
    days = args.days if args.days is not None else retention_days()
    if days < 1:
        print("--days must be at least 1.", file=sys.stderr)
        return 2
    try:
        removed = purge_old(engine, days)
    except Exception as error:  # sqlalchemy.exc.*: a clear line, not a traceback
        print(mask_passwords(f"Could not purge conversations: {type(error).__name__}: {str(error).splitlines()[0]}"),
              file=sys.stderr)
        return 1
    print(f"Deleted {removed} conversation(s) older than {days} days.")
    return 0


_TOOLS = {"import-oruk": _import_oruk, "export-hsds": _export_hsds, "report": _report, "purge": _purge}


if __name__ == "__main__":
    sys.exit(main())
