"""An administrator checks a tracker in a real browser (issue 14, section 1): the dry run
shows each row's errors by field and each good row's position, and nothing is imported until
they say so. Runs the shipped pathway, as a council would."""
import pytest
from playwright.sync_api import expect

from engine.importing.template import NAMES

from .conftest import running_server, screenshot, sign_in


@pytest.fixture(scope="module")
def pathway_server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("import"), "permanence_pathway") as base:
        yield base


@pytest.fixture
def admin_page(browser, pathway_server):
    context = browser.new_context(base_url=pathway_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def _tracker(tmp_path):
    good = {"reference": "IMP-1", "name": "Isla Imported", "date_of_birth": "2015-04-01",
            "legal_status": "ico", "team": "Children in Care North", "social_worker": "asha.sw",
            "looked_after_on": "2025-11-03", "proceedings_issued_on": "2025-10-30",
            "initial_ppm_on": "2025-11-14", "plan_on": "2025-11-14", "routes": "long_term_fostering",
            "last_ppm_on": "2026-02-13", "first_cla_review_on": "2025-11-28",
            "first_panel_on": "2025-12-18"}
    bad = dict(good, reference="IMP-2", name="Ivo Mistyped", team="Atlantis",
               last_ppm_on="2025-10-01", routes="space_travel")
    lines = [",".join(NAMES)] + [",".join(r.get(n, "") for n in NAMES) for r in (good, bad)]
    path = tmp_path / "tracker.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_an_administrator_checks_a_tracker_before_importing_it(admin_page, tmp_path):
    page = admin_page
    sign_in(page, "root.admin")
    page.get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", name="Import children from your tracker", level=1)).to_be_visible()
    page.get_by_label("Your tracker").set_input_files(str(_tracker(tmp_path)))
    page.get_by_role("button", name="Check the tracker").click()

    expect(page.get_by_role("heading", name="Check of tracker.csv: nothing has been imported yet")).to_be_visible()
    good, bad = page.locator("#row-2"), page.locator("#row-3")
    expect(good).to_contain_text("Ready")
    expect(good).to_contain_text("route long term fostering")
    expect(bad).to_contain_text("There is no team called 'Atlantis'")
    expect(bad).to_contain_text("Unknown route space_travel")
    good.get_by_text("Open tasks and deadlines").click()
    expect(good).to_contain_text("Hold the review PPM (Social Worker): due")
    expect(good).to_contain_text("(R8)")
    screenshot(page, "import-dry-run")

    page.get_by_role("button", name="Import 1 child").click()
    expect(page.locator("#row-2")).to_contain_text("Imported")
    expect(page.locator("#row-3")).to_contain_text("There is no team called 'Atlantis'")
    page.locator("#row-2").get_by_role("link", name="Isla Imported").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Isla Imported")
