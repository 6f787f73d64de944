"""The `actionplan` command: a thin shell over pipeline.convert and pipeline.write_outputs."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

# light: the settings and the layout tolerances are plain dataclasses (no pandas, no Camelot)
from actionplan.pipeline.settings import ENGINES, Settings, available_cores
from actionplan.schemas.errors import ActionPlanError, ConfigError
from actionplan.schemas.layout import LayoutSettings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

EPILOG = """exit codes: 0 every input converted (or already done); 1 some inputs failed, timed out
or (with --strict) had warnings; 2 bad usage (unknown option, missing input or lead list)."""


EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


def _bounded(kind: type, low: float, strict: bool, words: str) -> Callable[[str], Any]:
    """An argparse type: a number of `kind` above `low` (or at least it, unless `strict`)."""
    def parse(text: str) -> Any:
        import math

        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a {'whole ' if kind is int else ''}number: {text!r}") from None
        if not math.isfinite(value):  # "nan" compares false with everything: it would switch a limit off
            raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
        if value < low or (strict and value == low):
            raise argparse.ArgumentTypeError(words)
        return value
    return parse


_positive_float = _bounded(float, 0, True, "must be more than 0")
_megabytes = _bounded(int, 0, False, "must be 0 (no limit) or more")
_positive_int = _bounded(int, 1, False, "must be 1 or more")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


# ---------------------------------------------------------------- options, each declared once

_SETTINGS = {f.name: f for f in dataclasses.fields(Settings)}


def setting_default(name: str) -> Any:
    """A Settings field's default: the command line states none of its own."""
    spec = _SETTINGS[name]
    if spec.default is not dataclasses.MISSING:
        return spec.default
    assert spec.default_factory is not dataclasses.MISSING, name
    return spec.default_factory()


def add_verbose_option(parser: argparse.ArgumentParser, top: bool = False) -> None:
    # given before and after the command, the two counts add up (see `main`)
    parser.add_argument("-v", "--verbose", action="count", default=0, dest="verbose" if top else "verbose_after",
                        help="show tracebacks and what the tool did (stages, decisions, timings); "
                        "-vv adds the PDF libraries' own logs")


def add_output_options(parser: argparse.ArgumentParser, judged: str = "overdue actions") -> None:
    """Where a command writes, and the day its overdue actions are judged on (convert, diff)."""
    group = parser.add_argument_group("output options")
    group.add_argument("-o", "--outdir", type=Path, default=Path("outputs"),
                       help="where outputs go (default: %(default)s)")
    group.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help=f"date for judging {judged} (default: today)")


def add_limit_options(parser: argparse.ArgumentParser) -> None:
    """How long one file may take (convert, inspect, diff): a scan's limit grows with its pages."""
    parser.add_argument("--timeout", type=_positive_float, default=300.0, metavar="SECONDS",
                        help="stop a file that takes longer than this, plus --ocr-page-timeout for each page "
                        "it reads by OCR (default: %(default)g)")
    parser.add_argument("--ocr-page-timeout", type=_positive_float, default=60.0, metavar="SECONDS",
                        help="time each scanned page adds to a file's --timeout: a page takes 2-5 s to OCR "
                        "on an idle core (default: %(default)g)")


class FileLimit:
    """One file converted in this process (inspect, diff) within the batch's time limit,
    the OCR pages shown as they go on stderr. Where the platform has no interval timer
    (Windows) the progress is shown and the limit is not kept."""

    def __init__(self, path: Path, timeout: float, ocr_page_timeout: float, stream: Any = None) -> None:
        self.path, self.timeout, self.per_page = path, timeout, ocr_page_timeout
        self.stream = stream or sys.stderr
        self.pages = 0
        self.start = 0.0
        self.previous: Any = None

    def allowed(self) -> float:
        from actionplan.pipeline.batch import time_allowed

        return time_allowed(self.timeout, self.per_page, self.pages)

    def __enter__(self) -> FileLimit:
        import signal
        import time

        self.start = time.monotonic()
        if hasattr(signal, "setitimer"):
            self.previous = signal.signal(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, self.timeout)
        return self

    def __exit__(self, *exc: object) -> None:
        import signal

        if hasattr(signal, "setitimer"):
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)

    def _expired(self, signum: int, frame: object) -> None:
        from actionplan.pipeline.batch import over_time
        from actionplan.schemas.errors import InputError

        said, hint = over_time(self.timeout, self.per_page, self.pages)
        raise InputError(said, file=self.path, hint=hint)

    def progress(self, what: str, done: int, of: int) -> None:
        import signal
        import time

        if what != "ocr":
            return
        if done == 0:
            self.pages = of
            if hasattr(signal, "setitimer"):  # the limit grows now the scan's pages are known
                signal.setitimer(signal.ITIMER_REAL, max(0.01, self.start + self.allowed() - time.monotonic()))
        end = "\n" if done == of else ""
        print(f"\r{self.path.name}: OCR page {done} of {of}", end=end, file=self.stream, flush=True)


