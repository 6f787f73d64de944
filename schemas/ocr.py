"""The tolerances that read a scanned page: one documented object, like `LayoutSettings`.

Where a default came from: "measured" figures are from the benchmark's scans (tests/synth.py,
as `benchmarks/ocr.py` makes them: 9-pt Helvetica, 0.5-pt rules, printed, scanned at 200 dpi
in grey, skewed 0.6°, dusted with 0.2 % of the pixels, and rendered back at 300 dpi; an A4
landscape page is then 3509 × 2482 px). There a full stop is 25-36 px of ink, an i's dot
about 21, a comma or a hyphen 41-55, a letter 110 or more; a full stop or an i's dot stands
2-4 px from its letter; dust is 1-24 px (99.4 % under 12); a rule is 3-4 px thick; the
median word is 30 px tall and a word of x-height letters ("a", "on", "care") 21-23.

Most defaults came with the first OCR commit (98d3c63), whose history does not say how each
was picked; `dust_small`, `dust_reach`, `speck_height`, `height_*`, `number_dust`, the cell
dust rule and the item-number exemptions came with feb4630, checked on benchmark seeds 1
and 2. The note beside each says what its value sits between on the benchmark's scans, so
a change can be judged against them. With these defaults `benchmarks/ocr.py --n 3 --seed 1`
reads 1.000 records, text within 95 % and dates and ratings.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class OcrSettings:
    """Tolerances and choices of the scanned-page reader, `extractors/ocr.py`
    (`Settings.ocr_settings`). Sizes in px are stated for a page read at 300 dpi (`PX_DPI`)
    and scale with the resolution a page is read at (areas with its square); areas are
    pixels of ink; confidences are Tesseract's (0-100)."""

    # rendering
    dpi: int = 0  # a scan is read at this; 0: at its own resolution (its picture's pixels over its size)
    min_dpi: int = 300  # ... but no coarser: a 200-dpi scan thresholded as it is reads "8." as "&." (test scan 77)
    max_dpi: int = 400  # ... and no finer (a 600-dpi scan is halved: its detail adds time, not letters)
    # ... and no more than this many times its own resolution: enlarging adds pixels, not
    # detail (a 72-dpi photograph read at 300 dpi gave Tesseract 29 million px of leaves: 33 s, 713 MB)
    max_upscale: float = 2.0
    # ... and no more pixels than this (millions): a poster-sized page is read coarser, not in
    # gigabytes (A4 at 400 dpi is 15.5, A3 31; one 200 x 200 cm page took 258 s and 732 MB)
    max_megapixels: float = 40.0

    # deskew: the page is turned by the median angle of its long rules (each its pixels' fitted
    # line), found on the page shrunk
    deskew_scale: float = 0.5  # the shrunk page's share of the size: a quarter of the pixels, rules still 1-2 px
    deskew_kernel: int = 25  # px, shrunk: shorter dark runs cast no vote (a letter is under 25 px wide at full size)
    deskew_votes: int = 150  # px of ink a long rule needs to vote (300 px, an inch, at full size)
    deskew_length_div: int = 5  # a voting rule is at least the shrunk width over this (a table's rules span most)
    deskew_gap: int = 8  # px, shrunk: a rule broken by a gap this short (faded print, dust) is one rule
    deskew_thick: int = 7  # px, shrunk: a dark run down this tall is a shaded block, not a rule (rules 1-3 px)
    max_skew: float = 5.0  # degrees: steeper segments are not level rules; a fed page is skewed 1-2° (benchmark 0.6)
    min_skew: float = 0.05  # degrees: less is not turned: 3 px across A4 landscape, under a rule's 3-4 px

    # ink: dark against the local background, so cell shading is background
    ink_block: int = 31  # px, odd: the Gaussian window of the local background, about a line of text (30 px)
    ink_offset: int = 15  # grey levels below the window's mean a pixel must be to be ink: shading's noise is not

    # the grid: rules are long runs of ink across and down
    rule_min_px: int = 40  # px: the shortest run taken for a rule, on any page: over a letter or a line (30 px)
    hrule_div: int = 25  # a horizontal rule is a run of at least the page width over this (140 px, A4 landscape)
    vrule_div: int = 40  # a vertical rule is a run of at least the page height over this (62 px, two lines)
    hrule_share: float = 0.3  # a pixel row is a rule where runs cover this share of the width (rules 0.40+, text 0.08)
    vrule_share: float = 0.05  # a pixel column is a rule where runs cover this share of the height (0.087+ / 0.031)
    rule_merge: int = 4  # px: rules this close are one (the 3-4 px rows of one rule, a doubled line)
    cut_row_min: int = 20  # px: column rules going on this far past the outer rule (under a line) make a cut row
    cut_row_rules_div: int = 2  # a pixel row is inside the table where this fraction (1/N) of column rules run ...
    cut_row_min_rules: int = 2  # ... and at least this many of them
    rule_pad: int = 5  # px, square: the rule mask is grown so a 3-4 px rule's blurred edge is painted out too
    min_columns: int = 2  # a grid of fewer columns is no table: its words are read as text lines

    # dust, painted out before Tesseract reads the page (a full stop is 25+ px, dust 99.4 % under 12)
    dust_speck: int = 12  # px of ink: a smaller mark is dust wherever it lies
    dust_small: int = 40  # px: smaller is dust unless near a letter (full stops, i's dots under; a comma 41+ over)
    dust_reach: int = 8  # px: a small mark this near a letter is kept (a full stop or an i's dot is 2-4 px off)
    dust_connectivity: int = 8  # pixels touching at a corner are one mark (8) or two (4): a blurred dot is one

    # Tesseract
    psm: int = 6  # page segmentation mode 6, one uniform block: with the rules painted out, rows of text
    cell_gap: int = 60  # px of paper let in at each column rule before Tesseract reads: a cell's words stay its own
    tesseract_timeout: float = 300.0  # seconds one page's Tesseract run may take (a page takes about 8)
    # threads one Tesseract run may use (its OMP_THREAD_LIMIT). Its OpenMP threads spin
    # against each other and against the page readers: one thread read the test scans
    # 2.3 times as fast on 2 cores (48 s -> 21 s)
    tesseract_threads: int = 1

    # words Tesseract read that are dust
    punct_len: int = 2  # a word with no letter or digit this short is dust read as punctuation ...
    punct_conf: float = 90.0  # ... and a longer one read below this (a printed dash alone is read surely)
    height_conf: float = 80.0  # the page's word height is the median of words read at least this surely ...
    height_len: int = 3  # ... and at least this long (30 px measured)
    speck_height: float = 0.45  # a word under this share of that height is a speck (x-height words 0.7, "." 0.2)
    dust_word_len: int = 2  # a word this short read below `dust_word_conf` is dust ("Lo") ...
    dust_word_conf: float = 50.0  # ... but an item number or rating letter is kept at any ("2." was read at 32)
    item_digits: int = 3  # an item number has up to this many digits (1. to 999.)
    number_dust: int = 2  # up to this many quotes, plus signs and the like read before an item number are dust
    line_overlap: float = 0.5  # of a word's height: words whose middles are this close share a printed line
    min_conf: float = 60.0  # a word read below this is reported (ocr-low-confidence), and kept

    # cells
    cell_dust_chars: int = 3  # a cell of this few characters, all read below `cell_dust_conf` ...
    cell_dust_conf: float = 50.0  # ... none an item number or rating letter, is blank ("Log"): carrying down works
    fill_inset: int = 4  # px: a cell's shading is sampled this far inside its rules (a rule is 3-4 px)
    fill_spread: int = 60  # of 255: a pixel whose channels differ more is coloured (grey 0, banded 13, RAG 176+)
    fill_share: float = 0.3  # a cell is shaded where this share of its sampled pixels is coloured (not its text)

    # shaded cells in a grey scan (a printed rating colour): measured on the sample printed
    # through a 106-lpi halftone and scanned (tests/synth.py make_printed_scan_pdf): paper 235,
    # header tint 181-187, amber 141-154, green 76-80, red 47-50, their letters 10-20 levels darker
    shade_ratio: float = 0.9  # a cell whose background is under this share of the paper's is shaded (level = fill)
    shade_dark: float = 0.8  # a shaded cell darker than this share has its ink found against its own background
    shade_blur: float = 1.0  # px: the Gaussian blur (sigma) that evens out a halftone's dots and the scan's noise
    shade_kernel: int = 15  # px, square: the background is the cell with strokes narrower than this closed over
    shade_noise: float = 4.0  # ink stands below the background by this many times the cell's noise (MAD) ...
    shade_min_contrast: int = 6  # ... and at least this many grey levels ...
    shade_low: float = 0.35  # ... and this share of the cell's strongest contrast (its 99.9th percentile) ...
    shade_high: float = 0.7  # ... and a mark is ink only where some of it stands out this share (twice the rest)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"ocr {f.name} must be a number, not {value!r}")
            if f.type == "int":
                if value != int(value):
                    raise ValueError(f"ocr {f.name} must be a whole number, not {value!r}")
                object.__setattr__(self, f.name, int(value))
            else:
                object.__setattr__(self, f.name, float(value))
        above_0 = ("min_dpi", "max_dpi", "max_megapixels", "max_upscale", "deskew_thick", "deskew_scale",
                   "deskew_kernel", "deskew_votes", "deskew_length_div", "max_skew", "ink_offset", "rule_min_px",
                   "hrule_div", "vrule_div", "hrule_share", "vrule_share", "cut_row_rules_div", "cut_row_min_rules",
                   "rule_pad", "min_columns", "tesseract_timeout", "tesseract_threads", "speck_height", "item_digits",
                   "line_overlap", "fill_share", "shade_ratio", "shade_dark", "shade_kernel")
        for name in above_0:
            if not getattr(self, name) > 0:
                raise ValueError(f"ocr {name} must be above 0, not {getattr(self, name)}")
        for name in ("dpi", "cell_gap", "deskew_gap", "min_skew", "rule_merge", "cut_row_min", "dust_speck",
                     "dust_small", "dust_reach", "punct_len", "height_len", "dust_word_len", "number_dust",
                     "cell_dust_chars", "fill_inset", "fill_spread", "shade_blur", "shade_noise",
                     "shade_min_contrast", "shade_low", "shade_high"):
            if getattr(self, name) < 0:
                raise ValueError(f"ocr {name} must be 0 or more, not {getattr(self, name)}")
        for name in ("deskew_scale", "hrule_share", "vrule_share", "speck_height", "fill_share", "shade_ratio",
                     "shade_dark", "shade_low", "shade_high"):
            if getattr(self, name) > 1:
                raise ValueError(f"ocr {name} is a share (0-1], not {getattr(self, name)}")
        for name in ("punct_conf", "height_conf", "dust_word_conf", "min_conf", "cell_dust_conf"):
            if not 0 <= getattr(self, name) <= 100:
                raise ValueError(f"ocr {name} is a Tesseract confidence (0-100), not {getattr(self, name)}")
        if self.ink_block < 3 or self.ink_block % 2 == 0:
            raise ValueError(f"ocr ink_block must be odd and 3 or more, not {self.ink_block}")
        if self.ink_offset >= 255 or self.fill_spread >= 255:
            raise ValueError("ocr ink_offset and fill_spread are grey levels, under 255")
        if not self.min_skew < self.max_skew <= 45:
            raise ValueError(f"ocr needs min_skew < max_skew <= 45 (degrees), not {self.min_skew}, {self.max_skew}")
        if self.dust_small < self.dust_speck:
            raise ValueError(f"ocr dust_small ({self.dust_small}) must be at least dust_speck ({self.dust_speck})")
        if self.dust_connectivity not in (4, 8):
            raise ValueError(f"ocr dust_connectivity is 4 or 8, not {self.dust_connectivity}")
        if self.min_dpi > self.max_dpi:
            raise ValueError(f"ocr min_dpi ({self.min_dpi}) must be at most max_dpi ({self.max_dpi})")
        if not 0 <= self.psm <= 13:
            raise ValueError(f"ocr psm is a Tesseract page segmentation mode (0-13), not {self.psm}")

    def at(self, dpi: int) -> OcrSettings:
        """These settings for a page read at `dpi`: every size in px scaled from `PX_DPI` (the
        `dpi` of the copy is the resolution read at; its px sizes are at it)."""
        f = dpi / PX_DPI
        sized = {name: max(1, round(getattr(self, name) * f)) for name in _LENGTHS}
        sized.update({name: round(getattr(self, name) * f * f) for name in _AREAS})
        sized["ink_block"] = max(3, round(self.ink_block * f) | 1)
        sized["shade_blur"] = self.shade_blur * f
        return replace(self, dpi=dpi, **sized)


# the resolution the px sizes are stated at, and which fields are lengths and areas in px
PX_DPI = 300
_LENGTHS = ("deskew_kernel", "deskew_votes", "deskew_gap", "deskew_thick", "rule_min_px", "rule_merge", "cut_row_min",
            "rule_pad", "dust_reach", "fill_inset", "shade_kernel", "cell_gap")
_AREAS = ("dust_speck", "dust_small")
