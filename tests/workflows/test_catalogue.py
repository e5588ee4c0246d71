"""docs/pathway.md stays true to the diagrams, and every rule of RULES.md is kept by one."""
from pathlib import Path

from workflows.catalogue import rule_elements, rule_table
from workflows.rules import RULES

ROOT = Path(__file__).resolve().parents[2]


def test_every_rule_is_kept_by_an_element_of_the_pathway():
    kept = {e.rule for e in rule_elements(ROOT / "diagrams")}
    assert kept == set(RULES)


def test_the_rule_table_in_the_docs_is_the_one_the_diagrams_give():
    doc = (ROOT / "docs" / "pathway.md").read_text()
    assert rule_table(ROOT / "diagrams") in doc, "run `make docs` after changing a diagram"


def test_every_process_has_its_picture():
    processes = {p.stem for p in (ROOT / "diagrams").glob("*.bpmn")}
    assert processes <= {p.stem for p in (ROOT / "docs" / "diagrams").glob("*.svg")}
