"""`python -m actionplan.schemas`: write the record definition into the published JSON Schema.

The record is defined once, in contract.RECORD_SPEC; run this after changing it (a test
fails until the published file agrees).
"""

from __future__ import annotations

import json

from actionplan.schemas.contract import data_file, record_json_schema


def main() -> None:
    path = data_file("actionplan.schema.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["$defs"]["record"] = record_json_schema()
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
