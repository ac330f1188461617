"""Parsing entity tags: one ``ETag`` value, and the lists ``If-Match`` and ``If-None-Match`` carry."""

from __future__ import annotations

from outpour.datastructures import ETag
from outpour.datastructures.headers import etag_matches, parse_etag_list

strong = ETag.from_header('"foo"')  # ETag(value="foo")
weak = ETag.from_header('W/"foo"')  # ETag(value="foo", weak=True)
rendered = [strong.to_header(), weak.to_header()]  # ['"foo"', 'W/"foo"']

# If-None-Match compares weakly (the tags' values), If-Match strongly (both tags strong and equal).
candidates = parse_etag_list('"bar", W/"foo"')  # [ETag(value="bar"), ETag(value="foo", weak=True)]
matches_weakly = any(etag_matches(tag, strong, weak=True) for tag in candidates)  # True
matches_strongly = any(etag_matches(tag, strong, weak=False) for tag in candidates)  # False
