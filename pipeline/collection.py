"""Many plans, one collection: every file an OUTDIR's manifest converted, in one place.

`collect(outdir)` reads the stored outputs (the manifest, each converted file's JSON and
any `diff` results beside them) and writes, all or nothing:

- `collection.sqlite`, a SQLite database (built with sqlite-utils, so Datasette opens it
  as it is): files, plans, records, record_leads, warnings, and where `diff` ran, diffs,
  diff_plans and changes; integer keys that join them; list fields as JSON columns;
  indexes on what people filter by (plan, lead, rating, due);
- `collection.xlsx`, every record of every plan on one sheet and a Summary across plans;
- `collection.jsonl`, one record a line with its file and plan.

It is rebuilt whole from the JSON files each time (the JSON is the contract; the database
is a view of it), into a temporary file renamed into place at the end: a crash leaves the
last good collection. A JSON file that is missing or unreadable is said, and its file
listed with the reason, never silently left out.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from actionplan.schemas.contract import RECORD_FIELDS, RECORD_SPEC, SCHEMA_VERSION, TOOL_VERSION
from actionplan.schemas.issues import STRUCTURAL
from actionplan.schemas.records import due_date, is_done, overdue

DATABASE = "collection.sqlite"
WORKBOOK = "collection.xlsx"
JSONL = "collection.jsonl"
NAMES: tuple[str, ...] = (DATABASE, WORKBOOK, JSONL)
COLLECTION_SCHEMA_VERSION = 1
CHANGES_SUFFIX = ".changes.json"


@dataclass
class Collection:
    """Rows of every table of the database, as plain dicts, keyed by the integer ids that
    join them; `problems` are the outputs that could not be read (each also a `files` row)."""

    as_of: date
    files: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    record_leads: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    diffs: list[dict[str, Any]] = field(default_factory=list)
    diff_plans: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def by_id(self, table: str) -> dict[int, dict[str, Any]]:
        return {row["id"]: row for row in getattr(self, table)}


@dataclass
class CollectResult:
    """What `collect` wrote and what it could not read."""

    paths: list[Path]
    files: int
    plans: int
    records: int
    problems: list[str]
    seconds: float


# ---------------------------------------------------------------- reading the stored outputs


def _read_json(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, "its JSON output is missing (deleted or moved?): convert the file again"
    except (OSError, ValueError) as exc:
        return None, f"its JSON output cannot be read ({exc}): convert the file again with --force"
    if not isinstance(data, dict) or not isinstance(data.get("tables"), list):
        return None, "its JSON output is not this tool's (no tables): convert the file again with --force"
    return data, None


def _json_output(entry: dict[str, Any]) -> str | None:
    names = [n for n in entry.get("outputs") or [] if n.endswith(".json") and not n.endswith(CHANGES_SUFFIX)]
    return names[0] if names else None


def _rag_counts(records: Sequence[dict[str, Any]]) -> dict[str, int]:
    ratings = [r.get("rag") for r in records]
    return {"red": ratings.count("R"), "amber": ratings.count("A"), "green": ratings.count("G"),
            "blue": ratings.count("B"), "unrated": ratings.count(None)}


def _record_row(record: dict[str, Any], rid: int, file_id: int, plan_id: int, position: int,
                as_of: date) -> dict[str, Any]:
    row: dict[str, Any] = {"id": rid, "file_id": file_id, "plan_id": plan_id, "position": position}
    # list and object fields stay lists and dicts here: sqlite-utils writes them as JSON
    # columns (SQLite's json_each / json_extract read them), the workbook and JSONL as they are
    row.update({spec.name: record.get(spec.name) for spec in RECORD_SPEC})
    due_by = due_date(record, end_of_month=True)  # type: ignore[arg-type]
    row["due_by"] = due_by.isoformat() if due_by else None
    row["done"] = int(is_done(record))  # type: ignore[arg-type]
    row["overdue"] = int(overdue(record, as_of))  # type: ignore[arg-type]
    return row


def gather(outdir: Path, as_of: date | None = None) -> Collection:
    """Every input of OUTDIR's manifest with what its JSON holds, and the diffs beside them."""
    from actionplan.pipeline.batch import DONE, load_manifest

    col = Collection(as_of=as_of or date.today())
    file_by_sha: dict[str, int] = {}
    for entry in load_manifest(outdir).values():
        fid = len(col.files) + 1
        path = Path(str(entry.get("path") or ""))
        frow: dict[str, Any] = {
            "id": fid, "path": str(path), "name": path.name, "sha256": entry.get("sha256"),
            "status": entry.get("status"), "pages": None, "plans": 0, "records": 0, "warnings": 0,
            "error": entry.get("error"), "text_coverage": entry.get("text_coverage"),
            "tool_version": entry.get("tool_version"), "json": None,
        }
        col.files.append(frow)
        if entry.get("status") not in (DONE, "skipped") and not entry.get("strict_failed"):
            continue  # failed: listed with its error, nothing to read
        name = _json_output(entry)
        data, problem = _read_json(outdir / name) if name else (None, "the manifest names no JSON output for it")
        if data is None:
            frow["error"] = problem
            col.problems.append(f"{path}: {problem}")
            continue
        frow["json"] = name
        frow["pages"] = (data.get("source") or {}).get("pages")
        if frow["sha256"]:
            file_by_sha.setdefault(frow["sha256"], fid)
        first_plan, first_record = len(col.plans), len(col.records)
        _add_plans(col, data, fid)
        frow["plans"], frow["records"] = len(col.plans) - first_plan, len(col.records) - first_record
        frow["warnings"] = len(data.get("warnings") or [])
    for path in sorted(outdir.glob(f"*{CHANGES_SUFFIX}")):
        _add_diff(col, path, file_by_sha)
    return col