def add_conversion_options(parser: argparse.ArgumentParser, applies: str = "") -> None:
    """How a plan PDF is read into records: the same options, with the Settings defaults,
    wherever a command converts a PDF (convert, inspect, diff)."""
    group = parser.add_argument_group(
        "conversion options", "how a plan PDF is read into records (the same for convert, inspect and diff)"
        + (f"; {applies}" if applies else ""))
    group.add_argument("--leads", type=Path, metavar="CSV", default=setting_default("leads"),
                       help="canonical lead titles: CSV with columns canonical,aliases (aliases split by |)")
    group.add_argument("--synonyms", type=Path, action="append", default=list(setting_default("synonyms")),
                       metavar="CSV", help="extra header synonyms: CSV with columns field,synonym (repeatable)")
    group.add_argument("--lead-threshold", type=float, default=setting_default("lead_threshold"), metavar="SCORE",
                       help="fuzzy score 0-100 a lead must reach to take a canonical title (default: %(default)g)")
    group.add_argument("--carry-down", metavar="FIELDS", default=",".join(setting_default("carry_down")),
                       help="comma-separated fields where a blank cell means 'same as above' (default: %(default)s)")
    group.add_argument("--password", default=setting_default("password"), help="password for encrypted PDFs")
    group.add_argument("--layout", action="append", default=[], metavar="NAME=VALUE",
                       help="a layout tolerance (repeatable): "
                       + ", ".join(f.name for f in dataclasses.fields(LayoutSettings)) + "; see the README")
    group.add_argument("--engine", choices=ENGINES, default=setting_default("engine"),
                       help="how ruled lines are found: vector reads the PDF's rules (fast); "
                       "combined/raster render pages first (default: %(default)s)")
    group.add_argument("--no-fallback", dest="fallback", action="store_false", default=setting_default("fallback"),
                       help="do not retry pages without ruled tables with the text-based parsers")
    group.add_argument("--max-page-mb", type=_positive_float, default=setting_default("max_page_mb"), metavar="MB",
                       help="drawing instructions one page may hold before it is refused unread "
                       "(default: %(default)g; a plan page holds tens of KB)")
    group.add_argument("--ocr", choices=("auto", "always", "never"), default=setting_default("ocr"),
                       help="read scanned pages with Tesseract: auto, pages that are a picture with no text; "
                       "always, every page; never, refuse scans (default: %(default)s)")


def settings_from_args(args: argparse.Namespace, **fixed: Any) -> Settings:
    """The Settings the parsed options describe, for every command: each option named as a
    Settings field goes in as parsed (None: the field's default); `fixed` is what the command
    decides itself."""
    given = vars(args)
    kwargs: dict[str, Any] = {name: given[name] for name in _SETTINGS if given.get(name) is not None}
    pairs = kwargs.pop("layout", None)
    if pairs:
        try:
            kwargs["layout"] = LayoutSettings.parse(pairs)
        except ValueError as exc:
            raise ConfigError(str(exc), hint=f"see actionplan {args.command} --help") from exc
    return Settings(**{**kwargs, **fixed})


# ---------------------------------------------------------------- the commands

_ARGV: list[str] = []  # what `main` was given, for `_Parser.error`


