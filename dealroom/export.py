"""`dealroom export`: the room as a plain project any engine builds, with no plugin of ours.

It writes what the plugin would serve: the generated pages and attachments (masked), the
hand-written pages of `docs_dir` (redacted with the room's rule, as the plugin redacts them),
their other files, and a `mkdocs.yml` and a `zensical.toml` with the nav written out. The
records are never copied. The output is deterministic: sorted, no timestamps.

Only reading the room's `mkdocs.yml` is MkDocs's format; nothing here imports MkDocs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dealroom.errors import RecordError, field_name
from dealroom.guard import Guard
from dealroom.marker import check_marker, link_to_records
from dealroom.mask import MaskPolicy
from dealroom.model import ACCOUNT_NUMBER_FIELDS, MASKABLE_FIELDS
from dealroom.pipeline import Pipeline, Published, Settings
from dealroom.render import Renderer, deals_nav

# What MkDocs reads as a page (mkdocs.utils.markdown_extensions).
PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
OVERRIDES = "site_overrides"


class RoomError(Exception):
    """A room that cannot be exported or scanned as asked: one line, no number in it."""


@dataclass(frozen=True)
class RoomConfig:
    """What a room's `mkdocs.yml` says of the room: the plugin's options and the site's."""

    file: Path
    settings: dict[str, Any]  # the file as loaded
    deals_dir: Path
    docs_dir: Path
    policy: MaskPolicy
    nav_title: str
    banner: str
    history: bool = True  # the plugin's `history` option: past numbers are secrets too

    @property
    def renderer(self) -> Renderer:
        return Renderer(str(self.settings.get("site_name", "")),
                        self.settings.get("use_directory_urls", True) is not False)

    @property
    def custom_dir(self) -> Path | None:
        theme = self.settings.get("theme")
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        return self.file.parent / custom if isinstance(custom, str) and custom else None


def _problem(file: Path, path: tuple[str | int, ...], message: str, fix: str = "") -> RecordError:
    return RecordError.single(file, message, fix, field=field_name(path))


def _plugin_options(file: Path, plugins: Any) -> dict[str, Any]:
    """The `dealroom` entry of `plugins` (a list or a mapping), as written."""
    entries = plugins.items() if isinstance(plugins, dict) else \
        [(p, None) if isinstance(p, str) else next(iter(p.items())) for p in plugins or []
         if isinstance(p, str) or (isinstance(p, dict) and len(p) == 1)]
    for name, options in entries:
        if name == "dealroom":
            if options is not None and not isinstance(options, dict):
                raise _problem(file, ("plugins", "dealroom"), "the plugin's options must be a mapping")
            return options or {}
    raise _problem(file, ("plugins",), "the dealroom plugin is not configured",
                   "add `- dealroom` to `plugins`, with its options")


def _text_option(file: Path, options: dict[str, Any], name: str, default: str) -> str:
    value = options.get(name, default)
    if not isinstance(value, str):
        raise _problem(file, ("plugins", "dealroom", name), "must be text")
    return value


