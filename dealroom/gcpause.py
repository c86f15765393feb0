"""The cyclic garbage collector paused while a stage makes its objects.

A stage (loading, publishing, guarding) makes hundreds of thousands of objects, most of which
live on (a room's facts, views and pages) and few of which form cycles. Each collection the
allocations trigger walks every object the room already holds: at a thousand deals, more
than a second of a build. Cycles a paused stage leaves are collected as usual once it returns.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")


def paused_gc(stage: Callable[_P, _R]) -> Callable[_P, _R]:
    """`stage` run with the cyclic collector off (unless it is off already)."""
    @functools.wraps(stage)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():
            return stage(*args, **kwargs)
        gc.disable()
        try:
            return stage(*args, **kwargs)
        finally:
            gc.enable()
    return run
