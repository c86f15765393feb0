"""The plugin's options in `mkdocs.yml`, declared as MkDocs declares its own."""

from __future__ import annotations

import os

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from dealroom.model import ACCOUNT_NUMBER_FIELDS, MASKABLE_FIELDS


class _Whole(base.BaseConfigOption[int]):
    """A whole number within bounds; not `true` or `false` (to Python a bool is an int)."""

    def __init__(self, default: int, least: int, most: int) -> None:
        super().__init__()
        self.default, self.least, self.most = default, least, most

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"Expected a whole number from {self.least} to {self.most}, "
                                    f"got {value!r}")
        if not self.least <= value <= self.most:
            raise ValidationError(f"Expected a whole number from {self.least} to {self.most}, "
                                    f"got {value}")
        return value


class _Folder(c.Type[str]):
    """A folder's path relative to mkdocs.yml: text, with no NUL character (no path has one)."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        path = super().run_validation(value)
        if "\0" in path:
            raise ValidationError("A path cannot hold a NUL character")
        return path


class MaskConfig(base.Config):
    # The account number fields are masked whatever this lists: it can only add fields.
    fields = c.ListOfItems(c.Choice(MASKABLE_FIELDS), default=list(ACCOUNT_NUMBER_FIELDS))
    visible_digits = _Whole(4, 0, 4)


class DealroomConfig(base.Config):
    enabled = c.Type(bool, default=True)
    deals_dir = _Folder("content/deals")
    banner = c.Type(str, default="Confidential")
    nav_title = c.Type(str, default="Deals")
    # Rendered pages kept between builds (public, masked text only), relative to mkdocs.yml.
    cache_dir = _Folder(".cache/plugin/dealroom")
    cache = c.Type(bool, default=True)
    # Each deal's history from git: last change, History page, alarms on payment changes.
    history = c.Type(bool, default=True)
    # A payment instruction changed this many days before signing, or any time after, alarms.
    alarm_window_days = _Whole(30, 0, 3660)
    mask = c.SubConfig(MaskConfig)
    # Processes besides MkDocs's own that the leak guard reads a large site with (as Material's
    # plugins' `concurrency`): one core is left to the rest of the machine. 0: MkDocs's only.
    concurrency = _Whole(max(0, min(8, (os.cpu_count() or 1) - 1)), 0, 64)
