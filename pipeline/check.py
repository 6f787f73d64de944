"""Your own plans as regression tests: `NAME.pdf` beside `NAME.expected.json`.

A team that adapts the tool to its templates keeps each plan it has checked by hand with
its expected records (and optionally `NAME.leads.csv`, `NAME.synonyms.csv`). `check`
converts each and compares it field by field with what is expected; `update` accepts a
new output as expected after review. `pytest` runs the same check over `samples/`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from actionplan.normalisers.text import fix_lookalikes
from actionplan.pipeline.settings import Settings
from actionplan.schemas.errors import ActionPlanError

EXPECTED_SUFFIX = ".expected.json"
# the expected record's keys, by what they hold: a column of the report each
GROUPS: dict[str, tuple[str, ...]] = {
    "text": ("area_for_improvement", "lead", "action", "by_when", "progress", "monitoring", "evidence_of_impact",
             "business_plan_ref"),
    "para": ("inspection_para", "inspection_para_refs"),
    "dates": ("due_dates", "due"),
    "ratings": ("rag", "rag_raw"),
    "leads": ("lead_canonical",),
}
GROUP_OF: dict[str, str] = {name: group for group, names in GROUPS.items() for name in names}
# what `update` leaves out: where on the page a row sat moves with any change of typesetting
NOT_EXPECTED = ("source_boxes",)


@dataclass(frozen=True)
class Pair:
    """A plan and what it is expected to convert to."""

    name: str
    pdf: Path
    expected: Path
    leads: Path | None = None
    synonyms: Path | None = None


def _beside(pdf: Path, suffix: str) -> Path | None:
    path = pdf.with_name(pdf.stem + suffix)
    return path if path.is_file() else None


def find_pairs(folder: str | Path, with_expected: bool = True) -> list[Pair]:
    """Every `NAME.pdf` under `folder` (or `folder` itself, a PDF) with its expected records;
    with `with_expected` false, also the PDFs that have none yet (for `update`)."""
    folder = Path(folder)
    pdfs = [folder] if folder.is_file() else sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf")
    pairs = []
    for pdf in pdfs:
        expected = pdf.with_name(pdf.stem + EXPECTED_SUFFIX)
        if expected.is_file() or not with_expected:
            pairs.append(Pair(pdf.stem, pdf, expected, _beside(pdf, ".leads.csv"), _beside(pdf, ".synonyms.csv")))
    return pairs


def pair_settings(pair: Pair, base: Settings) -> Settings:
    """The settings a pair converts with: its own lead list and synonyms where it has them."""
    synonyms = (*base.synonyms, pair.synonyms) if pair.synonyms else base.synonyms
    return replace(base, leads=pair.leads or base.leads, synonyms=synonyms)


# ---------------------------------------------------------------- comparing


def norm(value: Any) -> Any:
    """What counts as the same text, as the project's scorer counts it: the same characters
    once Unicode-normalised and look-alike letters read as the letters they look like (a Greek
    capital alpha printed for an A: the tool writes the A), and the same words."""
    if isinstance(value, str):
        return re.sub(r"\s+", " ", fix_lookalikes(unicodedata.normalize("NFKC", value))).strip() or None
    if isinstance(value, list):
        return [norm(v) for v in value]
    if isinstance(value, dict):
        return {k: norm(v) for k, v in value.items()}
    return value


def _refs(value: Any) -> list[str]:
    return sorted(str(norm(x)).rstrip("?") for x in value or [])


def _same(name: str, got: Any, want: Any) -> bool:
    if name == "lead_canonical":  # the titles a lead names, in any order
        return sorted(norm(got or [])) == sorted(norm(want or []))
    if name == "inspection_para_refs":  # "(67?, 80)": the plan's own doubt, kept in the output, is no difference
        return _refs(got) == _refs(want)
    return bool(norm(got) == norm(want) or (norm(got) in (None, [], {}) and norm(want) in (None, [], {})))


@dataclass
class Tally:
    ok: int = 0
    total: int = 0

    def __str__(self) -> str:
        return f"{self.ok}/{self.total}" if self.total else "-"

    @property
    def exact(self) -> bool:
        return self.ok == self.total


@dataclass
class CheckResult:
    """One pair's check: records found, fields alike, and every difference."""

    pair: Pair
    expected: int = 0
    found: int = 0
    spurious: int = 0
    fields: dict[str, Tally] = field(default_factory=lambda: {g: Tally() for g in (*GROUPS, "other")})
    differences: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def passed(self) -> bool:
        return (self.error is None and self.found == self.expected and not self.spurious
                and all(t.exact for t in self.fields.values()))

    def row(self) -> list[str]:
        status = "error" if self.error else "ok" if self.passed else "REGRESSION"
        return [self.pair.name, f"{self.found}/{self.expected}", str(self.spurious),
                *(str(self.fields[g]) for g in (*GROUPS, "other")), status]


HEADERS = ["plan", "records", "spurious", *GROUPS, "other", "result"]


def _item(value: Any) -> str:
    return str(norm(value) or "").rstrip(".")