def _add_plans(col: Collection, data: dict[str, Any], fid: int) -> None:
    plan_ids: dict[str, int] = {}
    record_ids: dict[tuple[int, str], int | None] = {}
    for table in data["tables"]:
        pid = len(col.plans) + 1
        records = table.get("records") or []
        plan_ids[str(table.get("id"))] = pid
        pages = table.get("pages") or [None, None]
        col.plans.append({
            "id": pid, "file_id": fid, "key": table.get("id"), "title": table.get("title"),
            "first_page": pages[0], "last_page": pages[-1], "records": len(records),
            "overdue": sum(overdue(r, col.as_of) for r in records), **_rag_counts(records),
            "ocr": int(bool(table.get("ocr"))),
            "columns": table.get("columns") or [],
        })
        for position, record in enumerate(records, 1):
            rid = len(col.records) + 1
            col.records.append(_record_row(record, rid, fid, pid, position, col.as_of))
            key = (pid, str(record.get("item")))
            record_ids[key] = None if key in record_ids else rid  # an item printed twice names no one record
            canonical = record.get("lead_canonical") or []
            leads = [(lead, 1) for lead in canonical] or ([(record["lead"], 0)] if record.get("lead") else [])
            for lead, is_canonical in dict.fromkeys(leads):
                col.record_leads.append({"record_id": rid, "lead": lead, "canonical": is_canonical})
    for w in data.get("warnings") or []:
        pid_or_none = plan_ids.get(str(w.get("table"))) if w.get("table") is not None else None
        rid_or_none = record_ids.get((pid_or_none, str(w.get("item")))) if pid_or_none and w.get("item") else None
        col.warnings.append({
            "id": len(col.warnings) + 1, "file_id": fid, "plan_id": pid_or_none, "record_id": rid_or_none,
            "code": w.get("code"), "structural": int(w.get("code") in STRUCTURAL), "item": w.get("item"),
            "field": w.get("field"), "page": w.get("page"), "message": w.get("message"),
        })


