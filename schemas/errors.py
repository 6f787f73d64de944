"""One exception root, so callers can catch everything the tool raises on purpose.

Each error carries where it happened (file, page, row) and a hint that says what to do;
`str(err)` is the one line the CLI prints.
"""

from __future__ import annotations

from pathlib import Path


class ActionPlanError(Exception):
    """Root of every error actionplan raises on purpose."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        page: int | None = None,
        row: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.page = page
        self.row = row
        self.hint = hint
        # what was read before the conversion failed (a `Result` without records where no
        # plan was found), so `inspect` can still draw the page and the decisions taken
        self.partial: object | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.page is not None:
            where.append(f"page {self.page}")
        if self.row is not None:
            where.append(f"item {self.row}")
        text = (": ".join([", ".join(where), self.message]) if where else self.message)
        if self.hint:
            text += f" ({self.hint})"
        return text


class ConfigError(ActionPlanError):
    """Settings or a user data file (lead list, synonyms) are wrong."""


class InputError(ActionPlanError):
    """The input file cannot be read as a text PDF: empty, not a PDF, corrupt, encrypted, scanned."""


class ExtractionError(ActionPlanError):
    """The PDF was read but holds no action-plan table we can map."""


class ValidationFailed(ActionPlanError):
    """Records broke a hard rule of the schema (duplicate item, unmappable column)."""


def read_user_text(path: Path, what: str) -> str:
    """A user's data file as text: UTF-8 (with or without a BOM), UTF-16 (Excel's "Unicode
    Text", with its BOM or without), or Windows-1252 as Excel saves CSV on Windows. A file
    that is none of these (a spreadsheet saved as .xlsx, a picture) is refused, not read
    as mojibake."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the {what} ({exc.strerror})", file=path) from exc
    hint = "save it as CSV UTF-8 (comma-separated) from your spreadsheet"
    text = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decoded(data, "utf-16")
    elif len(data) >= 4 and data[1::2].count(0) > 0.4 * (len(data) // 2) and not data[0::2].count(0):
        text = _decoded(data, "utf-16-le")  # UTF-16 without its BOM: every other byte a zero
    elif len(data) >= 4 and data[0::2].count(0) > 0.4 * (len(data) // 2) and not data[1::2].count(0):
        text = _decoded(data, "utf-16-be")
    else:
        text = _decoded(data, "utf-8-sig")
        if text is None:
            text = _decoded(data, "cp1252")
    if text is None:
        raise ConfigError(f"the {what} is not text in UTF-8, UTF-16 or Windows-1252", file=path, hint=hint)
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\r\n") + text.count("\ufffd")
    if controls > max(2, len(text) // 200):
        raise ConfigError(f"the {what} is not a text file (it holds {controls} control characters: a spreadsheet "
                          "or other binary file?)", file=path, hint=hint)
    return text


def _decoded(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None
