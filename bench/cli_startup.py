"""How much processor time `permanence` spends before it does anything: `--help` and the
listing commands' help, as an operator types them (issue 14: under 0.5 s).

Each run is the installed script in a subprocess; its CPU (user + system) is read from
`resource.getrusage(RUSAGE_CHILDREN)` before and after, so neither wall-clock noise from the
other processes on the machine nor this process's own imports count. `python -X importtime
-c "import web.cli"` shows where the time goes when the figure grows.
"""
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

COMMANDS = (["--help"], ["user", "--help"], ["team", "--help"], ["tasks", "--help"],
            ["child", "--help"], ["token", "--help"])
#: Listings that read the database: SQLAlchemy's ORM alone is most of their time.
LISTINGS = (["user", "list"], ["team", "list"], ["token", "list"], ["tasks", "list"])
RUNS = 5
DEMO_DIAGRAMS = Path(__file__).resolve().parent.parent / "tests" / "engine" / "diagrams" / "demo"


def permanence_script() -> Path:
    return Path(sys.executable).parent / "permanence"


def child_cpu_seconds(args: list[str], env: dict) -> float:
    """User + system CPU of one run of `permanence ARGS` (it must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([str(permanence_script()), *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run(server_url: str | None = None) -> dict:
    """`cli_help_cpu_s`: the median over every help and run (the database is not used);
    `cli_list_cpu_s`: the same for the listings, on a new SQLite database after `init`."""
    with tempfile.TemporaryDirectory() as folder:
        # `init` publishes the small demo diagram: quicker, and the listings do not care.
        env = {**os.environ, "PERMANENCE_INSTANCE_DIR": folder,
               "DATABASE_URL": f"sqlite:///{folder}/p.db", "PERMANENCE_PROCESS": "demo_pathway",
               "PERMANENCE_DIAGRAMS": str(DEMO_DIAGRAMS)}
        helps = [child_cpu_seconds(args, env) for _ in range(RUNS) for args in COMMANDS]
        child_cpu_seconds(["init"], env)
        listings = [child_cpu_seconds(args, env) for _ in range(3) for args in LISTINGS]
    return {"cli_help_cpu_s": round(statistics.median(helps), 3),
            "cli_help_cpu_max_s": round(max(helps), 3),
            "cli_list_cpu_s": round(statistics.median(listings), 3)}
