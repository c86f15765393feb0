"""`dealroom` command, without MkDocs: validate records, print the record schema, export a room
for any engine, scan any built site with the room's leak guard, show the masked field changes
of records between commits, and start a new record for a kind of deal."""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path

from dealroom import __version__
from dealroom.derive import Facts
from dealroom.errors import Problem, RecordError
from dealroom.export import RoomError, export_room, read_config, require_marker
from dealroom.field_titles import titled
from dealroom.git import GitError
from dealroom.history import read_history, verification_status
from dealroom.mask import MaskPolicy, PublicRoom, past_values
from dealroom.model import Deal
from dealroom.numbers import Redactor, Secret
from dealroom.pipeline import Pipeline, Settings, check, room_numbers
from dealroom.recorddiff import VISIBLE_DIGITS, read_snapshot, textconv
from dealroom.render import Renderer
from dealroom.revisions import diff_revisions
from dealroom.scan import UnscannableSite, scan_and_remove
from dealroom.validate import _SLUG as DEAL_ID

# `dealroom new KIND`: the commented starting records in dealroom/starters/, each valid as written.
STARTERS = {
    "share-purchase": "a company sells shares to a purchaser at a price per share",
    "note": "purchasers buy a company's promissory or convertible notes",
    "loan": "lenders lend to a borrower through an agent: a term loan or credit facility",
    "pipe": "purchasers buy a listed company's shares and warrants, with registration rights",
}


def _unverified(deals_dir: Path, deals: list[Facts]) -> list[Problem]:
    """Payment instructions with no call-back since their last change (from git)."""
    folder = deals_dir.resolve()  # `read_history` reads `deals_dir` from `where`
    history = read_history(folder, folder, known=PublicRoom(deals, MaskPolicy()).secrets)
    if not history.available:
        raise RoomError(f"{deals_dir}: history not available: {history.reason}; "
                        "--require-verified needs the records' whole git history")
    problems = []
    for facts in deals:
        for instruction in facts.deal.instructions:
            status = verification_status(history.deal(facts.slug), instruction.id, instruction.verified)
            if status != "verified":
                problems.append(Problem(
                    facts.record, 1, 1, f"instructions[{instruction.id}]",
                    "not verified by a call-back since its last change" if status == "unverified"
                    else "its call-back is void: the instruction changed after it",
                    "call the recipient back on a number already on file, then add a `verified` entry"))
    return problems


def _validate(path: Path, require_verified: bool = False) -> int:
    try:
        if path.is_dir():
            require_marker(path)
        deals = check(path)
        count = len(deals)
        if require_verified:
            folder = path if path.is_dir() else path.parent.parent if path.stem == "deal" else path.parent
            problems = _unverified(folder, deals)
            if problems:
                raise RecordError(problems)
    except RoomError as error:
        print(f"dealroom: {error}", file=sys.stderr)
        return 1
    except RecordError as error:
        print(error, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"{count} deal record(s) valid")
    return 0


def _export(out: Path, config_file: Path) -> int:
    try:
        files = export_room(config_file, out)
    except (RecordError, RoomError) as error:
        print(f"dealroom: {error}", file=sys.stderr)
        return 1
    pages = sum(1 for path in files if path.startswith("docs/") and path.endswith(".md"))
    print(f"exported {pages} page(s), {len(files)} file(s) to {out}")
    return 0


