"""A manager's dashboard in a real browser: the heatmap over the pathway diagram.

The server here runs the shipped pathway (the default), with the demo children on it, so the
main diagram's called processes (planning, reviews, panel...) carry the counts of the tasks
inside them."""
import json
import os
import re
import socket
import subprocess
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from .conftest import CLOCK, PERMANENCE, SCREENSHOTS, screenshot, sign_in


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def pathway_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboard")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'p.db'}",
           "PERMANENCE_INSTANCE_DIR": str(folder / "instance"), "PERMANENCE_CLOCK": CLOCK,
           "PERMANENCE_PROCESS": "permanence_pathway", "PERMANENCE_SWEEP_SECONDS": "3600",
           "PERMANENCE_INSECURE_COOKIES": "1"}
    env.pop("PERMANENCE_DIAGRAMS", None)
    subprocess.run([str(PERMANENCE), "init", "--demo"], env=env, check=True,
                   capture_output=True, timeout=180)
    port = _free_port()
    with open(folder / "server.log", "w") as log:
        process = subprocess.Popen([str(PERMANENCE), "serve", "--port", str(port)], env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while not _up(f"{base}/healthz"):
                assert process.poll() is None, (folder / "server.log").read_text()
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            process.wait(10)


@pytest.fixture
def manager_page(browser, pathway_server):
    context = browser.new_context(base_url=pathway_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_a_manager_sees_how_many_children_are_at_each_step_of_the_diagram(manager_page):
    page = manager_page
    sign_in(page, "hana.hos")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()

    diagram = page.locator("[data-pathway-diagram]")
    expect(diagram).to_have_attribute("data-diagram-state", "shown")
    counts = json.loads(diagram.get_attribute("data-counts"))
    assert counts, "the demo children have open tasks"
    busiest = max(counts, key=counts.get)
    badge = diagram.locator(f'.djs-overlays[data-container-id="{busiest}"] .app-heat-count')
    expect(badge).to_have_text(str(counts[busiest]))
    step = diagram.locator(f'svg g.djs-element[data-element-id="{busiest}"]')
    expect(step).to_have_class(re.compile(r"\bapp-heat--4\b"))
    # A called process counts every task inside it: the Permanence Panel's first outcome.
    expect(diagram.locator('.djs-overlays[data-container-id="panel"] .app-heat-count')).to_have_text(
        str(counts["panel"]))
    diagram.scroll_into_view_if_needed()
    screenshot(page, "5-dashboard-heatmap")
    diagram.screenshot(path=str(SCREENSHOTS / "5-dashboard-heatmap-diagram.png"))

    page.get_by_role("link", name="Permanence Panel").first.click()
    expect(diagram).to_have_attribute("data-diagram-state", "shown")
    expect(diagram.locator('.djs-overlays[data-container-id="first_panel"] .app-heat-count')).to_be_visible()
    diagram.scroll_into_view_if_needed()
    screenshot(page, "6-dashboard-heatmap-panel")
