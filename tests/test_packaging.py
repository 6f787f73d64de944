"""What `pip install` puts into site-packages: one import name, nothing else of ours."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_installs_one_top_level_name_actionplan(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True)
    if proc.returncode != 0 and "Could not find a version" in proc.stderr:
        pytest.skip("no package index for the build backend")
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("actionplan-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"actionplan"}
    for sub in ("pipeline", "extractors", "normalisers", "schemas"):
        assert f"actionplan/{sub}/__init__.py" in names
    assert "actionplan/schemas/header_synonyms.csv" in names
    assert "actionplan/schemas/actionplan.schema.json" in names
    assert "actionplan/pipeline/outputs/templates/review.html.j2" in names  # the review page's template
    assert not any(n.startswith(("actionplan/tests", "actionplan/benchmarks")) for n in names)


def test_the_version_comes_from_the_package_metadata():
    from importlib.metadata import version

    from actionplan.schemas.contract import TOOL_VERSION

    assert version("actionplan") == TOOL_VERSION
    out = subprocess.run([sys.executable, "-m", "actionplan", "--version"], capture_output=True, text=True)
    assert out.stdout.strip() == f"actionplan {TOOL_VERSION}"
