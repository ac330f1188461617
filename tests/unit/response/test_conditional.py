"""RFC 9110 section 13 preconditions: the decision table, entity-tag lists and HTTP dates."""

from __future__ import annotations

import calendar
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outpour._conditional import (
    ANY,
    EntityTag,
    evaluate_preconditions,
    format_http_date,
    parse_entity_tag,
    parse_etag_list,
    parse_http_date,
)

ETAG = '"v1"'
MTIME = 784111777.0  # Sun, 06 Nov 1994 08:49:37 GMT
SAME = "Sun, 06 Nov 1994 08:49:37 GMT"
EARLIER = "Sun, 06 Nov 1994 08:49:36 GMT"
LATER = "Sun, 06 Nov 1994 08:49:38 GMT"


def row(method: str, headers: dict[str, str], expected: int | None, *, id: str, **kw: Any) -> Any:
    return pytest.param(method, headers, kw.get("etag", ETAG), kw.get("mtime", MTIME), expected, id=id)


@pytest.mark.parametrize(
    ("method", "headers", "etag", "mtime", "expected"),
    [
        row("GET", {}, None, id="no-preconditions"),
        row("GET", {"accept": "*/*"}, None, id="unrelated-headers"),
        # If-None-Match: weak comparison; 304 for GET/HEAD, 412 otherwise
        row("GET", {"if-none-match": '"v1"'}, 304, id="inm-match"),
        row("GET", {"if-none-match": 'W/"v1"'}, 304, id="inm-weak-tag-matches-weakly"),
        row("GET", {"if-none-match": '"v1"'}, 304, etag='W/"v1"', id="inm-weak-current"),
        row("GET", {"if-none-match": '"v2"'}, None, id="inm-no-match"),
        row("GET", {"if-none-match": '"v2", "v1"'}, 304, id="inm-list"),
        row("GET", {"if-none-match": ' , ,"v1",, '}, 304, id="inm-empty-elements"),
        row("GET", {"if-none-match": "*"}, 304, id="inm-star"),
        row("HEAD", {"if-none-match": '"v1"'}, 304, id="inm-head"),
        row("POST", {"if-none-match": '"v1"'}, 412, id="inm-post"),
        row("PUT", {"if-none-match": "*"}, 412, id="inm-star-put"),
        row("GET", {"if-none-match": "v1"}, None, id="inm-unquoted-ignored"),
        row("GET", {"if-none-match": '"v1'}, None, id="inm-unterminated-ignored"),
        row("GET", {"if-none-match": '"v1" "v2"'}, None, id="inm-missing-comma-ignored"),
        row("GET", {"if-none-match": ""}, None, id="inm-empty-ignored"),
        row("GET", {"if-none-match": '"v 1"'}, None, id="inm-space-in-tag-ignored"),
        row("GET", {"if-none-match": '"v1"'}, None, etag=None, id="inm-no-current-etag"),
        # If-Modified-Since: GET/HEAD only, second resolution
        row("GET", {"if-modified-since": SAME}, 304, id="ims-same"),
        row("GET", {"if-modified-since": LATER}, 304, id="ims-later"),
        row("GET", {"if-modified-since": EARLIER}, None, id="ims-earlier"),
        row("GET", {"if-modified-since": SAME}, 304, mtime=MTIME + 0.9, id="ims-fraction-of-second"),
        row("GET", {"if-modified-since": "Sunday, 06-Nov-94 08:49:37 GMT"}, 304, id="ims-rfc850"),
        row("GET", {"if-modified-since": "Sun Nov  6 08:49:37 1994"}, 304, id="ims-asctime"),
        row("GET", {"if-modified-since": "yesterday"}, None, id="ims-garbage-ignored"),
        row("GET", {"if-modified-since": "Sun, 30 Feb 1994 08:49:37 GMT"}, None, id="ims-invalid-day-ignored"),
        row("GET", {"if-modified-since": "Sun, 06 Nov 1994 25:49:37 GMT"}, None, id="ims-invalid-hour-ignored"),
        row("POST", {"if-modified-since": SAME}, None, id="ims-ignored-for-post"),
        row("GET", {"if-modified-since": SAME}, None, mtime=None, id="ims-no-mtime"),
        row("GET", {"if-none-match": '"v2"', "if-modified-since": SAME}, None, id="inm-beats-ims"),
        row("GET", {"if-none-match": "garbage", "if-modified-since": SAME}, 304, id="malformed-inm-lets-ims-decide"),
        # If-Match: strong comparison
        row("PUT", {"if-match": '"v1"'}, None, id="im-match"),
        row("PUT", {"if-match": '"v2"'}, 412, id="im-no-match"),
        row("PUT", {"if-match": '"v0", "v1"'}, None, id="im-list"),
        row("PUT", {"if-match": 'W/"v1"'}, 412, id="im-weak-tag-never-matches"),
        row("PUT", {"if-match": '"v1"'}, 412, etag='W/"v1"', id="im-weak-current"),
        row("PUT", {"if-match": "*"}, None, id="im-star"),
        row("PUT", {"if-match": '"v1"'}, 412, etag=None, id="im-no-current-etag"),
        row("GET", {"if-match": '"v2"'}, 412, id="im-get"),
        row("PUT", {"if-match": "v1"}, None, id="im-malformed-ignored"),
        # If-Unmodified-Since
        row("PUT", {"if-unmodified-since": SAME}, None, id="ius-same"),
        row("PUT", {"if-unmodified-since": LATER}, None, id="ius-later"),
        row("PUT", {"if-unmodified-since": EARLIER}, 412, id="ius-earlier"),
        row("PUT", {"if-unmodified-since": "soon"}, None, id="ius-garbage-ignored"),
        row("PUT", {"if-unmodified-since": EARLIER}, None, mtime=None, id="ius-no-mtime"),
        row("PUT", {"if-match": '"v1"', "if-unmodified-since": EARLIER}, None, id="im-beats-ius"),
        row("PUT", {"if-match": "bad", "if-unmodified-since": EARLIER}, 412, id="malformed-im-lets-ius-decide"),
        # Order of evaluation (RFC 9110 section 13.2.2)
        row("GET", {"if-match": '"v2"', "if-none-match": '"v2"'}, 412, id="im-before-inm"),
        row("GET", {"if-match": '"v1"', "if-none-match": '"v1"'}, 304, id="im-true-then-inm"),
        row("GET", {"if-unmodified-since": EARLIER, "if-none-match": '"v1"'}, 412, id="ius-before-inm"),
        row("GET", {"if-unmodified-since": SAME, "if-modified-since": SAME}, 304, id="ius-true-then-ims"),
        row("get", {"if-none-match": '"v1"'}, 304, id="method-case-insensitive"),
    ],
)
def test_decision_table(
    method: str, headers: dict[str, str], etag: str | None, mtime: float | None, expected: int | None
) -> None:
    assert evaluate_preconditions(method, headers, etag, mtime) == expected
    raw = [(name.encode(), value.encode()) for name, value in headers.items()]
    assert evaluate_preconditions(method, raw, etag, mtime) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param([(b"if-none-match", b'"v0"'), (b"if-none-match", b'"v1"')], 304, id="repeated-inm-combined"),
        pytest.param(
            [(b"if-modified-since", SAME.encode()), (b"if-modified-since", SAME.encode())], None, id="two-ims-ignored"
        ),
        pytest.param([(b"If-None-Match", b'"v1"')], 304, id="raw-names-any-case"),
    ],
)
def test_raw_header_lists(raw: list[tuple[bytes, bytes]], expected: int | None) -> None:
    assert evaluate_preconditions("GET", raw, ETAG, MTIME) == expected


