"""Command line for maintainers and family mentors: `python -m bot <command>`.

  validate [FILE] [--production]   check the directory; list every problem
  find --need N [--area A | --postcode P] [filters]   what a mentor would search
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from bot.directory import DAYS, DEFAULT_PATH, DirectoryError, load_directory


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

    args = parser.parse_args(argv)
    if args.command == "validate":
        return _validate(args.file, args.production)
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


if __name__ == "__main__":
    sys.exit(main())
