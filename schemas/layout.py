"""The tolerances that decide layouts: one documented object, shared by every stage.

Where a default came from: each note names the commit that brought the number in and the
case it was for (`git log -S'<number>'` finds it); "the sample" is
samples/ofsted-improvement-plan-2014.pdf (body text 8 pt, line pitch 9.3 pt, titles 12 pt,
A4 landscape) and "the sweep" the generated layouts of tests/synth.py (body 7.5-10 pt,
titles 5 pt larger, ReportLab and WeasyPrint). The history rarely says how a value was
picked, so most notes say what the value was chosen to tell apart; a change can be judged
against that. With these defaults the sample and the sweep's slice in tests/test_sweep.py
convert without a structural warning.

What is not here is a fact of the format, not a tolerance, and is a named constant beside
the code that uses it, with why it is fixed (a cut drawn 1 pt above its line, the buckets
of a furniture key, Camelot's fallback guesses, the shape of a header score).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class LayoutSettings:
    """Tolerances that decide a table's rows, columns and header, and what is page
    furniture (`Settings.layout`; the CLI's `--layout NAME=VALUE`). The reader, the
    structure stage and its checks all take them, so they live with the shared ground.
    Points are PDF points (1/72 inch); a share is 0-1; a score is rapidfuzz's (0-100)."""

    # --- rows: where one row ends and the next begins (02dc5fd: rows cut again from the page's
    # drawing, after ReportLab left out the rule under a header repeated over a split row)
    level_tolerance: float = 2.0  # points: lines whose tops differ by no more share a top line (and a row)
    gap_ratio: float = 1.25  # a row break is a gap this many times the line pitch (1.35 until af61bf7)
    min_starts: int = 2  # cells that must start together on one top line to make a row break
    fill_span: float = 0.8  # a fill spanning this share of the table width marks row edges (banded rows)
    # of a line's box: a spreadsheet lets a cell's last line hang its descenders this far past
    # its row's fill; a rule (a cell's border) is not crossed (85c2a0a, Calc's bands)
    fill_descent: float = 0.25
    # ems: the pieces of one printed line the column edges cut meet within this (a cut at a
    # word space; a bold sans space is 0.35 em); two cells' texts stand further apart, by both
    # cells' padding (85c2a0a, a Word section row merged across a text table)
    cut_word_space: float = 0.45
    header_levels: int = 6  # most lines a header may wrap over
    # points: the line pitch taken for a table none of whose cells holds two lines, where an
    # item number must sit a line below a ruled row's top (02dc5fd; the sample's pitch is 9.3)
    default_line_pitch: float = 10.0
    # of the line's average character width: a line that stops more than this short of where
    # its column's lines wrap ends a word there, so it is not rejoined to the next (3687a93)
    short_line_chars: float = 1.5
    # points, and a share: a column is set flush left (so a line stopping short of its edge
    # ended before it) when this share of its cells of several lines start them within this
    # of each other; centred text stops short on every line and says nothing (this session)
    flush_left_tolerance: float = 2.0
    flush_left_share: float = 0.8
    # points: two boxes meet only where they overlap by more than this: a line and a column
    # edge or a header cell (18e68b9, fb44c7a), a fill edge or rule and a line it would cut
    # through (02dc5fd), a line and the table under it (6af2882); neighbouring glyph boxes touch
    overlap_margin: float = 1.0

    # --- columns (150fcb6: plans compared by where their columns part)
    # points: column edges this close (on two pages, or a header and the page before) are one column
    column_tolerance: float = 6.0
    column_gap: float = 0.5  # of a line's height: a wider gap between two characters parts two cells (3687a93)

    # --- headers: a row read as a plan's header (6af2882 unless said)
    header_match: float = 80.0  # score a header cell needs to name a field (the synonyms file carries it)
    # a header names at least this many fields; so a plan's table has this many columns, and a
    # full row of one this many lines
    header_min_fields: int = 3
    header_named_share: float = 0.5  # ... and names a field in at least this share of its filled cells
    header_exact_match: float = 99.0  # score at which a cell is exactly a header name we know (5cec818)
    header_scan_rows: int = 3  # rows from a ruled table's top looked at for its header (titles, blanks not counted)
    header_tucked_words: int = 4  # most words of a short line tucked under a header ("Para No"; 18e68b9)
    header_join_margin: float = 50.0  # score two rows read as one header must gain over the better row alone
    item_column_share: float = 0.6  # share of an unheaded first column's cells that must be item numbers
    # a header cell holding words its plan's header does not (body text merged into it), or
    # far too many words, is reported (header-holds-body-text; d0d1bde)
    header_extra_words: int = 2  # words not in the plan's header a repeated header cell may hold
    header_max_words: int = 12  # words a header cell may hold at all

    # --- a header printed again inside the body
    repeat_header_match: float = 80.0  # score a cell needs against its column's header to be it again (98d3c63)
    repeat_header_share: float = 0.8  # ... in this share of the row's filled cells (feb4630)
    repeat_header_lines: float = 0.5  # share of the header's first lines that, on one top line, repeat it (4214926)

    # --- headers and columns of tables without vertical rules (18e68b9: columns from the header's text)
    text_header_scan_rows: int = 12  # rows from a page's top looked at for a text header (not titles, prose)
    text_header_wrap_words: int = 3  # most words of each further line a header wraps onto (816f545)
    header_most_sentences: int = 2  # cells of a row ending a sentence ("... plans.") that make it body text
    text_header_spacing: float = 1.5  # of the text's size: a row this close under another is its block (816f545)
    text_header_pitch_tolerance: float = 1.0  # points: further header lines keep the first two's pitch (816f545)
    text_header_wrap_align: float = 2.0  # points: a header's wrap line starts this near a header line (488477c)
    text_header_wrap_share: float = 0.5  # ... and holds fewer lines than this share of its first row (488477c)
    # of the text's size: a row whose top is this close to a header row's is part of it, its
    # headings centred (or set at the foot) over fewer lines than the tallest; a line's
    # own pitch is about 1.2 of the size, half a pitch 0.6
    text_header_stagger: float = 0.9
    text_column_lead: float = 2.0  # points: a column's edge sits this far left of its header's text (18e68b9)
    text_table_left_reach: float = 20.0  # points: body lines may start this far left of the header (18e68b9)
    blank_column_chars: int = 8  # most characters of a lone line making a blank-headed first column (150fcb6)
    # a page without a header takes a later page's columns only where its text fits them (fb44c7a)
    fit_crossing_share: float = 0.1  # ... at most this share of its lines run across a column edge
    fit_columns: int = 3  # ... and its lines start in at least this many columns (all, where fewer)
    # a header on a page the plan goes on is the plan's own repeated, or a new plan's under a title (af61bf7)
    repeat_columns_share: float = 0.7  # ... the plan's own: this share of its column edges on the plan's
    # a ruled table's columns run on to the next page, which lost its rules (150fcb6, 826e773), where
    running_foot_share: float = 0.15  # ... the table reaches this share of the page's height from its foot
    running_rules_share: float = 0.5  # ... or this share of its column edges have a rule on the next page
    running_rule_tolerance: float = 3.0  # points: ... that near the edge
    running_rule_length: float = 20.0  # points: ... longer than this (two lines)

    # --- titles (6af2882, af61bf7, da5fe1f)
    title_size_margin: float = 1.5  # points: a title is larger than the text under it by more than this
    title_size_tolerance: float = 0.5  # points: lines this near the largest size above a table are its title

    # --- plans and checks on them (d0d1bde)
    wide_table_columns: int = 4  # columns that make a left-out table table-left-out, not a key (826e773)
    numbering_share: float = 0.8  # plain numbers in this share of the items are a numbering to check
    numbering_slack: float = 0.1  # share of the numbers' span the record count may differ by ...
    numbering_slack_min: int = 2  # ... or this many records, whichever is more
    partial_share: float = 0.8  # where this share of rows has a short field, a row with none is partial

    # --- page furniture: running heads, footers, page numbers (18e68b9, 8a2989d)
    furniture_share: float = 0.3  # a margin line repeated on this share of the pages is furniture (3d7e26c)
    furniture_margin: float = 0.12  # share of the page's height, top and foot, where furniture sits
    furniture_row_lines: int = 3  # most lines on its row a margin line may share (a header row has more)
    furniture_clearance: float = 0.8  # of the line's height: furniture keeps at least this from other text

    # --- the reader: ruled tables, rules and fills (6af2882, 02dc5fd)
    line_scale: int = 15  # Camelot lattice's line_scale: rules under 1/15 of the page are not table rules
    table_reach: float = 2.0  # points: a rule or a line's middle this far outside a table's box is in it
    rule_span: float = 0.5  # a horizontal rule covering this share of a table's width runs across it
    rule_width: float = 2.0  # points: a shape no thicker is a rule, a thicker one shading
    rule_min_length: float = 10.0  # points: a rule no longer is a tick or a bullet
    paper_white: float = 0.97  # a fill at least this light on every channel (0-1) is the paper
    fill_cover: float = 0.5  # share of a cell's area a fill must cover to be the cell's colour

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"layout {f.name} must be a number, not {value!r}")
            if f.type == "int" and value != int(value):
                raise ValueError(f"layout {f.name} must be a whole number, not {value!r}")
        for name in _ABOVE_0:
            if not float(getattr(self, name)) > 0:
                raise ValueError(f"layout {name} must be above 0, not {getattr(self, name)}")
        for name in _AT_LEAST_0:
            if float(getattr(self, name)) < 0:
                raise ValueError(f"layout {name} must be 0 or more, not {getattr(self, name)}")
        for name in _SHARES:
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"layout {name} is a share (0-1), not {getattr(self, name)}")
        for name in _SCORES:
            if not 0 < getattr(self, name) <= 100:
                raise ValueError(f"layout {name} is a score (0-100], not {getattr(self, name)}")
        for name in _COUNTS:
            if int(getattr(self, name)) < 1:
                raise ValueError(f"layout {name} must be 1 or more, not {getattr(self, name)}")

    @classmethod
    def parse(cls, pairs: Sequence[str]) -> LayoutSettings:
        """From NAME=VALUE strings (the CLI's --layout); whole-number fields read as int."""
        known = {f.name: f.type for f in fields(cls)}
        values: dict[str, float | int] = {}
        for pair in pairs:
            name, _, value = pair.partition("=")
            name = name.strip().replace("-", "_")
            if name not in known or not value.strip():
                raise ValueError(f"--layout takes NAME=VALUE with NAME one of {', '.join(known)}; got {pair!r}")
            try:
                values[name] = int(value) if known[name] == "int" else float(value)
            except ValueError:
                raise ValueError(f"--layout {name} needs a {'whole ' if known[name] == 'int' else ''}number, "
                                 f"not {value!r}") from None
        return cls(**values)  # type: ignore[arg-type]