def read_config(file: Path) -> RoomConfig:
    """The room's configuration from its `mkdocs.yml`; `RecordError` when it cannot be used."""
    try:
        settings = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise RecordError.single(file, f"the configuration cannot be read: {error.strerror}",
                                 "give the room's mkdocs.yml with --config") from None
    except UnicodeDecodeError:
        raise RecordError.single(file, "the configuration is not UTF-8 text") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise RecordError.single(
            file, f"the configuration is not plain YAML: {getattr(error, 'problem', None) or 'invalid'}",
            "export reads mkdocs.yml without Python tags (!!python/...) or !ENV",
            line=mark.line + 1 if mark else 1, column=mark.column + 1 if mark else 1) from None
    if not isinstance(settings, dict):
        raise RecordError.single(file, "the configuration is not a mapping of settings")
    if not isinstance(settings.get("site_name"), str):
        raise _problem(file, ("site_name",), "the site has no name", "set `site_name`")
    options = _plugin_options(file, settings.get("plugins"))
    mask = options.get("mask") or {}
    fields = mask.get("fields", list(ACCOUNT_NUMBER_FIELDS)) if isinstance(mask, dict) else None
    if not isinstance(fields, list) or not all(f in MASKABLE_FIELDS for f in fields):
        raise _problem(file, ("plugins", "dealroom", "mask", "fields"),
                       f"must be a list of {', '.join(MASKABLE_FIELDS)}")
    digits = mask.get("visible_digits", 4)
    if type(digits) is not int or not 0 <= digits <= 4:
        raise _problem(file, ("plugins", "dealroom", "mask", "visible_digits"),
                       "must be a whole number between 0 and 4")
    base = file.parent
    deals_dir = (base / _text_option(file, options, "deals_dir", "content/deals")).resolve()
    docs_dir = (base / str(settings.get("docs_dir", "docs"))).resolve()
    if deals_dir.is_relative_to(docs_dir):
        raise _problem(file, ("plugins", "dealroom", "deals_dir"), "the records are inside docs_dir",
                       "move the records out of docs_dir")
    link = link_to_records(docs_dir, deals_dir) if docs_dir.is_dir() else None
    if link is not None:
        raise RecordError.single(link, "a link into the deal records: the raw records would be "
                                 "published through it", "remove the link")
    return RoomConfig(file, settings, deals_dir, docs_dir, MaskPolicy(tuple(fields), digits),
                      _text_option(file, options, "nav_title", "Deals"),
                      _text_option(file, options, "banner", "Confidential"),
                      options.get("history", True) is not False)


def require_marker(deals_dir: Path) -> None:
    """`RoomError` unless `deals_dir` is a marked records folder: no silent empty room."""
    problem = check_marker(deals_dir)
    if problem is not None:
        raise RoomError(problem)


def _own_files(docs_dir: Path) -> list[tuple[str, Path]]:
    """The hand-written files of `docs_dir` MkDocs would read (not dotfiles, not `templates/`)."""
    if not docs_dir.is_dir():
        return []
    found = []
    for path in sorted(docs_dir.rglob("*")):
        relative = path.relative_to(docs_dir)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts) and \
                relative.parts[0] != "templates":
            found.append((relative.as_posix(), path))
    return found


def _plain(value: Any) -> Any:
    """Nav entries as plain strings (the nav's titles are escaped `Markup`)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value)


def _docs(config: RoomConfig, published: Published) -> dict[str, bytes]:
    """Every file of the exported `docs/`: generated, then hand-written (redacted)."""
    docs: dict[str, bytes] = {}
    for path, source in {**published.pages, **published.files}.items():
        docs[path] = source.encode() if isinstance(source, str) else source.read_bytes()
    for path, source in _own_files(config.docs_dir):
        if path in docs:
            raise RecordError.single(source, f"{path} is generated from the deal records",
                                     "remove the hand-written file of that name from docs_dir")
        if source.suffix not in PAGE_SUFFIXES:
            docs[path] = source.read_bytes()
            continue
        try:
            text = source.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise RecordError.single(source, "the page is not UTF-8 text") from None
        # A hand-written page may quote a number too: it gets the rule every deal page gets.
        docs[path] = published.public.redact(text).encode()
    return docs


def _guard(docs: dict[str, bytes], published: Published) -> None:
    """The plugin's leak guard over what would be exported: `RoomError` naming each file and
    field (never the number) if a raw number is in any, or if an attached file no person has
    reviewed cannot be read whole. What the plugin's build would refuse is not exported either:
    a number the mask cannot see (full-width digits, a page spelling it with entities)."""
    public = published.public
    guard = Guard(public.guarded)
    attachments = public.unreviewed_attachments()
    problems: list[str] = []
    for path, data in sorted(docs.items()):
        reading = guard.read(path, data, path in attachments)
        shown = guard.shown(Path(path)).as_posix()
        problems += [f"{shown}: raw account number from deal {str(guard.shown(Path(s.deal)))!r}, field "
                     f"{s.field}; nothing was exported (fix: mask or delete the number at its source)"
                     for s in reading.secrets]
        if reading.unclear is not None:
            problems.append(f"{shown}: {reading.unclear}; nothing was exported")
        if reading.unreadable is not None and path in attachments:
            problems.append(f"{shown}: the leak guard cannot read all of it "
                            f"({guard.shown(Path(reading.unreadable)).as_posix()}); nothing was exported "
                            "(fix: attach a version whose text can be read, or add `reviewed_by` and "
                            "`reviewed_on` once a person has checked it)")
    if problems:
        raise RoomError("\n".join(problems))


def _nav(config: RoomConfig, published: Published, docs: dict[str, bytes]) -> Any:
    """The plugin's nav: the configured one, else Home, the hand-written pages, the deals."""
    if config.settings.get("nav") is not None:
        return config.settings["nav"]
    own = sorted(p for p in docs if p.endswith(PAGE_SUFFIXES) and p != "index.md"
                 and not p.startswith("deals/"))
    return _plain([{"Home": "index.md"}, *own, deals_nav(published.public.rows, config.nav_title)])


