"""Bounds on the work one page may ask for, checked before the page is laid out.

A malformed or hostile PDF can make a reader recurse forever (form XObjects that draw
each other), inflate a few hundred KB into gigabytes (a compression bomb), or hold
millions of drawing operators. Each would take the worker's whole memory and minutes.
The page's drawing instructions are measured first, cheaply and with early exits: a
page over the budget is not read, and the conversion says so.
"""

from __future__ import annotations

import mmap
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_CHUNK = 1 << 16
# an object whose whole value is a reference to another ("4 0 obj 5 0 R endobj"): the reader
# looks each one up again from the start of the file, so a chain of them costs its square
# (matched from "obj", a literal the scan skips to; the object's own number read just before)
_BARE_REF = re.compile(rb"obj\s*(\d{1,10})\s+\d{1,5}\s+R\s*endobj")
_OBJ_NUMBER = re.compile(rb"(?<![0-9])(\d{1,10})\s+\d{1,5}\s+$")
MAX_REFERENCE_CHAIN = 256  # no producer writes one: a few at most, where an object was replaced


class PageRefused(Exception):
    """The page asks for more work than the budget allows; str() says why."""


def _flate_size(raw: bytes, limit: int) -> int:
    """Inflated size of a Flate stream, stopping once past `limit`."""
    d = zlib.decompressobj()
    size = 0
    data = raw
    while data and size <= limit and not d.eof:  # bytes after the stream's end are not drawn
        out = d.decompress(data, _CHUNK)
        size += len(out)
        if not out and d.unconsumed_tail == data:  # no progress: nothing more will come out
            break
        data = d.unconsumed_tail
    return size


def longest_reference_chain(path: Path) -> int:
    """The longest run of objects each of which only names the next: read before the PDF
    is opened, because the reader's cost in time and memory grows with its square (a run
    of 20,000 took minutes and gigabytes)."""
    with path.open("rb") as fh:
        if path.stat().st_size == 0:
            return 0
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as whole:
            if whole.find(b" R") < 0:
                return 0
            points = {}
            for m in _BARE_REF.finditer(whole):
                own = _OBJ_NUMBER.search(whole[max(0, m.start() - 24):m.start()])
                if own is not None:
                    points[int(own.group(1))] = int(m.group(1))
    longest: dict[int, int] = {}
    for start in points:
        run, seen, at = [], set(), start
        while at in points and at not in longest and at not in seen:  # a loop ends the run too
            seen.add(at)
            run.append(at)
            at = points[at]
        tail = longest.get(at, 0)
        for k, obj in enumerate(reversed(run), 1):
            longest[obj] = tail + k
    return max(longest.values(), default=0)


def _filters(stream: Any) -> list[str]:
    f = stream.attrs.get("Filter") if hasattr(stream, "attrs") else None
    items = f if isinstance(f, list) else [f] if f is not None else []
    return [str(getattr(x, "name", x)) for x in items]


def stream_size(stream: Any, limit: int) -> int:
    """Bytes of drawing instructions in a content stream, counted up to just past `limit`."""
    raw = getattr(stream, "rawdata", b"") or b""
    filters = _filters(stream)
    if filters in (["FlateDecode"], ["Fl"]) and not getattr(stream, "decipher", None):
        try:
            return _flate_size(raw, limit)
        except zlib.error:
            return len(raw)
    return len(raw)  # another filter, or encrypted: the stored size is the best cheap measure


def _resolve(obj: Any) -> Any:
    from playa.pdftypes import resolve1

    return resolve1(obj)


def _forms(resources: Any) -> Iterator[tuple[int | None, Any]]:
    """(object id, stream) of each form XObject a resources dictionary names."""
    res = _resolve(resources)
    if not isinstance(res, dict):
        return
    xobjects = _resolve(res.get("XObject"))
    if not isinstance(xobjects, dict):
        return
    for ref in xobjects.values():
        stream = _resolve(ref)
        attrs = getattr(stream, "attrs", None)
        if isinstance(attrs, dict) and str(getattr(_resolve(attrs.get("Subtype")), "name", "")) == "Form":
            yield getattr(ref, "objid", None), stream


def check_page(page: Any, max_bytes: int, max_depth: int = 32, max_forms: int = 10_000) -> None:
    """Raise PageRefused if the page's drawing, forms included once per use, is over
    `max_bytes`, or its forms draw themselves, nest deeper than `max_depth` or are used
    more than `max_forms` times (forms of forms of forms multiply)."""
    total = 0
    used = 0
    for stream in page.streams:
        total += stream_size(stream, max_bytes - total)
        if total > max_bytes:
            raise PageRefused(f"its drawing instructions exceed {max_bytes >> 20} MB")
    # depth-first over the forms, each path remembering its own ancestors
    stack: list[tuple[Any, frozenset[int], int]] = [(page.resources, frozenset(), 0)]
    while stack:
        resources, ancestors, depth = stack.pop()
        for objid, stream in _forms(resources):
            if objid is not None and objid in ancestors:
                raise PageRefused("a drawing on it refers back to itself (a form XObject cycle)")
            if depth >= max_depth:
                raise PageRefused(f"its drawings nest more than {max_depth} deep")
            used += 1
            if used > max_forms:
                raise PageRefused(f"it uses drawings within drawings more than {max_forms} times")
            total += stream_size(stream, max_bytes - total)
            if total > max_bytes:
                raise PageRefused(f"its drawing instructions exceed {max_bytes >> 20} MB")
            inner = stream.attrs.get("Resources")
            if inner is not None:
                stack.append((inner, ancestors | ({objid} if objid is not None else set()), depth + 1))
