"""Small malformed and hostile PDFs, written byte by byte, for the robustness tests.

Each is what a fuzzer or a careless producer makes: resources that draw themselves,
reference chains thousands deep, a page tree that loops, a stream that inflates to
hundreds of megabytes, a cross-reference table that points nowhere, a file cut short.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path


def _pdf(objects: list[bytes], root: int = 1, broken_xref: bool = False) -> bytes:
    """A PDF from numbered object bodies (object k is objects[k - 1]) with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % (off + 7 if broken_xref else off)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _page(resources: bytes, content: int) -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources " + resources + b" /Contents %d 0 R >>" % content


def recursive_resources() -> bytes:
    """Two form XObjects that draw each other: a naive reader recurses until the stack breaks."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(b"<< /XObject << /A 5 0 R >> >>", 4),
        _stream(b"q /A Do Q"),
        _stream(b"q /B Do Q BT /F1 9 Tf 10 10 Td (x) Tj ET",
                b" /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /B 6 0 R >> >>"),
        _stream(b"q /A Do Q", b" /Type /XObject /Subtype /Form /BBox [0 0 612 792]"
                              b" /Resources << /XObject << /A 5 0 R >> >>"),
    ])


def reference_chain(depth: int = 20000) -> bytes:
    """The page sits under a page tree thousands of nodes deep, each node naming the next
    by reference, and inherits its media box and resources down the whole chain."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    first = 2
    for k in range(depth):
        n = first + k
        parent = b" /Parent %d 0 R" % (n - 1) if k else b" /MediaBox [0 0 612 792] /Resources << >>"
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (n + 1, parent))
    leaf = first + depth
    objects.append(b"<< /Type /Page /Parent %d 0 R /Contents %d 0 R >>" % (leaf - 1, leaf + 1))
    objects.append(_stream(b"BT /F1 9 Tf 10 10 Td (x) Tj ET"))
    return _pdf(objects)


def nested_arrays(depth: int = 50000) -> bytes:
    """An array nested thousands deep in the page dictionary."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Junk " + b"[" * depth + b"]" * depth
        + b" /Contents 4 0 R >>",
        _stream(b"BT /F1 9 Tf 10 10 Td (x) Tj ET"),
    ])


def page_tree_loop() -> bytes:
    """A page tree whose node lists itself among its kids."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        _page(b"<< >>", 4),
        _stream(b"BT /F1 9 Tf 10 10 Td (x) Tj ET"),
    ])


def inflation_bomb(megabytes: int = 400) -> bytes:
    """A content stream of a few hundred KB that inflates to `megabytes` of spaces."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(b"<< >>", 4),
        _stream(b" " * (megabytes << 20), compress=True),
    ])


def many_operators(n: int = 400000) -> bytes:
    """One page drawing hundreds of thousands of tiny rules: work, not memory."""
    ops = b"".join(b"%d %d 1 1 re S\n" % (k % 600, (k // 600) % 780) for k in range(n))
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(b"<< >>", 4),
        _stream(ops, compress=True),
    ])


def flate_with_a_trailing_byte() -> bytes:
    """A content stream over 64 KB compressed, with one stray byte after its compressed data
    (the size check once looped on it for ever)."""
    import random

    rng = random.Random(5)
    ops = b"".join(b"%d %d m %d %d l S\n" % (rng.randrange(600), rng.randrange(780), rng.randrange(600),
                                             rng.randrange(780)) for _ in range(20000))
    data = zlib.compress(ops, 9) + b"\n"
    assert len(data) > 65536
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(b"<< >>", 4),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ])


def object_chain(depth: int = 20000) -> bytes:
    """The page's contents are a reference to a reference to ... thousands deep, then a stream."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               _page(b"<< >>", 4)]
    for k in range(depth):
        objects.append(b"%d 0 R" % (5 + k))
    objects.append(_stream(b"BT /F1 9 Tf 10 10 Td (x) Tj ET"))
    return _pdf(objects)


def missing_object() -> bytes:
    """A page whose font and contents name an object the file does not have (null, in PDF)."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 9 0 R >>"
        b" /XObject << /X1 8 0 R >> >> /Contents [4 0 R 7 0 R] >>",
        _stream(b"BT /F1 9 Tf 10 700 Td (No. Action Lead By when) Tj ET q /X1 Do Q"),
    ])


def ruled_grid(n: int = 150) -> bytes:
    """One page ruled into an n x n grid with a number in every cell: a reader that tests
    every line against every other takes the square of n squared."""
    step = 5.5
    rules = b"".join(b"20 %.1f m %.1f %.1f l S %.1f 20 m %.1f %.1f l S\n" % (
        20 + i * step, 20 + n * step, 20 + i * step, 20 + i * step, 20 + i * step, 20 + n * step)
        for i in range(n + 1))
    text = b"BT /F1 3 Tf " + b"".join(b"1 0 0 1 %.1f %.1f Tm (%d) Tj " % (20.5 + j * step, 21 + i * step, (i + j) % 10)
                                      for i in range(n) for j in range(n)) + b"ET"
    side = b"%d" % int(40 + n * step)
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + side + b" " + side + b"] /Resources << /Font << /F1 5 0 R"
        b" >> >> /Contents 4 0 R >>",
        _stream(rules + text, compress=True),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def no_page_tree() -> bytes:
    """A catalog with no page tree (readers find the page among the objects), and an object
    the cross-reference lists that the file lacks: null in PDF, an error to a strict reader
    (pdf.js's issue18986 is such a file)."""
    data = _pdf([
        b"<< /Type /Catalog >>",
        b"<< /Type /Page /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 3 0 R >>",
        _stream(b"BT /F1 12 Tf 72 700 Td (No. Action Lead By when) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Junk 1 >>",
    ])
    i = data.rfind(b"5 0 obj")
    return data[:i] + b"9 0 obj" + data[i + 7:]  # object 5 is listed but not there


def broken_xref() -> bytes:
    """Every cross-reference offset points 7 bytes off."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(b"<< >>", 4),
        _stream(b"BT /F1 9 Tf 10 10 Td (x) Tj ET"),
    ], broken_xref=True)


def truncated() -> bytes:
    whole = page_tree_loop()
    return whole[: len(whole) // 2]


def not_a_pdf() -> bytes:
    return b"<html><body>This is a web page saved as .pdf</body></html>\n"


def empty() -> bytes:
    return b""


CORPUS: dict[str, Callable[[], bytes]] = {
    "recursive-resources": recursive_resources,
    "reference-chain": reference_chain,
    "nested-arrays": nested_arrays,
    "page-tree-loop": page_tree_loop,
    "inflation-bomb": inflation_bomb,
    "many-operators": many_operators,
    "broken-xref": broken_xref,
    "flate-trailing-byte": flate_with_a_trailing_byte,
    "object-chain": object_chain,
    "missing-object": missing_object,
    "ruled-grid": ruled_grid,
    "no-page-tree": no_page_tree,
    "truncated": truncated,
    "not-a-pdf": not_a_pdf,
    "empty": empty,
}


def write_corpus(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, make in CORPUS.items():
        path = folder / f"{name}.pdf"
        path.write_bytes(make())
        out[name] = path
    return out
