"""Browser tests: Debian's Chromium, driven by Playwright, against the real server
(`permanence serve`) on 127.0.0.1 with the demo data and a fixed clock.

Playwright never downloads a browser here: it is pointed at /usr/bin/chromium, which
`make test` installs with scripts/ensure-chromium.sh. Screenshots go to
test-output/screenshots/ for a person to look at."""
import os
from contextlib import contextmanager
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from .axe import check_accessibility

ROOT = Path(__file__).resolve().parents[2]
PERMANENCE = ROOT / ".venv" / "bin" / "permanence"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CLOCK = "2026-03-02T09:00:00+00:00"  # Monday 2 March 2026, as in the rest of the suite
PASSWORD = "permanence-demo"
#: The small demo diagram: these tests are about the pages, not the pathway.
DEMO_DIAGRAMS = ROOT / "tests" / "engine" / "diagrams" / "demo"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def running_server(folder: Path, process_id: str, diagrams: Path | None = None,
                   settings: dict | None = None):
    """`permanence init --demo` then `permanence serve` on a free port: the real thing.
    `settings` adds environment settings (single sign-on's, say). Yields the base URL; the
    server stops when the block ends."""
    env = {k: v for k, v in os.environ.items() if k != "PERMANENCE_DIAGRAMS"}
    env.update({"DATABASE_URL": f"sqlite:///{folder / 'p.db'}",
                "PERMANENCE_INSTANCE_DIR": str(folder / "instance"), "PERMANENCE_CLOCK": CLOCK,
                "PERMANENCE_PROCESS": process_id, "PERMANENCE_SWEEP_SECONDS": "3600",
                "PERMANENCE_INSECURE_COOKIES": "1"})
    if diagrams is not None:
        env["PERMANENCE_DIAGRAMS"] = str(diagrams)
    env.update(settings or {})
    subprocess.run([str(PERMANENCE), "init", "--demo"], env=env, check=True,
                   capture_output=True, timeout=180)
    port = _free_port()
    with open(folder / "server.log", "w") as log:
        process = subprocess.Popen([str(PERMANENCE), "serve", "--port", str(port)], env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while not _answers(f"{base}/healthz"):
                assert process.poll() is None, (folder / "server.log").read_text()
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            process.wait(10)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The demo diagram's server: these tests are about the pages, not the pathway."""
    with running_server(tmp_path_factory.mktemp("browser"), "demo_pathway", DEMO_DIAGRAMS) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: run scripts/ensure-chromium.sh"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    with checked_page(browser, server) as page:
        yield page


@contextmanager
def checked_page(browser, base_url: str):
    """A page that fails its test if the Content Security Policy blocked anything on it, and
    whose every visited address is checked again at the end of the test: axe-core on it as it
    is then, and no sideways scroll at 320 px (WCAG 1.4.10 reflow). The states between (errors
    shown, rows added) are checked where the tests take their screenshots."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked = watch_csp(page)
    visited: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and visited.append(frame.url))
    yield page
    check_every_page_visited(context, visited)
    context.close()
    assert blocked == [], "the Content Security Policy blocked: " + "; ".join(blocked)


def watch_csp(page) -> list[str]:
    """What the page's Content Security Policy blocks, as the browser reports it."""
    blocked: list[str] = []
    # The browser's own console line does not say what was blocked; this one does.
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => console.log("
                         "'Content Security Policy blocked ' + e.violatedDirective + ': ' + e.sample"
                         " + ' in ' + ((e.target && e.target.outerHTML) || '').slice(0, 200)))")
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    return blocked


def check_every_page_visited(context, visited: list[str]) -> None:
    seen = set()
    checker = context.new_page()
    for url in visited:
        if url in seen or url.startswith("about:") or url.endswith((".bpmn", ".csv", ".xlsx", ".zip")):
            continue
        seen.add(url)
        for width in (1280, 320):
            checker.set_viewport_size({"width": width, "height": 900})
            response = checker.goto(url)
            if response is None or "html" not in response.headers.get("content-type", ""):
                break
            checker.wait_for_load_state("networkidle")
            check_accessibility(checker, f"{url} at {width} px")
            if width == 320:
                sideways = checker.evaluate("() => document.documentElement.scrollWidth")
                wide = checker.evaluate("""() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > 320.5)
                    .slice(-5).map(e => e.tagName + '.' + e.className + '#' + e.id)""")
                assert sideways <= 320, f"{url} scrolls sideways at 320 px ({sideways} px wide): {wide}"
    checker.close()


def sign_in(page, username: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def screenshot(page, name: str, accessible: bool = True) -> None:
    """A picture of the page for a person to look at, and axe-core's check of it as it is."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    if accessible:
        check_accessibility(page, name)
