"""The plugin's options in `mkdocs.yml`, declared as MkDocs declares its own."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from dealroom.model import ACCOUNT_NUMBER_FIELDS, MASKABLE_FIELDS


class MaskConfig(base.Config):
    # The account number fields are masked whatever this lists: it can only add fields.
    fields = c.ListOfItems(c.Choice(MASKABLE_FIELDS), default=list(ACCOUNT_NUMBER_FIELDS))
    visible_digits = c.Type(int, default=4)


class DealroomConfig(base.Config):
    enabled = c.Type(bool, default=True)
    deals_dir = c.Type(str, default="content/deals")
    banner = c.Type(str, default="Confidential")
    nav_title = c.Type(str, default="Deals")
    # Rendered pages kept between builds (public, masked text only), relative to mkdocs.yml.
    cache_dir = c.Type(str, default=".cache/plugin/dealroom")
    cache = c.Type(bool, default=True)
    # Each deal's history from git: last change, History page, alarms on payment changes.
    history = c.Type(bool, default=True)
    # A payment instruction changed this many days before signing, or any time after, alarms.
    alarm_window_days = c.Type(int, default=30)
    mask = c.SubConfig(MaskConfig)
