"""``Cookie`` round trips with every attribute: what ``to_header`` renders, a ``Set-Cookie`` reader reads back."""

from __future__ import annotations

import re
import string
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from outpour.datastructures import Cookie

_ESCAPE = re.compile(r"\\(?:([0-3][0-7][0-7])|(.))", re.DOTALL)


def read_set_cookie(line: str) -> dict[str, Any]:
    """Read a ``Set-Cookie`` value back into ``Cookie`` fields (RFC 6265 section 5.2, plus ``http.cookies`` quoting).

    A rendered value never holds a raw ``;`` (it is quoted and escaped as ``\\073``), so splitting on ``;`` is safe.
    """
    first, *attributes = line.split(";")
    key, _, value = first.partition("=")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = _ESCAPE.sub(lambda m: chr(int(m[1], 8)) if m[1] else m[2], value[1:-1])
    fields: dict[str, Any] = {
        "key": key,
        "value": value,
        "max_age": None,
        "path": None,
        "domain": None,
        "secure": None,
        "httponly": None,
        "samesite": None,
        "partitioned": None,
    }
    for attribute in attributes:
        name, has_value, argument = attribute.removeprefix(" ").partition("=")
        lowered = name.lower()
        if lowered == "max-age":
            fields["max_age"] = int(argument)
        elif lowered in ("path", "domain", "samesite"):
            fields[lowered] = argument
        elif lowered in ("secure", "httponly", "partitioned") and not has_value:
            fields[lowered] = True
    return fields


keys = st.text(alphabet=string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~", min_size=1, max_size=16).filter(
    lambda key: not key.lower().startswith(("__host-", "__secure-"))
)
values = st.none() | st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=30
)
paths = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E, exclude_characters=";"), max_size=20
).map(lambda path: f"/{path}")
domains = st.none() | st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z]{2,6}){0,2}", fullmatch=True)
flags = st.none() | st.booleans()


@st.composite
def cookies(draw: st.DrawFn) -> Cookie:
    samesite = draw(st.sampled_from(["lax", "strict", "none"]))
    partitioned = draw(flags)
    secure = True if samesite == "none" or partitioned else draw(flags)
    return Cookie(
        key=draw(keys),
        value=draw(values),
        max_age=draw(st.none() | st.integers(min_value=-(2**31), max_value=2**31)),
        path=draw(paths),
        domain=draw(domains),
        secure=secure,
        httponly=draw(flags),
        samesite=samesite,  # type: ignore[arg-type]
        partitioned=partitioned,
    )


@given(cookies())
def test_every_attribute_round_trips(cookie: Cookie) -> None:
    line = cookie.to_header(header="")
    name, raw = cookie.to_encoded_header()
    assert name == b"set-cookie"
    assert raw == line.encode("latin-1")
    assert not any(char in line for char in "\r\n\x00")
    read = read_set_cookie(line)
    expected = cookie.dict
    assert read == {
        "key": expected["key"],
        "value": expected["value"] or "",
        "max_age": expected["max_age"],
        "path": expected["path"],
        "domain": expected["domain"],
        "secure": expected["secure"] or None,
        "httponly": expected["httponly"] or None,
        "samesite": expected["samesite"],
        "partitioned": expected["partitioned"] or None,
    }
    rebuilt = Cookie(**{**read, "value": read["value"] or None})
    assert rebuilt.to_header(header="") == Cookie(**{**expected, "expires": None}).to_header(header="")