def _search(plugins: Any) -> Any:
    """The search plugin's entry as configured (its options kept), or plain `search`."""
    entries = plugins.items() if isinstance(plugins, dict) else [
        next(iter(p.items())) for p in plugins or [] if isinstance(p, dict) and len(p) == 1]
    return next(({"search": options} for name, options in entries if name == "search" and options),
                "search")


def exported_settings(config: RoomConfig, nav: Any) -> dict[str, Any]:
    """The room's settings for a build from the export: plugin-free, the nav written out."""
    settings = dict(config.settings)
    settings.update(docs_dir="docs", site_dir="site", nav=nav, plugins=[_search(settings.get("plugins"))])
    if config.custom_dir is not None:
        settings["theme"] = {**settings["theme"], "custom_dir": OVERRIDES}
    settings["extra"] = {**(settings.get("extra") or {}), "dealroom": {"banner": config.banner}}
    return settings


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _toml_key(key: Any) -> str:
    return str(key) if _BARE_KEY.fullmatch(str(key)) else _toml_string(str(key))


def _toml_string(text: str) -> str:
    # A JSON string is a TOML basic string, but for DEL, which TOML wants escaped.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        items = [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items() if v is not None]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    return _toml_string(str(value))


def _toml_table(name: str, table: dict[str, Any], lines: list[str]) -> None:
    """`table` as `[name]`: its values, then its sub-tables (TOML has no null: None is left out)."""
    lines.append(f"[{name}]")
    for key, value in table.items():
        if isinstance(value, list) and value:
            lines.append(f"{_toml_key(key)} = [")
            lines.extend(f"  {_toml_value(item)}," for item in value if item is not None)
            lines.append("]")
        elif value is not None and not isinstance(value, dict):
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for key, value in table.items():
        if isinstance(value, dict):
            lines.append("")
            _toml_table(f"{name}.{_toml_key(key)}", value, lines)


def zensical_toml(settings: dict[str, Any]) -> str:
    """The settings as `zensical.toml`: Zensical reads mkdocs.yml's settings under `[project]`."""
    lines = ["# Written by `dealroom export`: the room's pages are generated already."]
    _toml_table("project", settings, lines)
    return "\n".join(lines) + "\n"


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def export_room(config_file: Path, out: Path) -> dict[str, bytes]:
    """Write the room of `config_file` to `out` (a new or empty folder); every file written, by
    its path in `out`. Raises `RecordError` or `RoomError`, and writes nothing then."""
    config = read_config(config_file)
    require_marker(config.deals_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise RoomError(f"{out}: the export folder is not empty (fix: give a new or empty folder)")
    pipeline = Pipeline(Settings(config.deals_dir, config.policy, history=config.history), config.renderer)
    deals = pipeline.load()
    # As the plugin does: the history's past numbers are redacted too, and shown masked.
    published = pipeline.publish(deals, with_home=not (config.docs_dir / "index.md").is_file(),
                                 history=pipeline.history(deals))
    docs = _docs(config, published)
    settings = exported_settings(config, _nav(config, published, docs))
    # The settings and the theme's overrides are published as the pages are (a banner, a
    # description, a template): guarded with them, by the names they have in `out`.
    others = {f"{OVERRIDES}/{path}": data for path, data in _tree(config.custom_dir).items()} \
        if config.custom_dir is not None else {}
    others["mkdocs.yml"] = yaml.safe_dump(settings, sort_keys=False, allow_unicode=True).encode()
    others["zensical.toml"] = zensical_toml(settings).encode()
    _guard({**docs, **others}, published)
    files = {**{f"docs/{path}": data for path, data in docs.items()}, **others}
    for path in sorted(files):
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(files[path])
    return files
