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
    """A user's data file as text: UTF-8 (with or without a BOM), or Windows-1252 as Excel
    saves CSV on Windows."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the {what} ({exc.strerror})", file=path) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ConfigError(f"the {what} is not text in UTF-8 or Windows-1252", file=path,
                              hint="save it as CSV UTF-8") from exc
