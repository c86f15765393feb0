"""`dealroom` command: validate records and print the record schema, without MkDocs."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dealroom import __version__
from dealroom.errors import RecordError
from dealroom.model import Deal
from dealroom.pipeline import check


def _validate(path: Path) -> int:
    try:
        count = len(check(path))
    except RecordError as error:
        print(error, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"{count} deal record(s) valid")
    return 0


def schema() -> dict[str, object]:
    """JSON Schema of a deal record, for editor completion (e.g. the YAML language server)."""
    document = Deal.model_json_schema()
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
    commands.add_parser("schema", help="print the JSON Schema of a deal record")
    args = parser.parse_args(argv)
    if args.command is None:  # a bare `dealroom`: say what it can do
        parser.print_help()
        return 0
    if args.command == "validate":
        return _validate(args.path)
    print(json.dumps(schema(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
