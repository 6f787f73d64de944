"""Open a PDF the way readers do: sniff it, say plainly why it cannot be opened, and
report how it was protected (permissions are the author's wishes, reported, not enforced)."""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from actionplan.extractors.model import Security
from actionplan.schemas.errors import InputError

log = logging.getLogger(__name__)


class _Unlocked:
    """The handler of a file whose pages and strings are not encrypted (`/StmF` and `/StrF`
    both `/Identity`): only its attachments are (`/EFF`). Readers open such a file with no
    password, whatever its password protects."""

    def __init__(self, param: Any) -> None:
        try:
            p = int(param.get("P", -1)) & 0xFFFFFFFF
        except (TypeError, ValueError):
            p = 0xFFFFFFFF
        self.is_printable, self.is_modifiable, self.is_extractable = bool(p & 4), bool(p & 8), bool(p & 16)

    def decrypt(self, objid: int, genno: int, data: bytes, attrs: Any = None, name: Any = None) -> bytes:
        return data


class _TwoFilters:
    """A handler whose streams and strings are encrypted by different crypt filters."""

    def __init__(self, handler: Any, stmf: str, strf: str) -> None:
        self.handler, self.stmf, self.strf = handler, stmf, strf
        self.is_printable, self.is_modifiable = handler.is_printable, handler.is_modifiable
        self.is_extractable = handler.is_extractable

    def decrypt(self, objid: int, genno: int, data: bytes, attrs: Any = None, name: Any = None) -> bytes:
        # playa passes a stream's dictionary, and none for a string
        return self.handler.decrypt(objid, genno, data, attrs, name or (self.stmf if attrs is not None else self.strf))


def _crypt_filter(param: Any, key: str) -> str:
    value = param.get(key, "Identity")
    return str(getattr(value, "name", value))


def _by_crypt_filter(factory: Any) -> Any:
    """playa's AES handlers, as PDF readers read them: streams by `/StmF`, strings by
    `/StrF` (playa takes `/StrF` for both and refuses a file where they differ, as Word
    and Acrobat write them: "unknown handler" for a file every viewer opens), and a file
    with nothing but its attachments encrypted opened without a password."""
    def make(docid: Any, param: Any, password: str = "") -> Any:
        stmf, strf = _crypt_filter(param, "StmF"), _crypt_filter(param, "StrF")
        if stmf == strf:
            try:
                return factory(docid, param, password)
            except Exception:
                if stmf == "Identity":  # only the attachments are locked: nothing to decrypt
                    return _Unlocked(param)
                raise
        # one filter passes playa's check and sets up the key; the wrapper picks the filter
        return _TwoFilters(factory(docid, {**param, "StrF": param.get("StmF")}, password), stmf, strf)

    make.wraps = factory  # type: ignore[attr-defined]
    return make


def _items_present(self: Any) -> Iterator[tuple[int, Any]]:
    """A document's objects by number, skipping numbers its cross-reference lists but the file
    lacks: a reference to a missing object is null in PDF (7.3.10), not an error. playa walks
    them when the catalog has no page tree, and raised KeyError on the first missing one."""
    for objid in self:
        try:
            yield objid, self[objid]
        except KeyError:
            continue


def _read_as_viewers_do() -> None:
    """playa, where it is stricter than PDF viewers: crypt filters (`_by_crypt_filter`) and
    missing objects (`_items_present`). Set once per process; each call after is a check."""
    from playa import security
    from playa.document import Document

    if Document.items is not _items_present:
        Document.items = _items_present  # type: ignore[assignment,method-assign]
    for v in (4, 5):
        factory = security.SECURITY_HANDLERS.get(v)
        if factory is not None and not hasattr(factory, "wraps"):
            security.SECURITY_HANDLERS[v] = _by_crypt_filter(factory)


