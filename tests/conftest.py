from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def artifact(name: str) -> Path:
    """Where a test leaves a picture or a report for a person to look at (outputs/, never committed)."""
    folder = ROOT / "outputs" / "test-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name
SAMPLES = ROOT / "samples"
SAMPLE_PDF = SAMPLES / "ofsted-improvement-plan-2014.pdf"
SAMPLE_EXPECTED = SAMPLES / "ofsted-improvement-plan-2014.expected.json"
SAMPLE_LEADS = SAMPLES / "ofsted-improvement-plan-2014.leads.csv"
GOLDEN = Path(__file__).resolve().parent / "golden"

sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def sample_result():
    from actionplan import convert

    return convert(SAMPLE_PDF, leads=SAMPLE_LEADS)


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads(SAMPLE_EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def synth_leads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from synth import write_leads_csv

    return write_leads_csv(tmp_path_factory.mktemp("leads") / "leads.csv")


def pytest_configure(config: pytest.Config) -> None:
    """In an xdist worker the suite already uses every core: a conversion's default is one
    process for its pages (a plan of eight pages or more forked a page reader per
    conversion: two workers ran four processes on two cores). A test of reading pages in
    parallel asks for its workers or jobs itself."""
    if hasattr(config, "workerinput"):
        import actionplan.pipeline.cli as cli
        import actionplan.pipeline.settings as settings

        settings.available_cores = lambda: 1
        cli.available_cores = lambda: 1
