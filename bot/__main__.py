"""Command line for maintainers and family mentors: `python -m bot <command>`.

validate [FILE] [--production] [--allow-draft-languages]   check the directory; list every
                                 problem; --production refuses draft languages unless allowed
find --need N [--area A | --postcode P] [filters]   what a mentor would search
import-oruk URL --output FILE [--area A]   merge a council's Open Referral feed into FILE
export-hsds [--output FILE]      the directory as HSDS 3.0 JSON
report [--db FILE | --database-url URL] [--output-dir DIR]   unmet needs, counts only
purge [--db FILE | --database-url URL] [--days N]   delete conversations past retention
needs [--check]                  write the need intents, buttons and rules from the directory;
                                 --check: exit 1 if they or the training data disagree with it
languages [--check]              write every response's variation in each language into domain.yml
                                 from bot/words/languages/; --check: exit 1 if it is out of date
overlap [--need ID] [--heldout]  list training examples that use another need's words
review [--db FILE | --database-url URL] [--output FILE]   the safety review: messages it was unsure about
review --apply FILE [--dev-dir DIR]   add a safeguarding lead's marks to the dev lists
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from bot.directory import DEFAULT_PATH, DirectoryError, load_directory
from bot.masking import mask_passwords


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check the services directory")
    validate.add_argument("file", nargs="?", default=str(DEFAULT_PATH))
    validate.add_argument(
        "--production",
        action="store_true",
        help="also refuse sample, unverified and stale entries, and draft languages",
    )
    validate.add_argument(
        "--allow-draft-languages",
        action="store_true",
        help="with --production: accept languages whose translation is not yet reviewed",
    )

    find = commands.add_parser(
        "find",
        help="find services, as a family mentor would",
        epilog=_need_ids(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Names and codes are accepted in any case: --area Bradford, --open-on saturday, --language Urdu.",
    )
    find.add_argument(
        "--need",
        action="append",
        required=True,
        help="need id (repeatable); the ids are listed below",
    )
    where = find.add_mutually_exclusive_group()
    where.add_argument("--area", help="area name or id, e.g. Bradford")
    where.add_argument("--postcode", help="a postcode or district")
    when = find.add_mutually_exclusive_group()
    when.add_argument(
        "--open-now",
        action="store_true",
        help="open now (unknown hours are listed after, to call and check)",
    )
    when.add_argument("--open-on", metavar="DAY", help="open on a day, e.g. saturday or sat")
    find.add_argument("--free", action="store_true")
    find.add_argument("--self-referral", action="store_true")
    find.add_argument(
        "--language", help="spoken, or interpreters booked: a name or code, e.g. Urdu or ur"
    )
    find.add_argument("--pregnant", action="store_true")
    find.add_argument("--child-age", type=int, metavar="MONTHS")
    find.add_argument("--page", type=int, default=1, help="which page of results (default 1)")
    find.add_argument("--per-page", type=int, default=10, help="services per page (default 10)")
    find.add_argument("--file", default=str(DEFAULT_PATH))

    _add_tool_commands(commands)
    needs = commands.add_parser(
        "needs", help="write the need intents, buttons and rules from the directory"
    )
    needs.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if anything disagrees with the directory",
    )
    languages = commands.add_parser(
        "languages", help="write each response's variations in every language into domain.yml"
    )
    languages.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if domain.yml is out of date"
    )
    overlap = commands.add_parser(
        "overlap", help="list training examples that use another need's words"
    )
    overlap.add_argument(
        "--need", help="only examples that use this need's words (e.g. a need you are adding)"
    )
    overlap.add_argument(
        "--heldout",
        action="store_true",
        help="also the held-out sets (counts only for sealed ones)",
    )

    args = parser.parse_args(argv)
    if args.command == "needs":
        from bot.tools.needs import main as needs_main

        return needs_main(["--check"] if args.check else [])
    if args.command == "languages":
        from bot.tools.domain_languages import main as languages_main

        return languages_main(["--check"] if args.check else [])
    if args.command == "overlap":
        from bot.tools.label_overlap import main as overlap_main

        return overlap_main(
            (["--need", args.need] if args.need else []) + (["--heldout"] if args.heldout else [])
        )
    if args.command == "validate":
        return _validate(args.file, args.production, args.allow_draft_languages)
    if args.command in _TOOLS:
        return _TOOLS[args.command](args)
    return _find(args)


def _directory_or_none(path: str):
    """The directory at `path`, or None after printing what is wrong with it."""
    try:
        return load_directory(path)
    except DirectoryError as error:
        print(error, file=sys.stderr)
        return None


def _validate(path: str, production: bool, allow_draft_languages: bool = False) -> int:
    from bot.tools.production_checks import production_problems

    directory = _directory_or_none(path)
    if directory is None:
        return 1
    if production:
        languages_ready = _languages_ready(allow_draft_languages)
        problems = production_problems(directory, dt.date.today())
        if problems:
            print(DirectoryError(path, problems), file=sys.stderr)
        if problems or not languages_ready:
            return 1
    shown = sum(s.shown_to_parents for s in directory.services.values())
    print(
        f"{path}: OK - {len(directory.services)} services ({shown} shown to parents), "
        f"{len(directory.needs)} needs, {len(directory.areas)} areas"
    )
    return 0


def _languages_ready(allow_draft: bool) -> bool:
    """List the turned-on languages still in draft; False (refuse) unless drafts are allowed."""
    from bot.translations import translations

    t = translations()
    drafts = t.draft_languages()
    for code in drafts:
        print(
            f"Draft language: {t.languages[code].name} ({code}) has not been reviewed by a fluent "
            f"speaker (bot/words/languages/{code}.yml review); parents see its draft notice.",
            file=sys.stderr,
        )
    if drafts and not allow_draft:
        print(
            f"Refused: {len(drafts)} draft language(s). Have them reviewed, turn them off in "
            "bot/words/languages.yml, or pass --allow-draft-languages to use them as drafts.",
            file=sys.stderr,
        )
        return False
    return True


def _need_ids() -> str:
    """The need ids of the default directory, for `find --help`."""
    try:
        needs = load_directory(DEFAULT_PATH).needs.values()
    except DirectoryError:
        return "Need ids: see the directory's needs list."
    return "Need ids:\n" + "\n".join(f"  {n.id:<26} {n.label}" for n in needs)


def _find(args: argparse.Namespace) -> int:
    from bot.mentor import (
        ChoiceError,
        area_choice,
        day_choice,
        hint_text,
        hints,
        language_choice,
        need_choice,
        text_card,
    )
    from bot.places import Places
    from bot.search import LONDON, Filters, find_page

    directory = _directory_or_none(args.file)
    if directory is None:
        return 1
    if args.page < 1 or args.per_page < 1:
        print("--page and --per-page must be at least 1.", file=sys.stderr)
        return 2
    try:
        needs = [need_choice(directory, need) for need in args.need]
        area = area_choice(directory, args.area) if args.area else None
        language = language_choice(directory, args.language) if args.language else None
        open_on = day_choice(args.open_on) if args.open_on else None
    except ChoiceError as error:
        print(error, file=sys.stderr)
        return 2
    if args.postcode:
        answer = Places(directory).resolve(args.postcode)
        if answer.needs_choice:
            print(
                f"{args.postcode} is shared with a neighbouring council; use --area {answer.choices[0]} if it is in "
                f"{directory.areas[answer.choices[0]].name}.",
                file=sys.stderr,
            )
            return 2
        area = answer.area
        if area is None:
            print(
                f"{args.postcode} is not in the five partnership areas; showing national services."
            )
    filters = Filters(
        free=args.free,
        self_referral=args.self_referral,
        language=language,
        pregnant=args.pregnant,
        child_age_months=args.child_age,
        open_now=args.open_now,
        open_on=open_on,
    )
    now = dt.datetime.now(LONDON)
    start = (args.page - 1) * args.per_page
    for need in needs:
        page = find_page(directory, need, area, filters, now, start=start, size=args.per_page)
        place = directory.areas[area].name if area else "national"
        shown = f"{start + 1}-{start + len(page.services)}" if page.services else "none"
        print(
            f"== {directory.needs[need].label} - {place}: services {shown}"
            f"{f' (more: --page {args.page + 1})' if page.more else ''} ==\n"
        )
        if not page.services and not start:
            print(hint_text(hints(directory, need, area, filters, now)) + "\n")
        for service in page.services:
            print(text_card(service, filters, now, directory))
            print()
    return 0


# ---------------------------------------------------------------- directory and report tools


def _add_tool_commands(commands) -> None:
    oruk = commands.add_parser(
        "import-oruk",
        help="merge services from an Open Referral UK / HSDS 3.0 feed into a directory file",
    )
    oruk.add_argument("url", help="the feed's base URL (services are read from URL/services)")
    oruk.add_argument(
        "--output",
        help="directory file to merge into (created if missing); needed unless --list-terms",
    )
    oruk.add_argument(
        "--dry-run",
        action="store_true",
        help="read, map and check everything, say what would change, write nothing",
    )
    oruk.add_argument(
        "--list-terms",
        action="store_true",
        help="list every taxonomy term in the feed, with counts and its need",
    )
    oruk.add_argument(
        "--mapping", help="taxonomy term -> need id mapping (default: bot/words/taxonomy_map.yml)"
    )
    oruk.add_argument("--area", help="area id for every service (needed when the feed doesn't say)")
    oruk.add_argument(
        "--timeout", type=float, default=20.0, metavar="S", help="seconds to wait for each page"
    )

    export = commands.add_parser("export-hsds", help="write the directory as HSDS 3.0 JSON")
    export.add_argument("--output", help="file to write (default: standard output)")
    export.add_argument("--file", default=str(DEFAULT_PATH))
    export.add_argument(
        "--check",
        action="store_true",
        help="check the export against Open Referral's HSDS 3.0 schemas instead of writing it",
    )

    for name, text in (
        ("report", "unmet-needs report from the conversation store (counts only)"),
        ("purge", "delete conversations older than the retention period"),
        ("review", "the safety review: list messages it was unsure about, or apply marks"),
    ):
        tool = commands.add_parser(name, help=text)
        store = tool.add_mutually_exclusive_group()
        store.add_argument(
            "--db", default="conversations.db", help="SQLite file of Rasa's tracker store"
        )
        store.add_argument("--database-url", help="SQLAlchemy URL instead, e.g. postgresql://...")
        if name == "report":
            tool.add_argument(
                "--output-dir",
                default="reports",
                help="where unmet-needs.md and unmet-needs.png go",
            )
        elif name == "review":
            tool.add_argument(
                "--output", help="write the list to this YAML file (default: standard output)"
            )
            tool.add_argument(
                "--apply",
                metavar="FILE",
                help="a marked review file: add its lines to the dev lists",
            )
            tool.add_argument(
                "--dev-dir", help="dev lists folder (default: tests/dev); never a held-out set"
            )
        else:
            tool.add_argument(
                "--days", type=int, help="keep this many days (default: RETENTION_DAYS or 30)"
            )


def _import_oruk(args: argparse.Namespace) -> int:
    from bot.tools.oruk_import import MAPPING_PATH, import_feed, list_terms

    if args.list_terms:
        return list_terms(args.url, mapping=args.mapping or MAPPING_PATH, timeout=args.timeout)
    if not args.output:
        print(
            "import-oruk needs --output FILE (the directory file to merge into), or --list-terms.",
            file=sys.stderr,
        )
        return 2
    return import_feed(
        args.url,
        args.output,
        mapping=args.mapping or MAPPING_PATH,
        area=args.area,
        timeout=args.timeout,
        dry_run=args.dry_run,
    )


def _export_hsds(args: argparse.Namespace) -> int:
    from bot.tools.hsds_export import export

    directory = _directory_or_none(args.file)
    if directory is None:
        return 1
    if args.check:
        from bot.tools.hsds_export import check

        problems = check(directory)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(
                f"{len(problems)} problem(s): the export does not pass HSDS 3.0's schemas.",
                file=sys.stderr,
            )
            return 1
        print(
            f"All {len(directory.services)} services pass HSDS 3.0 service.json; pages of 50 pass service_list.json."
        )
        return 0
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
            print(
                mask_passwords(
                    f"Can't use --database-url: {type(error).__name__}: {str(error).splitlines()[0]}"
                ),
                file=sys.stderr,
            )
            return None
    from pathlib import Path

    if not Path(args.db).is_file():  # SQLite would quietly create an empty one
        print(
            f"No conversation database at {args.db}; use --db FILE or --database-url URL.",
            file=sys.stderr,
        )
        return None
    return sa.create_engine(f"sqlite:///{Path(args.db).resolve()}")


def _report(args: argparse.Namespace) -> int:
    from bot.tools.report import report

    engine = _store(args)
    if engine is None:
        return 1
    try:
        return report(engine, args.output_dir)
    except Exception as error:  # sqlalchemy.exc.* mostly: a clear line, not a traceback
        print(
            mask_passwords(
                f"Could not read conversations: {type(error).__name__}: {str(error).splitlines()[0]}"
            ),
            file=sys.stderr,
        )
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
        from bot.review import purge_old as purge_old_reviews

        reviews = purge_old_reviews(engine, days)
    except Exception as error:  # sqlalchemy.exc.*: a clear line, not a traceback
        print(
            mask_passwords(
                f"Could not purge conversations: {type(error).__name__}: {str(error).splitlines()[0]}"
            ),
            file=sys.stderr,
        )
        return 1
    print(
        f"Deleted {removed} conversation(s) and {reviews} review message(s) older than {days} days."
    )
    return 0


def _review(args: argparse.Namespace) -> int:
    from pathlib import Path

    import yaml

    from bot import review

    try:
        needs = list(load_directory(DEFAULT_PATH).needs)
    except DirectoryError as error:
        print(error, file=sys.stderr)
        return 1
    if args.apply:
        try:
            marked = yaml.safe_load(Path(args.apply).read_text(encoding="utf-8"))
            counts, applied = review.apply(
                marked, set(needs), Path(args.dev_dir) if args.dev_dir else review.DEV_DIR
            )
        except (OSError, yaml.YAMLError, review.ReviewError) as error:
            print(f"Could not apply {args.apply}: {error}", file=sys.stderr)
            return 1
        print(
            f"Added {sum(counts.values())} marked message(s) to the dev lists: "
            + (", ".join(f"{mark} {n}" for mark, n in sorted(counts.items())) or "none")
        )
        engine = _store(args) if (args.database_url or Path(args.db).is_file()) else None
        if engine is not None:
            print(f"Removed {review.remove(engine, applied)} reviewed message(s) from the store.")
        return 0
    engine = _store(args)
    if engine is None:
        return 1
    try:
        items = review.waiting(engine)
    except Exception as error:  # sqlalchemy.exc.*: a clear line, not a traceback
        print(
            f"Could not read the review: {type(error).__name__}: {str(error).splitlines()[0]}",
            file=sys.stderr,
        )
        return 1
    text = review.listing(items, needs)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(
        review.summary(items)
        + (
            ""
            if review.review_on()
            else "\n(The review is off: set SAFETY_REVIEW=on to keep these messages.)"
        ),
        file=sys.stderr,
    )
    return 0


_TOOLS = {
    "import-oruk": _import_oruk,
    "export-hsds": _export_hsds,
    "report": _report,
    "purge": _purge,
    "review": _review,
}


if __name__ == "__main__":
    sys.exit(main())
