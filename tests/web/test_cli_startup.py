"""`permanence --help` and the commands' help load no heavy module (issue 14, part 6: start-up
under 0.5 s of CPU; `make bench` prints `cli_help_cpu_s`). What is loaded is checked, not
how long it takes: the command runs in a fresh interpreter, which then reports its
`sys.modules`."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Packages `--help` must not load: each costs a tenth of a second or more.
HEAVY = ("SpiffWorkflow", "flask", "sqlalchemy", "alembic", "werkzeug", "jinja2", "lxml",
         "marshmallow", "flask_smorest", "openpyxl", "weasyprint", "authlib", "web.factory",
         "engine.runtime", "engine.pathway", "models")

PROBE = """
import json, sys
from web.cli import main
sys.argv = ["permanence", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit as exit:
    code = exit.code
print("\\n---MODULES---")
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded_by(args: list[str], tmp_path: Path) -> tuple[str, int, set[str]]:
    env = {**os.environ, "PERMANENCE_INSTANCE_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}"}
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    shown, _, report = result.stdout.partition("\n---MODULES---\n")
    found = json.loads(report)
    return shown, found["code"], set(found["modules"])


@pytest.mark.parametrize("args", [["--help"], ["user", "--help"], ["team", "--help"],
                                  ["tasks", "--help"], ["task", "--help"], ["child", "--help"],
                                  ["token", "--help"], ["import", "--help"], ["timers", "--help"]])
def test_help_loads_no_heavy_module(args, tmp_path):
    shown, code, modules = loaded_by(args, tmp_path)
    assert code in (0, None)
    assert "Usage: permanence" in shown
    heavy = sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))
    assert heavy == [], f"`permanence {' '.join(args)}` loaded {heavy[:10]}"


def test_the_probe_would_see_a_heavy_module(tmp_path):
    """The check above can fail: a command that uses the database does load them."""
    _, code, modules = loaded_by(["team", "list"], tmp_path)
    assert "sqlalchemy" in modules