_SCORES = ("header_match", "header_exact_match", "repeat_header_match")
_SHARES = ("fill_span", "header_named_share", "item_column_share", "repeat_header_share", "repeat_header_lines",
           "text_header_wrap_share", "fit_crossing_share", "repeat_columns_share", "running_foot_share",
           "running_rules_share", "numbering_share", "numbering_slack", "partial_share", "furniture_share",
           "furniture_margin", "rule_span", "paper_white", "fill_cover", "flush_left_share")
_COUNTS = ("min_starts", "header_levels", "header_min_fields", "header_most_sentences", "header_scan_rows",
           "header_tucked_words", "header_max_words", "text_header_scan_rows", "text_header_wrap_words",
           "blank_column_chars", "fit_columns", "wide_table_columns", "furniture_row_lines", "line_scale")
# a share or a count of 0 would switch its rule off or make it always hold: not a tolerance
_ABOVE_0 = ("level_tolerance", "gap_ratio", "fill_span", "default_line_pitch", "column_tolerance", "column_gap",
            "text_header_spacing", "text_header_stagger", "furniture_share", "furniture_margin", "rule_span",
            "rule_width", "rule_min_length",
            "paper_white", "fill_cover", "header_named_share", "item_column_share", "repeat_header_share",
            "repeat_header_lines", "text_header_wrap_share", "repeat_columns_share", "running_rules_share",
            "numbering_share", "partial_share", "flush_left_share")
_AT_LEAST_0 = ("short_line_chars", "fill_descent", "cut_word_space", "overlap_margin", "header_join_margin",
               "header_extra_words",
               "text_header_pitch_tolerance", "text_header_wrap_align", "text_column_lead", "text_table_left_reach",
               "fit_crossing_share", "running_foot_share", "running_rule_tolerance", "running_rule_length",
               "title_size_margin", "title_size_tolerance", "numbering_slack", "numbering_slack_min", "table_reach",
               "furniture_clearance", "flush_left_tolerance")

# the defaults, for functions that take one tolerance as a keyword (a unit test passes it)
DEFAULT_LAYOUT = LayoutSettings()