def test_unquoted_current_etag_counts_as_strong() -> None:
    assert evaluate_preconditions("PUT", {"if-match": '"abc"'}, "abc", None) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("*", ANY, id="star"),
        pytest.param(' "a" ', (EntityTag("a"),), id="one"),
        pytest.param('W/"a", "b"', (EntityTag("a", True), EntityTag("b")), id="weak-and-strong"),
        pytest.param('""', (EntityTag(""),), id="empty-tag"),
        pytest.param('"a",,"b"', (EntityTag("a"), EntityTag("b")), id="empty-element"),
        pytest.param('"\x80\xff"', (EntityTag("\x80\xff"),), id="obs-text"),
        pytest.param("", None, id="empty"),
        pytest.param(",", None, id="only-commas"),
        pytest.param('w/"a"', None, id="lowercase-weak"),
        pytest.param('"a"b', None, id="trailing-garbage"),
        pytest.param('"a\x01"', None, id="control-char"),
        pytest.param('*, "a"', None, id="star-in-list"),
        pytest.param(" *\t", ANY, id="star-with-ows"),
        pytest.param('\t"a" ,\t"b" ', (EntityTag("a"), EntityTag("b")), id="ows-everywhere"),
        pytest.param('\x0b"a"', None, id="vertical-tab-is-not-ows"),
        pytest.param('X"a"', None, id="letter-before"),
        pytest.param('"a" X', None, id="letter-after"),
    ],
)
def test_parse_etag_list(value: str, expected: Any) -> None:
    assert parse_etag_list(value) == expected


