"""Extractors: read a PDF once and hand back its tables, text lines and cell fills per page."""

from actionplan.extractors.model import Cell, PageContent, RawTable, TextLine
from actionplan.extractors.pdf import read_pages

__all__ = ["Cell", "PageContent", "RawTable", "TextLine", "read_pages"]