def _add_diff(col: Collection, path: Path, file_by_sha: dict[str, int]) -> None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        old, new = data["old"], data["new"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        col.problems.append(f"{path}: not read as a diff ({exc}): run actionplan diff again")
        return
    did = len(col.diffs) + 1
    old_fid, new_fid = file_by_sha.get(old.get("sha256") or ""), file_by_sha.get(new.get("sha256") or "")
    col.diffs.append({"id": did, "name": path.name, "as_of": data.get("as_of"),
                      "old_file": old.get("file"), "old_sha256": old.get("sha256"), "old_file_id": old_fid,
                      "new_file": new.get("file"), "new_sha256": new.get("sha256"), "new_file_id": new_fid})
    keys = {(p["file_id"], p["key"]): p["id"] for p in col.plans}
    for plan in data.get("plans") or []:
        col.diff_plans.append({
            "id": len(col.diff_plans) + 1, "diff_id": did, "title": plan.get("title"),
            "old_key": plan.get("old_id"), "new_key": plan.get("new_id"),
            "old_plan_id": keys.get((old_fid, plan.get("old_id"))),
            "new_plan_id": keys.get((new_fid, plan.get("new_id"))),
            "old_records": plan.get("old_records"), "new_records": plan.get("new_records"),
        })
    for c in data.get("changes") or []:
        fields = c.get("fields") or {}
        rag = fields.get("rag") or {}
        col.changes.append({
            "id": len(col.changes) + 1, "diff_id": did, "plan": c.get("plan"), "plan_key": c.get("plan_id"),
            "new_plan_id": keys.get((new_fid, c.get("plan_id"))), "old_item": c.get("old_item"),
            "new_item": c.get("new_item"), "kind": c.get("kind"), "rag_old": rag.get("old"), "rag_new": rag.get("new"),
            "flags": c.get("flags") or [], "fields": fields,
            "match": c.get("match"), "lead": c.get("lead"), "action": c.get("action"),
        })


# ---------------------------------------------------------------- the database

_TEXT, _INT, _REAL = str, int, float
TABLES: dict[str, dict[str, type]] = {
    "files": {"id": _INT, "path": _TEXT, "name": _TEXT, "sha256": _TEXT, "status": _TEXT, "pages": _INT,
              "plans": _INT, "records": _INT, "warnings": _INT, "error": _TEXT, "text_coverage": _REAL,
              "tool_version": _TEXT, "json": _TEXT},
    "plans": {"id": _INT, "file_id": _INT, "key": _TEXT, "title": _TEXT, "first_page": _INT, "last_page": _INT,
              "records": _INT, "overdue": _INT, "red": _INT, "amber": _INT, "green": _INT, "blue": _INT,
              "unrated": _INT, "ocr": _INT, "columns": _TEXT},
    "records": {"id": _INT, "file_id": _INT, "plan_id": _INT, "position": _INT,
                **{spec.name: _TEXT for spec in RECORD_SPEC}, "due_by": _TEXT, "done": _INT, "overdue": _INT},
    "record_leads": {"record_id": _INT, "lead": _TEXT, "canonical": _INT},
    "warnings": {"id": _INT, "file_id": _INT, "plan_id": _INT, "record_id": _INT, "code": _TEXT,
                 "structural": _INT, "item": _TEXT, "field": _TEXT, "page": _INT, "message": _TEXT},
    "diffs": {"id": _INT, "name": _TEXT, "as_of": _TEXT, "old_file": _TEXT, "old_sha256": _TEXT,
              "old_file_id": _INT, "new_file": _TEXT, "new_sha256": _TEXT, "new_file_id": _INT},
    "diff_plans": {"id": _INT, "diff_id": _INT, "title": _TEXT, "old_key": _TEXT, "new_key": _TEXT,
                   "old_plan_id": _INT, "new_plan_id": _INT, "old_records": _INT, "new_records": _INT},
    "changes": {"id": _INT, "diff_id": _INT, "plan": _TEXT, "plan_key": _TEXT, "new_plan_id": _INT,
                "old_item": _TEXT, "new_item": _TEXT, "kind": _TEXT, "rag_old": _TEXT, "rag_new": _TEXT,
                "flags": _TEXT, "fields": _TEXT, "match": _REAL, "lead": _TEXT, "action": _TEXT},
}
FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "plans": [("file_id", "files", "id")],
    "records": [("file_id", "files", "id"), ("plan_id", "plans", "id")],
    "record_leads": [("record_id", "records", "id")],
    "warnings": [("file_id", "files", "id"), ("plan_id", "plans", "id"), ("record_id", "records", "id")],
    "diffs": [("old_file_id", "files", "id"), ("new_file_id", "files", "id")],
    "diff_plans": [("diff_id", "diffs", "id"), ("old_plan_id", "plans", "id"), ("new_plan_id", "plans", "id")],
    "changes": [("diff_id", "diffs", "id"), ("new_plan_id", "plans", "id")],
}
# what people filter and join by
INDEXES: dict[str, list[list[str]]] = {
    "files": [["sha256"]],
    "plans": [["file_id"], ["title"]],
    "records": [["plan_id"], ["file_id"], ["rag"], ["due"], ["due_by"], ["overdue"]],
    "record_leads": [["lead"], ["record_id"]],
    "warnings": [["code"], ["file_id"], ["record_id"]],
    "diff_plans": [["diff_id"]],
    "changes": [["diff_id"], ["kind"]],
}