def _scan(site: Path, deals_dir: Path, config_file: Path | None) -> int:
    """The leak guard over a site built by any engine, and proof that it is the room's site."""
    try:
        policy = read_config(config_file).policy if config_file is not None else MaskPolicy()
        require_marker(deals_dir)
        deals = Pipeline(Settings(deals_dir, policy), Renderer()).load()
        # Numbers earlier versions held are secrets too: the plugin's history pages show them.
        folder = deals_dir.resolve()
        history = read_history(folder, folder, known=PublicRoom(deals, policy).secrets)
        public = PublicRoom(deals, policy, [*history.secrets(), *past_values(history, policy)])
        # A site built without the plugin has no home page, no deal page: it is not the room.
        missing = [page for page in ["index.html", *(f"deals/{slug}/index.html" for slug in public.deals)]
                   if not (site / page).is_file()]
        if missing:
            raise RoomError(f"{site / missing[0]}: missing ({len(missing)} page(s) of the room are; fix: "
                            "build the room with the dealroom plugin, or from `dealroom export`)")
        leaks = scan_and_remove(site, public.guarded, attachments=public.unreviewed_attachments())
    except (RecordError, RoomError, UnscannableSite) as error:
        print(f"dealroom: {error}", file=sys.stderr)
        return 1
    if leaks:
        print("dealroom: the leak guard found what must not be published:", file=sys.stderr)
        for leak in leaks:
            print(leak, file=sys.stderr)
        return 1
    print(f"{site}: no raw account number of {len(public.deals)} deal(s) found")
    return 0


def _write(lines: list[str]) -> None:
    # UTF-8 whatever the locale: the masks' bullets must not fail a terminal or a `git diff`.
    sys.stdout.flush()
    sys.stdout.buffer.write("".join(f"{line}\n" for line in lines).encode("utf-8", "replace"))
    sys.stdout.buffer.flush()


def _textconv(file: Path, deals: Path) -> int:
    """One record as `field.path: value` lines, numbers masked: `git diff`'s view of it. Its
    text may quote another record's number, or one of the past: the room's are masked too."""
    try:
        snapshot = read_snapshot(file.read_bytes(), file.name)
    except OSError as exc:
        print(f"dealroom diff: cannot read {file}: {exc.strerror}", file=sys.stderr)
        return 1
    secrets = [Secret(number, file.name, field) for number, field in snapshot.numbers]
    if deals.is_dir():
        secrets += room_numbers(deals)
        folder = deals.resolve()
        history = read_history(folder, folder, known=secrets)
        secrets += history.secrets()
    _write(textconv(snapshot, Redactor(secrets, VISIBLE_DIGITS)))
    return 0


def _diff(revisions: list[str], deals: Path) -> int:
    try:
        records = diff_revisions(Path.cwd(), deals, revisions[0], revisions[1] if revisions[1:] else None)
    except GitError as error:
        print(f"dealroom diff: {error}", file=sys.stderr)
        return 1
    payment = any(record.payment for record in records)
    lines = [line for record in records for line in record.lines()]
    lines.append(f"{len(records)} record(s) differ" + ("; a payment instruction changed: verify it "
                                                       "by a call-back before any money moves"
                                                       if payment else "") if records
                 else "no record differs")
    _write(lines)
    return 3 if payment else 0


def starter(kind: str) -> str:
    """The commented starting record of a kind of deal (a key of `STARTERS`)."""
    return (resources.files("dealroom") / "starters" / f"{kind}.yml").read_text(encoding="utf-8")


def _kinds() -> str:
    width = max(map(len, STARTERS))
    return "\n".join(f"  {kind:<{width}}  {what}" for kind, what in STARTERS.items())


def _new(kind: str, slug: str | None, deals: Path) -> int:
    """Print the starting record, or write it as `deals/<slug>/deal.yml`; never over a record."""
    text = starter(kind)
    if slug is None:
        _write(text.splitlines())
        return 0
    try:
        require_marker(deals)
    except RoomError as error:
        print(f"dealroom: {error}", file=sys.stderr)
        return 1
    # A deal's record may be `<slug>/deal.yml` or `<slug>.yml` (`pipeline.find_records`).
    existing = [path for path in (deals / slug / "deal.yml", deals / slug / "deal.yaml",
                                  deals / f"{slug}.yml", deals / f"{slug}.yaml") if path.exists()]
    if existing:
        print(f"dealroom new: {existing[0]} already exists; not overwritten (fix: choose another "
              "--slug, or edit that record)", file=sys.stderr)
        return 1
    record = deals / slug / "deal.yml"
    record.parent.mkdir(exist_ok=True)
    try:
        with record.open("x", encoding="utf-8") as file:  # "x": a file made meanwhile is kept
            file.write(text)
    except FileExistsError:
        print(f"dealroom new: {record} already exists; not overwritten", file=sys.stderr)
        return 1
    print(f"wrote {record}: a {kind} record to fill in; check it with `dealroom validate {record}`")
    return 0


