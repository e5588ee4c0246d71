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
RUNS = 5


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
    """`cli_help_cpu_s`: the median over every command and run (the database is not used)."""
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PERMANENCE_INSTANCE_DIR": folder,
               "DATABASE_URL": f"sqlite:///{folder}/p.db"}
        figures = [child_cpu_seconds(args, env) for _ in range(RUNS) for args in COMMANDS]
    return {"cli_help_cpu_s": round(statistics.median(figures), 3),
            "cli_help_cpu_max_s": round(max(figures), 3)}