def write_database(col: Collection, path: Path) -> None:
    """The collection as a SQLite database at `path` (a new file)."""
    import sqlite_utils

    db = sqlite_utils.Database(path)
    try:
        db.execute("PRAGMA journal_mode = OFF")  # a new file renamed into place when complete: no journal needed
        db.execute("PRAGMA synchronous = OFF")
        meta = {"schema_version": str(COLLECTION_SCHEMA_VERSION), "record_schema_version": str(SCHEMA_VERSION),
                "tool_version": TOOL_VERSION, "as_of": col.as_of.isoformat(),
                "built": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        db.table("meta").insert_all(({"key": k, "value": v} for k, v in meta.items()), pk="key")
        with db.conn:
            for name, types in TABLES.items():
                pk = None if name == "record_leads" else "id"
                table = db.table(name)
                table.create(types, pk=pk, foreign_keys=FOREIGN_KEYS.get(name, []))
                rows = getattr(col, name)
                if rows:
                    table.insert_all(rows, batch_size=500)
        for name, indexes in INDEXES.items():
            for indexed in indexes:
                db.table(name).create_index(indexed)
        db.execute("ANALYZE")
    finally:
        db.close()


# ---------------------------------------------------------------- JSON lines


def jsonl_lines(col: Collection) -> Iterator[str]:
    """One record a line: where it comes from (file, plan), then the record as the contract has it."""
    files, plans = col.by_id("files"), col.by_id("plans")
    for row in col.records:
        f, p = files[row["file_id"]], plans[row["plan_id"]]
        record = {name: row[name] for name in RECORD_FIELDS}
        line = {"file": f["name"], "path": f["path"], "sha256": f["sha256"], "plan_id": p["key"],
                "plan_title": p["title"], "overdue": bool(row["overdue"]), "record": record}
        yield json.dumps(line, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- all of it


def collect(outdir: str | Path, as_of: date | None = None) -> CollectResult:
    """Build OUTDIR's collection (database, workbook, JSON lines) from its stored outputs."""
    from actionplan.pipeline.outputs.collection_book import build_collection_workbook
    from actionplan.pipeline.outputs.writers import atomic_files

    start = time.perf_counter()
    outdir = Path(outdir)
    col = gather(outdir, as_of)
    book = build_collection_workbook(col)
    with atomic_files(outdir) as open_:
        write_database(col, open_.reserve(DATABASE))
        with open_(JSONL) as fh:
            fh.writelines(jsonl_lines(col))
        with open_(WORKBOOK, "wb") as fh:
            book.save(fh)
    return CollectResult([outdir / n for n in NAMES], len(col.files), len(col.plans), len(col.records),
                         col.problems, time.perf_counter() - start)


def summary_line(result: CollectResult) -> str:
    names = ", ".join(str(p) for p in result.paths)
    return (f"collection: {result.files} file(s), {result.plans} plan(s), {result.records} records "
            f"in {names} ({result.seconds:.1f} s)")

