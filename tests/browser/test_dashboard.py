"""A manager's dashboard in a real browser: the heatmap over the pathway diagram.

The server here runs the shipped pathway (the default), with the demo children on it, so the
main diagram's called processes (planning, reviews, panel...) carry the counts of the tasks
inside them."""
import json
import re

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS, running_server, screenshot, sign_in, watch_csp


@pytest.fixture(scope="module")
def pathway_server(tmp_path_factory):
    """The full pathway: the heatmap is drawn on the shipped diagram."""
    with running_server(tmp_path_factory.mktemp("dashboard"), "permanence_pathway") as base:
        yield base


@pytest.fixture
def manager_page(browser, pathway_server):
    context = browser.new_context(base_url=pathway_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked = watch_csp(page)
    yield page
    context.close()
    assert blocked == [], "the Content Security Policy blocked: " + "; ".join(blocked)


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
