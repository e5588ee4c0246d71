"""A social worker's view of a child's case details in a real browser (issue 12, K1 to K14),
on the demo data as at Monday 2 March 2026: Alfie Brown (DEMO-001, Asha's) is in a sibling
group with Ethan Grey (DEMO-005, Asha's) and their half-sister Freya (DEMO-006, South, whom
Asha may not see); his family time and identity are recorded. A mistake on the identity form
is shown beside its field with the rest kept. Every page is checked by axe-core."""
from playwright.sync_api import expect

from .conftest import screenshot, sign_in


def test_K4_K5_K9_a_social_worker_sees_siblings_family_time_and_identity_and_changes_them(page):
    sign_in(page, "asha.sw")
    page.goto("/children?show=all&q=DEMO-001")
    page.get_by_role("link", name="Alfie Brown").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alfie Brown")
    siblings = page.locator("#siblings + ul")
    expect(siblings).to_contain_text("Ethan Grey")
    expect(siblings).to_contain_text("A sibling you do not have access to")
    expect(siblings).not_to_contain_text("Freya")
    expect(page.locator("#family-time ~ .app-table-scroll table").first).to_contain_text("Kelly Brown (mother)")
    screenshot(page, "casework-1-child-page")
    page.get_by_role("link", name="Change identity and needs").click()
    page.get_by_label("Out of the council's area", exact=True).check()
    page.get_by_label("Ethnicity").fill("White Irish")
    page.get_by_role("button", name="Save identity and needs").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("a local placement is the default (K10)")
    expect(page.get_by_label("Ethnicity")).to_have_value("White Irish")
    screenshot(page, "casework-2-identity-error")
    page.get_by_label("Why out of the council's area", exact=True).fill("Near his grandparents in the next county")
    page.get_by_label("What has changed and why").fill("Grandparents assessed as carers")
    page.get_by_role("button", name="Save identity and needs").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("version 2")
    page.goto(page.url.split("#")[0].rstrip("/") + "/details/identity")
    expect(page.locator("#version-1")).to_be_visible()
    screenshot(page, "casework-3-versions")


def test_E32_the_decision_aid_counts_and_warns_on_daisys_page(page):
    """Daisy (DEMO-004, Ben's): long-term fostering proposed, its statements fitting best.
    Proposing adoption instead, without reasons for the difference, is saved with a warning."""
    sign_in(page, "ben.sw")
    page.goto("/children?show=all&q=DEMO-004")
    page.get_by_role("link", name="Daisy Black").first.click()
    aid = page.get_by_role("region", name="Statements that fit each option")
    expect(aid).to_contain_text("Long-term fostering Best fit")
    page.get_by_role("link", name="Change the decision aid").click()
    page.locator("#proposed-4").check()          # Adoption
    page.get_by_label("Why this option meets the child's needs").fill("")
    page.get_by_role("button", name="Save the decision aid").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why adoption meets the child's needs")
    page.get_by_label("Why this option meets the child's needs").fill("A family for life")
    page.get_by_label("What has changed and why").fill("Discussed at the review PPM")
    page.get_by_role("button", name="Save the decision aid").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("version 2")
    expect(page.locator(".govuk-warning-text").filter(has_text="Adoption is proposed")).to_contain_text(
        "no reasons are recorded for the difference")


def test_A9_E6_E25_a_social_worker_maps_alfies_family_network_and_sees_his_health_assessment(page):
    """Alfie's network (Maureen offered, Lisa ruled out, Kevin could care): Asha adds his
    uncle, first forgetting why he was ruled out (the error is beside the field, the rest
    kept); his initial health assessment and the next one due show on his page."""
    sign_in(page, "asha.sw")
    page.goto("/children?show=all&q=DEMO-001")
    page.get_by_role("link", name="Alfie Brown").first.click()
    network = page.get_by_role("region", name="Family network", exact=True)
    expect(network).to_contain_text("Maureen Brown")
    expect(network).to_contain_text("Ruled out as a carer")
    expect(page.locator("#health ~ dl").first).to_contain_text("Initial health assessment")
    page.get_by_role("link", name="Add a person to the family network").click()
    page.get_by_label("Name", exact=True).fill("Dean Brown")
    page.get_by_label("Relationship to the child (for example: maternal grandmother, family friend)").fill("Maternal uncle")
    page.locator("#identified_on-day").fill("1")
    page.locator("#identified_on-month").fill("3")
    page.locator("#identified_on-year").fill("2026")
    page.get_by_label("Ruled out as a carer").check()
    page.get_by_label("Not assessed", exact=True).check()
    page.get_by_role("button", name="Add to the family network").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why they were ruled out as a carer")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Dean Brown")
    screenshot(page, "casework-4-network-error")
    page.get_by_label("Why they were ruled out, and by whom").fill("Works away; told us on 1 March")
    page.get_by_role("button", name="Add to the family network").click()
    expect(page.get_by_role("region", name="Family network", exact=True)).to_contain_text("Dean Brown")