class _Parser(argparse.ArgumentParser):
    """argparse, saying what to do when a file's name starts with a dash (it reads as an option)."""

    def error(self, message: str) -> Any:
        dashed = [a for a in _ARGV if a.startswith("-") and a not in ("-", "--") and Path(a).exists()]
        if dashed:
            message += (f"; {dashed[0]!r} is a file whose name starts with a dash: put -- before it "
                        f"(actionplan convert -- {dashed[0]}) or write it as ./{dashed[0]}")
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    from actionplan.pipeline.core import TOOL_VERSION

    parser = _Parser(
        prog="actionplan",
        description="Turn PDF inspection action plans into clean CSV, Excel and JSON.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"actionplan {TOOL_VERSION}")
    add_verbose_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    conv = sub.add_parser(
        "convert",
        help="convert plan PDFs (files or folders) into OUTDIR",
        description="Convert each PDF (folders are searched recursively) into OUTDIR/<stem>.json, "
        "<stem>.xlsx and one <stem>.<plan-id>.csv per plan.",
        epilog=EPILOG,
    )
    conv.add_argument("inputs", nargs="+", metavar="INPUT", type=Path, help="a PDF or a folder of PDFs")
    add_verbose_option(conv)
    conv.add_argument("--strict", action="store_true", default=setting_default("strict"),
                      help="treat warnings as failures: a file with any is marked failed (exit code 1), "
                      "its outputs written all the same and its every warning listed")
    conv.add_argument("--review", action="store_true",
                      help="also write OUTDIR/<stem>.review.html: every page with each record's region marked, "
                      "beside the lists of plans, records and warnings (one self-contained file)")
    conv.add_argument("--force", action="store_true",
                      help="convert again inputs the manifest says are done (same bytes, tool version and "
                      "options: a changed option converts a file again without it)")
    conv.add_argument("--no-collect", dest="collect", action="store_false",
                      help="do not build OUTDIR's collection (collection.sqlite, .xlsx, .jsonl) at the end of a "
                      "batch of more than one file")
    conv.add_argument("-j", "--jobs", type=_positive_int, default=available_cores(), metavar="N",
                      help="processes to use: several files at once, or one file's pages shared "
                      "(default: the cores, %(default)s)")
    add_limit_options(conv)
    conv.add_argument("--max-memory", type=_megabytes, default=2048, metavar="MB",
                      help="memory limit per file; 0 for none (default: %(default)s)")
    add_output_options(conv)
    add_conversion_options(conv)
    ins = sub.add_parser(
        "inspect",
        help="draw one page with what the reader saw (cells, rules, fills, text, records)",
        description="Convert FILE and draw page N with the rules and fills, the cells the reader found, "
        "the text lines outside tables, page furniture struck through, and each record's region labelled "
        "with its plan and item: the first thing to look at when a new template converts badly.",
    )
    ins.add_argument("file", type=Path, metavar="FILE", help="a plan PDF")
    ins.add_argument("--page", type=_positive_int, required=True, metavar="N", help="the page to draw")
    ins.add_argument("-o", "--output", type=Path, metavar="PNG",
                     help="where the picture goes (default: <FILE stem>-pN.png in the working folder, "
                     "never beside the input)")
    ins.add_argument("--scale", type=_positive_float, default=2.0, help="pixels per point (default: %(default)g)")
    add_verbose_option(ins)
    add_limit_options(ins)
    add_conversion_options(ins)
    dif = sub.add_parser(
        "diff",
        help="what changed between two versions of a plan",
        description="Compare OLD and NEW (each a plan PDF or a JSON file this tool wrote) and write "
        "OUTDIR/<NEW stem>.changes.json, .changes.csv and .changes.xlsx.",
        epilog="exit codes: 0 compared; 1 a version could not be read or converted; 2 bad usage.",
    )
    dif.add_argument("old", type=Path, metavar="OLD", help="the earlier version: a plan PDF or its JSON")
    dif.add_argument("new", type=Path, metavar="NEW", help="the later version: a plan PDF or its JSON")
    add_verbose_option(dif)
    add_limit_options(dif)
    add_output_options(dif, judged="overdue actions not updated")
    add_conversion_options(dif, applies="used where OLD or NEW is a PDF")
    col = sub.add_parser(
        "collect",
        help="every plan converted into OUTDIR in one collection: SQLite, a workbook, JSON lines",
        description="Build OUTDIR/collection.sqlite, collection.xlsx and collection.jsonl from the outputs "
        "the manifest lists (and any diff results in OUTDIR), all or nothing. A batch of more than one "
        "file does this at its end.",
        epilog="exit codes: 0 built; 1 built, but some outputs could not be read (listed), or not built; "
        "2 bad usage.",
    )
    col.add_argument("outdir", type=Path, metavar="OUTDIR", help="a folder `actionplan convert` wrote into")
    col.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="date for judging overdue actions "
                     "(default: today)")
    add_verbose_option(col)
    chk = sub.add_parser(
        "check",
        help="convert your own plans and compare them with their expected records",
        description="For each NAME.pdf in the folders (or named) that has a NAME.expected.json beside it, "
        "convert it (with NAME.leads.csv and NAME.synonyms.csv where they are there) and compare its records "
        "field by field with the expected ones: records found, text, paragraphs, dates, ratings, leads, "
        "spurious records.",
        epilog="exit codes: 0 every plan as expected (or, with --update, its expected records written); "
        "1 some plan differs or failed to convert; 2 bad usage (no plan with expected records found).",
    )
    chk.add_argument("inputs", nargs="+", metavar="FOLDER", type=Path, help="a folder of plans, or a plan PDF")
    chk.add_argument("--update", action="store_true",
                     help="accept each plan's output as its expected records (review the differences first); "
                     "also writes NAME.expected.json for a plan that has none yet")
    add_verbose_option(chk)
    add_conversion_options(chk, applies="a plan's own NAME.leads.csv is used instead of --leads")
    return parser