def open_pdf(path: Path, password: str | None) -> Any:
    import playa
    from playa.exceptions import PDFEncryptionError, PDFPasswordIncorrect

    _read_as_viewers_do()

    if path.stat().st_size == 0:
        raise InputError("the file is empty", file=path, hint="re-download or re-export the PDF")
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - 4096))
        tail = fh.read()
    if b"%PDF-" not in head:
        raise InputError(
            "not a PDF (no %PDF header)", file=path, hint="check the file type; export it to PDF first"
        )
    truncated = cut_short(path, tail)
    from actionplan.extractors.guard import MAX_REFERENCE_CHAIN, longest_reference_chain

    chain = longest_reference_chain(path)
    if chain > MAX_REFERENCE_CHAIN:
        raise InputError(f"cannot read the PDF: {chain} of its objects each only refer to the next (a chain no "
                         "producer writes, that would take the reader minutes and gigabytes)", file=path,
                         hint="open it in a PDF viewer and save or print a copy, then convert that")
    try:
        # An empty password opens every file that has no open password, whatever its
        # permission flags: those are the author's wishes, which readers report, not enforce.
        pdf = playa.open(path, space="page", password=password or "")
        _ = len(pdf.pages)
    except PDFPasswordIncorrect as exc:
        if password:
            raise InputError("the password is wrong", file=path,
                             hint="check it with whoever sent the file and pass it with --password") from exc
        raise InputError("the PDF needs a password to open", file=path, hint="pass it with --password") from exc
    except PDFEncryptionError as exc:
        raise InputError(
            f"the PDF is encrypted with a method the reader does not support ({_handler_of(exc)})", file=path,
            hint="open it in a PDF viewer and save or print an unencrypted copy, then convert that",
        ) from exc
    except MemoryError:
        raise  # the batch reports it against --max-memory
    except OSError as exc:
        if exc.errno == errno.ENOMEM:
            raise MemoryError(str(exc)) from exc
        raise InputError(f"cannot read the file ({exc.strerror})", file=path, hint="check the file") from exc
    except Exception as exc:  # playa raises many kinds for broken files
        log.debug("%s: %s: %s", path, type(exc).__name__, exc)
        if truncated:
            raise InputError("the PDF is truncated (it has no end-of-file marker)", file=path,
                             hint="the download or copy was cut short; fetch the file again") from exc
        raise InputError(
            f"cannot read the PDF ({_plain(exc)})", file=path,
            hint="re-download it, or open it in a PDF viewer and save a copy; -v shows the details",
        ) from exc
    return pdf


def cut_short(path: Path, tail: bytes | None = None) -> bool:
    """No end-of-file marker anywhere: the download or copy stopped part way."""
    if tail is None:
        with path.open("rb") as fh:
            fh.seek(max(0, path.stat().st_size - 4096))
            tail = fh.read()
    if b"%%EOF" in tail:
        return False
    import mmap

    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as whole:
        return whole.rfind(b"%%EOF") < 0  # a producer may append kilobytes after the marker


def _plain(exc: Exception) -> str:
    """What went wrong, in words rather than an exception's name."""
    text = str(exc).lower()
    if "filter" in text or "decode" in text or "decompress" in text:
        return "it uses a compression the reader does not support, or the compressed data is damaged"
    if "xref" in text or "object" in text or "trailer" in text:
        return "its table of contents (xref) or an object in it is damaged"
    return "the file is damaged"


def _handler_of(exc: Exception) -> str:
    text = str(exc)
    if "cryptography" in text:  # AES needs playa's crypto extra, a dependency of ours
        return "AES, and the cryptography package is missing: pip install 'playa-pdf[crypto]'"
    for known in ("Unknown filter", "Unsupported revision", "Unpublished algorithm", "Unknown algorithm"):
        if known in text:
            return known.lower()
    return "unknown handler"


def security_of(pdf: Any) -> Security:
    """The security handler and permission flags of an open document."""
    encryption = getattr(pdf, "encryption", None)
    if not encryption:
        return Security()
    param = encryption[1]
    try:
        v, r = int(param.get("V", 0)), int(param.get("R", 0))
        bits = int(param.get("Length", 40))
    except (TypeError, ValueError):
        v, r, bits = 0, 0, 0
    if v >= 5:
        handler = f"AES-256 R{r}"
    elif v == 4:
        handler = "AES-128" if _uses_aes(param) else "RC4-128"
    else:
        handler = f"RC4-{bits}"
    return Security(handler, bool(pdf.is_printable), bool(pdf.is_modifiable), bool(pdf.is_extractable))


def _uses_aes(param: Any) -> bool:
    try:
        filters = param.get("CF", {})
        return any("AESV2" in repr(f) for f in (filters.values() if hasattr(filters, "values") else []))
    except Exception:
        return False