def _pick(want: dict[str, Any], tables: list[dict[str, Any]], used: set[int]) -> int | None:
    """The output plan most like an expected one: most items in common, then the same title."""
    items = {_item(r.get("item")) for r in want.get("records") or []}

    def fit(i: int) -> tuple[int, bool]:
        got = {_item(r.get("item")) for r in tables[i]["records"]}
        return len(items & got), norm(tables[i].get("title")) == norm(want.get("title"))

    free = [i for i in range(len(tables)) if i not in used]
    return max(free, key=fit) if free else None


def compare(result: CheckResult, expected: dict[str, Any], got: dict[str, Any]) -> CheckResult:
    """Score `got` (the JSON contract) against `expected` (`{"tables": [{"title", "records"}]}`)."""
    tables = got.get("tables") or []
    used: set[int] = set()
    for n, want in enumerate(expected.get("tables") or [], 1):
        records = want.get("records") or []
        result.expected += len(records)
        i = _pick(want, tables, used)
        table = tables[i] if i is not None else {"title": None, "records": []}
        if i is not None:
            used.add(i)
        plan = f"plan {n}"
        if "title" in want and norm(table.get("title")) != norm(want.get("title")):
            result.differences.append(f"{plan}: title {table.get('title')!r}, expected {want.get('title')!r}")
            result.fields["other"].total += 1
        elif "title" in want:
            result.fields["other"].total += 1
            result.fields["other"].ok += 1
        by_item: dict[str, list[dict[str, Any]]] = {}
        for r in table["records"]:
            by_item.setdefault(_item(r.get("item")), []).append(r)
        wanted = {_item(r.get("item")) for r in records}
        extra = [k for k in by_item if k not in wanted]
        result.spurious += sum(len(by_item[k]) for k in extra)
        result.differences += [f"{plan}: item {k}: not expected (spurious)" for k in extra]
        for w in records:
            key = _item(w.get("item"))
            found = by_item.get(key, [])
            if len(found) != 1:
                result.differences.append(f"{plan}: item {key}: found {len(found)} times, expected once")
                continue
            result.found += 1
            for name, value in w.items():
                if name == "item":
                    continue
                tally = result.fields[GROUP_OF.get(name, "other")]
                tally.total += 1
                if _same(name, found[0].get(name), value):
                    tally.ok += 1
                else:
                    result.differences.append(
                        f"{plan}: item {key}: {name}: got {_short(found[0].get(name))}, expected {_short(value)}")
    for i, t in enumerate(tables):
        if i not in used and t["records"]:
            result.spurious += len(t["records"])
            result.differences.append(f"plan {t.get('title') or t.get('id')!r}: not expected "
                                      f"({len(t['records'])} spurious records)")
    return result


def _short(value: Any, limit: int = 90) -> str:
    text = json.dumps(norm(value), ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…\""


# ---------------------------------------------------------------- running


def expected_of(output: dict[str, Any]) -> dict[str, Any]:
    """What `update` keeps of an output as its expected records."""
    return {"tables": [{"title": t.get("title"),
                        "records": [{k: v for k, v in r.items() if k not in NOT_EXPECTED} for r in t["records"]]}
                       for t in output.get("tables") or []]}


def convert_pair(pair: Pair, base: Settings) -> dict[str, Any]:
    from actionplan.pipeline.core import convert

    return convert(pair.pdf, pair_settings(pair, base)).to_dict()


def check_pair(pair: Pair, base: Settings | None = None, output: dict[str, Any] | None = None) -> CheckResult:
    """Convert the pair's PDF (unless `output` is given) and compare it with its expected records."""
    result = CheckResult(pair)
    try:
        expected = json.loads(pair.expected.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        result.error = f"{pair.expected}: cannot read the expected records ({exc}): fix the file or run --update"
        return result
    try:
        output = output if output is not None else convert_pair(pair, base or Settings())
    except ActionPlanError as exc:
        result.error = str(exc)
        return result
    return compare(result, expected, output)


def update_pair(pair: Pair, base: Settings | None = None) -> Path:
    """Accept the pair's current output as its expected records (after you have reviewed it)."""
    from actionplan.pipeline.outputs.writers import atomic_files

    output = convert_pair(pair, base or Settings())
    with atomic_files(pair.expected.parent) as open_, open_(pair.expected.name) as fh:
        json.dump(expected_of(output), fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return pair.expected


def render_report(results: Sequence[CheckResult], differences: int = 10) -> str:
    """The table of results, then each failing pair's differences (the first `differences`; 0: all)."""
    from tabulate import tabulate

    lines = [tabulate([r.row() for r in results], headers=HEADERS, tablefmt="simple")]
    for r in results:
        if r.error:
            lines.append(f"\n{r.pair.name}: {r.error}")
        elif not r.passed:
            shown = r.differences if differences <= 0 else r.differences[:differences]
            lines.append(f"\n{r.pair.name}: {len(r.differences)} difference(s) from {r.pair.expected.name}:")
            lines += [f"  {d}" for d in shown]
            if len(shown) < len(r.differences):
                lines.append(f"  ... and {len(r.differences) - len(shown)} more (-v shows all)")
    failed = sum(not r.passed for r in results)
    lines.append(f"\n{len(results)} plan(s) checked: {len(results) - failed} as expected, {failed} not"
                 + ("; if a change is right, accept it with --update after reviewing it" if failed else ""))
    return "\n".join(lines)
