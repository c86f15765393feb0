"""The guard reads a file's bytes as UTF-8 text and, where that could hide a number, as Latin-1."""

from __future__ import annotations

import pytest

from dealroom.guard import Guard
from dealroom.numbers import Secret

SECRETS = [Secret("066-198038", "d", "fbo")]


@pytest.mark.parametrize("data", [
    b"\x00\xff066\xe9198038\x00",  # binary: not UTF-8, each byte a character
    "066\u0663198038".encode(),  # an Arabic-Indic digit between: two separator bytes in Latin-1
    "066\u2022198038".encode(),  # a bullet: one separator in UTF-8
    "&#48;66<b>198</b>038 \u00e9\u00fc".encode(),  # entities and tags in UTF-8 text
    b'{"text": "\\u0030\\u0036\\u0036 198038 \\u2022"}',  # JSON escapes in an ASCII file
    "０６６１９８０３８".encode(),  # full-width digits, normalised by NFKC
])
def test_a_number_in_a_files_bytes_is_found(data: bytes) -> None:
    assert list(Guard(SECRETS).find_in_bytes(data))


@pytest.mark.parametrize("data", [b"0661980", "066\u00e9198038".encode(), b"\\u2022066198"])
def test_bytes_without_the_number_are_clean(data: bytes) -> None:
    assert not list(Guard(SECRETS).find_in_bytes(data))