def run_collect(args: argparse.Namespace) -> int:
    from actionplan.pipeline.batch import MANIFEST

    if not (args.outdir / MANIFEST).is_file():
        raise ConfigError(f"no {MANIFEST} here: not a folder actionplan convert wrote into", file=args.outdir,
                          hint="pass the -o folder of a conversion")
    return _collect(args.outdir, args.as_of or date.today(), args.verbose)


def _collect(outdir: Path, as_of: date, verbose: int) -> int:
    import sqlite3

    from actionplan.pipeline.collection import collect, summary_line

    try:
        built = collect(outdir, as_of)
    except (OSError, sqlite3.Error) as exc:
        print(f"error: {outdir}: the collection was not built ({exc}); the last one is left as it was", file=sys.stderr)
        if verbose:
            raise
        return EXIT_FAILED
    print(summary_line(built))
    for problem in built.problems:
        print(f"not in the collection: {problem}", file=sys.stderr)
    return EXIT_FAILED if built.problems else EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    from actionplan.pipeline.check import check_pair, find_pairs, render_report, update_pair

    settings = settings_from_args(args, workers=1)
    check_config(settings)
    pairs = []
    for path in args.inputs:
        if not path.exists():
            raise ConfigError("no such file or folder", file=path, hint="check the path")
        pairs += find_pairs(path, with_expected=not args.update)
    if not pairs:
        raise ConfigError("no plan with expected records (NAME.pdf beside NAME.expected.json)",
                          file=args.inputs[0], hint="add NAME.expected.json, or write one with --update and review it")
    if args.update:
        failed = 0
        for pair in pairs:
            try:
                print(f"wrote {update_pair(pair, settings)}")
            except ActionPlanError as exc:
                failed += 1
                print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED if failed else EXIT_OK
    results = [check_pair(pair, settings) for pair in pairs]
    print(render_report(results, differences=0 if args.verbose else 10))
    return EXIT_OK if all(r.passed for r in results) else EXIT_FAILED