def schema() -> dict[str, object]:
    """JSON Schema of a deal record, for editor completion (e.g. the YAML language server)."""
    document = titled(Deal.model_json_schema())  # readable titles; docstrings describe
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "Dealroom deal record"
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dealroom", description=__doc__)
    parser.add_argument("--version", action="version", version=f"dealroom {__version__}")
    commands = parser.add_subparsers(dest="command")
    check = commands.add_parser("validate", help="check deal records; exit 1 on any problem")
    check.add_argument("path", nargs="?", default="content/deals", type=Path,
                       help="a deals folder or one record file (default: content/deals)")
    check.add_argument("--require-verified", action="store_true",
                       help="also fail on a payment instruction not verified by a call-back since "
                            "its last change in git (for CI)")
    commands.add_parser("schema", help="print the JSON Schema of a deal record")
    export = commands.add_parser("export", help="write the room as a plain project for any engine "
                                 "(MkDocs, Zensical): docs/, mkdocs.yml, zensical.toml")
    export.add_argument("out", type=Path, help="a new or empty folder")
    export.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                        help="the room's mkdocs.yml (default: mkdocs.yml)")
    scan = commands.add_parser("scan", help="run the leak guard over a built site; exit 1 on a leak")
    scan.add_argument("site", type=Path, help="the built site folder")
    scan.add_argument("--deals", type=Path, required=True, help="the room's records folder")
    scan.add_argument("--config", type=Path, default=None,
                      help="the room's mkdocs.yml, for its mask options (default: account numbers)")
    changed = commands.add_parser("diff", help="the record fields changed between two commits, "
                                  "account numbers masked; exit 3 when a payment instruction changed")
    changed.add_argument("revisions", nargs="*", metavar="REV",
                         help="REV1 [REV2]: two commits (REV2 absent: the working tree)")
    changed.add_argument("--deals", type=Path, default=Path("content/deals"),
                         help="the deals folder (default: content/deals)")
    changed.add_argument("--textconv", type=Path, metavar="FILE",
                         help="print one record file as masked `field.path: value` lines, for "
                         "git's diff.<driver>.textconv")
    new = commands.add_parser("new", help="write a commented starting record for a kind of deal",
                              description="Write a commented starting record for a kind of deal, "
                              "valid as written, to fill in. Kinds:\n" + _kinds(),
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    new.add_argument("kind", nargs="?", metavar="KIND", help=", ".join(STARTERS))
    new.add_argument("--slug", help="write it as DEALS/SLUG/deal.yml (default: print it)")
    new.add_argument("--deals", type=Path, default=Path("content/deals"),
                     help="the deals folder (default: content/deals)")
    args = parser.parse_args(argv)
    if args.command is None:  # a bare `dealroom`: say what it can do
        parser.print_help()
        return 0
    if args.command == "validate":
        return _validate(args.path, args.require_verified)
    if args.command == "export":
        return _export(args.out, args.config)
    if args.command == "scan":
        return _scan(args.site, args.deals, args.config)
    if args.command == "new":
        if args.kind is None:  # like a bare `dealroom`: say what it can do
            print(f"dealroom new KIND [--slug SLUG]: a starting record for one of these kinds:\n{_kinds()}")
            return 0
        if args.kind not in STARTERS:
            new.error(f"unknown kind {args.kind!r}; the kinds are: {', '.join(STARTERS)}")
        if args.slug is not None and not DEAL_ID.fullmatch(args.slug):
            new.error(f"--slug {args.slug!r} is not a deal id: lowercase letters, digits and dashes")
        return _new(args.kind, args.slug, args.deals)
    if args.command == "diff":
        if args.textconv is not None and not args.revisions:
            return _textconv(args.textconv, args.deals)
        if args.textconv is not None or not 1 <= len(args.revisions) <= 2:
            changed.error("give REV1 [REV2], or --textconv FILE alone")
        return _diff(args.revisions, args.deals)
    print(json.dumps(schema(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
