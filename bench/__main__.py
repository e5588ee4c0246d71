"""`make bench`: every benchmark, one `name value` line per figure.

By default each benchmark uses a new SQLite file in a temporary folder; `--postgresql`
starts a throwaway PostgreSQL server (as the test suite does) and measures on that.
"""
import argparse
import sys
import time

from tests.postgresql import PostgresServer

from . import (api, backlog, bombs, cli_startup, completion, dashboard, http_load, importing, kpi,
               mixed, practitioner, records, sweeping)

BENCHMARKS = {"completion": completion.run, "sweeping": sweeping.run, "dashboard": dashboard.run,
              "mixed": mixed.run, "bombs": bombs.run, "records": records.run,
              "practitioner": practitioner.run, "import": importing.run, "api": api.run,
              "kpi": kpi.run, "cli": cli_startup.run, "http": http_load.run,
              "backlog": backlog.run}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("only", nargs="*", choices=[[], *BENCHMARKS], help="benchmarks to run")
    parser.add_argument("--postgresql", action="store_true", help="measure on PostgreSQL")
    args = parser.parse_args(argv)
    for name in args.only or BENCHMARKS:
        server = PostgresServer() if args.postgresql else None
        try:
            url = server.start() if server else None
            started = time.perf_counter()
            for figure, value in BENCHMARKS[name](url).items():
                print(f"{figure} {value}", flush=True)
            print(f"# {name} took {time.perf_counter() - started:.0f} s", file=sys.stderr)
        finally:
            if server:
                server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