def run_inspect(args: argparse.Namespace) -> int:
    from actionplan.pipeline.core import Result, convert
    from actionplan.pipeline.outputs.inspect import inspect_page

    settings = settings_from_args(args, workers=1)
    check_config(settings)
    if not args.file.is_file():
        raise ConfigError("no such file", file=args.file, hint="check the path")
    failed: ActionPlanError | None = None
    try:
        try:
            with FileLimit(args.file, args.timeout, args.ocr_page_timeout) as limit:
                result = convert(args.file, settings, progress=limit.progress)
        except ActionPlanError as exc:
            if not isinstance(exc.partial, Result):
                raise
            result, failed = exc.partial, exc  # drawn all the same: the picture shows why
        picture = inspect_page(result, args.page, args.scale, failure=str(failed) if failed else None)
    except ConfigError:
        raise  # a page the file does not have: usage, exit 2
    except ActionPlanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if args.verbose:
            raise
        return EXIT_FAILED
    out = args.output or Path(f"{args.file.stem}-p{args.page}.png")  # the working folder: inputs may be read-only
    picture.sheet.save(out)
    if failed is not None:
        print(f"error: {failed}", file=sys.stderr)
        print(f"page {args.page}: the conversion failed; drew what was read and decided before it did: {out}")
        return EXIT_FAILED
    print(f"page {args.page}: {len(picture.cells)} cells, {len(picture.records)} record regions, "
          f"{len(picture.furniture)} furniture lines, {len(picture.decisions)} decisions; wrote {out}")
    return EXIT_OK


def run_diff(args: argparse.Namespace) -> int:
    from actionplan.pipeline.compare.diff import KIND_LABELS, KINDS, diff, load_version, write_changes

    settings = settings_from_args(args)
    check_config(settings)
    check_outdir(args.outdir)
    for path in (args.old, args.new):
        if not path.is_file():
            raise ConfigError("no such file", file=path, hint="check the path")
    try:
        with FileLimit(args.old, args.timeout, args.ocr_page_timeout) as limit:
            old = load_version(args.old, settings, progress=limit.progress)
        with FileLimit(args.new, args.timeout, args.ocr_page_timeout) as limit:
            new = load_version(args.new, settings, progress=limit.progress)
        changes = diff(old, new, settings)
    except ActionPlanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if args.verbose:
            raise
        return EXIT_FAILED
    written = write_changes(changes, args.outdir)
    kinds = Counter(c.kind for c in changes.changes)
    flags = Counter(f for c in changes.flagged for f in c.flags)
    summary = ", ".join(f"{kinds[k]} {KIND_LABELS.get(k, k)}" for k in KINDS)
    print(f"{summary}; {len(changes.unchanged)} unchanged")
    if flags:
        print("flags: " + ", ".join(f"{n} {f}" for f, n in flags.most_common()))
    print(f"wrote {', '.join(str(p) for p in written)}")
    return EXIT_OK


