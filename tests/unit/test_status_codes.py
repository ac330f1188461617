"""Status-code constants carry the number their name says, HTTP and WebSocket alike."""

from __future__ import annotations

import re

import outpour.status_codes


def test_every_constant_carries_the_number_in_its_name() -> None:
    names = outpour.status_codes.__all__
    wrong = {name: value for name in names if (value := getattr(outpour.status_codes, name)) != int(name.split("_")[1])}
    assert wrong == {}
    assert all(re.fullmatch(r"(HTTP_[1-5]\d\d|WS_1\d{3})_[A-Z0-9_]+", name) for name in names)


def test_websocket_close_codes_and_reserved_306() -> None:
    ws = [name for name in outpour.status_codes.__all__ if name.startswith("WS_")]
    assert len(ws) == 15
    assert (outpour.status_codes.WS_1000_NORMAL_CLOSURE, outpour.status_codes.WS_1015_TLS_HANDSHAKE) == (1000, 1015)
    assert outpour.status_codes.HTTP_306_RESERVED == 306