def test_parse_entity_tag() -> None:
    assert parse_entity_tag('W/"x"') == EntityTag("x", True)
    assert parse_entity_tag('"!#~\x80"') == EntityTag("!#~\x80")
    assert parse_entity_tag(' "x"\t') == EntityTag("x")
    assert parse_entity_tag('\x0b"x"') is None
    assert parse_entity_tag('X"x"X') is None
    assert parse_entity_tag('"x" "y"') is None
    assert parse_entity_tag("x") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(SAME, MTIME, id="imf-fixdate"),
        pytest.param("Sunday, 06-Nov-94 08:49:37 GMT", MTIME, id="rfc850"),
        pytest.param("Sun Nov  6 08:49:37 1994", MTIME, id="asctime"),
        pytest.param("Sun Nov 16 08:49:37 1994", MTIME + 10 * 86400, id="asctime-two-digit-day"),
        pytest.param("Thu, 31 Dec 1998 23:59:60 GMT", 915148799, id="leap-second-clamped"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 UTC", None, id="not-gmt"),
        pytest.param("Sun, 6 Nov 1994 08:49:37 GMT", None, id="one-digit-day"),
        pytest.param("Sun, 06 Nov 1994 08:60:37 GMT", None, id="minute-60"),
        pytest.param("Sun, 29 Feb 1995 08:49:37 GMT", None, id="no-leap-day"),
        pytest.param("", None, id="empty"),
        pytest.param("Sun, 06 Nov 1994 24:00:00 GMT", None, id="hour-24"),
        pytest.param("Sun, 06 Nov 1994 08:49:61 GMT", None, id="second-61"),
        pytest.param(" " * 20 + SAME + "\t" * 20, MTIME, id="long-ows"),
        pytest.param("\x0b" * 20 + SAME, None, id="long-vertical-tabs"),
        pytest.param("X" * 20 + SAME, None, id="long-garbage"),
    ],
)
def test_parse_http_date(value: str, expected: float | None) -> None:
    assert parse_http_date(value) == expected


def test_rfc850_two_digit_year_is_never_more_than_50_years_ahead() -> None:
    this_year = time.gmtime().tm_year
    far = (this_year + 60) % 100
    parsed = parse_http_date(f"Sunday, 06-Nov-{far:02d} 08:49:37 GMT")
    assert parsed is not None
    assert time.gmtime(parsed).tm_year == this_year + 60 - 100
    near = (this_year + 10) % 100
    parsed = parse_http_date(f"Sunday, 06-Nov-{near:02d} 08:49:37 GMT")
    assert parsed is not None
    assert time.gmtime(parsed).tm_year == this_year + 10


def test_format_http_date() -> None:
    assert format_http_date(MTIME + 0.7) == SAME


@given(st.integers(min_value=0, max_value=calendar.timegm((9999, 12, 31, 23, 59, 59, 0, 0, 0))))
def test_http_date_round_trip(seconds: int) -> None:
    assert parse_http_date(format_http_date(seconds)) == seconds


_ETAGC = st.text(st.sampled_from([chr(c) for c in range(0x21, 0x7F) if c != 0x22]), max_size=8)


@given(st.lists(st.tuples(_ETAGC, st.booleans()), min_size=1, max_size=6))
def test_etag_list_round_trip(tags: list[tuple[str, bool]]) -> None:
    rendered = ", ".join(f'{"W/" if weak else ""}"{opaque}"' for opaque, weak in tags)
    assert parse_etag_list(rendered) == tuple(EntityTag(o, w) for o, w in tags)


@given(st.text(max_size=40))
def test_hostile_etag_lists_never_raise(value: str) -> None:
    result = parse_etag_list(value)
    assert result is None or result == ANY or isinstance(result, tuple)


@given(st.text(max_size=40))
def test_hostile_dates_never_raise(value: str) -> None:
    result = parse_http_date(value)
    assert result is None or isinstance(result, int)


@given(
    st.dictionaries(
        st.sampled_from(["if-match", "if-none-match", "if-modified-since", "if-unmodified-since"]), st.text(max_size=30)
    ),
    st.sampled_from(["GET", "HEAD", "PUT", "DELETE"]),
)
def test_hostile_preconditions_only_answer_304_412_or_none(headers: dict[str, str], method: str) -> None:
    assert evaluate_preconditions(method, headers, ETAG, MTIME) in (None, 304, 412)
