"""Extractors: read a PDF once and hand back its tables, text lines and cell fills per page."""

from actionplan.extractors.model import Cell, Document, PageContent, RawTable, Security, TextLine
from actionplan.extractors.pdf import read_document, read_pages

__all__ = ["Cell", "Document", "PageContent", "RawTable", "Security", "TextLine", "read_document", "read_pages"]