def find_pdfs(inputs: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """PDFs named or found under folders (recursively), and notes on what was skipped."""
    pdfs, notes, _ = find_inputs(inputs)
    return pdfs, notes


def find_inputs(inputs: Sequence[Path]) -> tuple[list[Path], list[str], int]:
    """PDFs named or found under folders (recursively), notes on what was skipped, and how
    many folders could not be read (their PDFs were not converted: the run fails)."""
    import os
    import stat

    found: dict[Path, Path] = {}  # the file itself -> the path it was first given by
    notes: list[str] = []
    unread: list[str] = []

    def kind(p: Path) -> str | None:
        """What a path that is neither a file nor a folder is, in words."""
        try:
            mode = p.stat().st_mode
        except OSError:
            return None
        for test, words in ((stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                            (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
            if test(mode):
                return words + (f" (a link to {os.path.realpath(p)})" if p.is_symlink() else "")
        return None
    for item in inputs:
        if item.is_dir():
            seen: set[str] = set()  # folders by their real path: symlinks are followed, loops are not

            def unreadable(exc: OSError) -> None:
                notes.append(f"skipped {exc.filename}: cannot read the folder ({exc.strerror}); "
                             "its PDFs were not converted")
                unread.append(str(exc.filename))

            for folder, dirs, files in os.walk(item, onerror=unreadable, followlinks=True):
                real = os.path.realpath(folder)
                if real in seen:
                    notes.append(f"skipped {folder}: a link back to a folder already searched")
                    dirs[:] = []
                    continue
                seen.add(real)
                dirs.sort()
                for name in sorted(files):
                    p = Path(folder) / name
                    if p.suffix.lower() == ".pdf" and p.is_file():
                        found.setdefault(p.resolve(), p)
                    elif (what := kind(p)) is not None:
                        notes.append(f"skipped {p}: {what}, not a file")
                    elif not name.startswith("."):
                        notes.append(f"skipped {p}: not a .pdf")
        elif item.is_file():
            found.setdefault(item.resolve(), item)
        elif (what := kind(item)) is not None:
            raise ActionPlanError(f"{what}, not a PDF file", file=item, hint="pass the PDF file itself")
        else:
            raise ActionPlanError("no such file or folder", file=item, hint="check the path")
    return list(found.values()), notes, len(unread)


def check_outdir(outdir: Path) -> None:
    """The output folder must be a folder we can write in, before any work is done."""
    import tempfile

    if outdir.exists() and not outdir.is_dir():
        raise ConfigError("the output folder is a file", file=outdir, hint="pass a folder with -o")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=outdir):
            pass
    except OSError as exc:
        raise ConfigError(f"cannot write in the output folder ({exc.strerror})", file=outdir,
                          hint="pass a folder you can write in with -o") from exc


def check_config(settings: Settings) -> None:
    """Parse the user's data files once, before any PDF is read: a bad lead list or synonyms
    file is one usage error, not a failure of every file."""
    _ = settings.knowledge


def run_convert(args: argparse.Namespace) -> int:
    from actionplan.pipeline.batch import Progress, render_table, render_warnings, run_batch

    settings = settings_from_args(args)
    check_config(settings)
    check_outdir(args.outdir)
    pdfs, notes, unread = find_inputs(args.inputs)
    for note in notes:
        print(note, file=sys.stderr)
    if not pdfs:
        print("error: no PDF found in the inputs", file=sys.stderr)
        return EXIT_USAGE
    progress = Progress(len(pdfs))
    reports = run_batch(
        pdfs, args.outdir, settings, jobs=args.jobs, timeout=args.timeout, force=args.force,
        max_memory=args.max_memory or None, verbose=args.verbose, on_done=progress, review=args.review,
        ocr_page_timeout=args.ocr_page_timeout, on_ocr=progress.ocr,
    )
    if args.verbose:
        for r in reports:
            if r.traceback:
                print(r.traceback, file=sys.stderr)
    print(render_table(reports))
    print(render_warnings(reports, args.outdir))
    if unread:
        print(f"{unread} folder(s) could not be read: their PDFs were not converted (see above)", file=sys.stderr)
    code = EXIT_OK if all(r.ok for r in reports) and not unread else EXIT_FAILED
    if args.collect and len(pdfs) > 1:
        code = max(code, _collect(args.outdir, settings.as_of, args.verbose))
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    _ARGV[:] = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    args.verbose += getattr(args, "verbose_after", 0)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    import logging

    from actionplan.pipeline.batch import quiet_logging

    if args.verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s"
                            if args.verbose > 1 else "%(name)s: %(message)s")
    quiet_logging(args.verbose)
    import signal

    from actionplan.pipeline.batch import Stopped, request_stop

    def terminated(signum: int, frame: object) -> None:
        request_stop(EXIT_TERMINATED)

    def interrupted(signum: int, frame: object) -> None:
        request_stop(EXIT_INTERRUPTED)

    previous = signal.signal(signal.SIGTERM, terminated)
    # Ctrl-C likewise, unless this process was started with it ignored (a background job)
    previous_int = signal.getsignal(signal.SIGINT)
    if previous_int is signal.default_int_handler:
        signal.signal(signal.SIGINT, interrupted)
    try:
        runner = {"diff": run_diff, "inspect": run_inspect, "collect": run_collect,
                  "check": run_check}.get(args.command, run_convert)
        return runner(args)
    except (KeyboardInterrupt, Stopped) as exc:
        code = exc.code if isinstance(exc, Stopped) else EXIT_INTERRUPTED
        if args.command != "convert":
            print("stopped: nothing was written", file=sys.stderr)
        else:
            print(f"stopped: files finished so far are in {args.outdir / 'manifest.json'}; run again to go on",
                  file=sys.stderr)
        return code
    except ActionPlanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if args.verbose:
            raise
        return EXIT_USAGE  # raised before any conversion: settings or inputs are wrong
    finally:
        signal.signal(signal.SIGTERM, previous)
        if previous_int is signal.default_int_handler:
            signal.signal(signal.SIGINT, previous_int)


if __name__ == "__main__":
    sys.exit(main())
