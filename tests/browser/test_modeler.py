"""A process owner at work in a real browser: open the demo pathway in the bpmn-js modeler,
rename a task and set its due date and rule in the side form, save, check, publish, and see
the new version run for the next child; follow a problem's link back to its element and fix
it; rehearse the draft.

The server's clock is Monday 2 March 2026 (conftest.py). These tests publish version 2 of the
demo pathway; children already on version 1 (the ones test_practitioner.py uses) stay on it."""
import re

from playwright.sync_api import expect

from .conftest import ROOT, screenshot, sign_in

EXTERNAL = ROOT / "tests" / "web" / "diagrams" / "external"


def _open_in_modeler(page):
    """A new draft of the latest version, and its diagram in the modeler, ready to edit."""
    page.get_by_role("link", name="Diagrams").click()
    expect(page.get_by_role("heading", name="Diagrams", exact=True)).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Edit version \d+$")).click()
    expect(page.get_by_role("heading", name="Draft of demo_pathway")).to_be_visible()
    page.locator("#draft-diagrams").get_by_role("link", name="Edit demo_pathway.bpmn").click()
    modeler = page.locator("[data-diagram-modeler]")
    expect(modeler).to_have_attribute("data-modeler-state", "ready", timeout=20_000)
    return modeler


def _select(page, modeler, element_id, position=None):
    """Click the element (a lane at `position`: an empty corner, its middle holds flows)."""
    page.locator(f'#modeler-canvas g.djs-element[data-element-id="{element_id}"]').click(position=position)
    expect(modeler).to_have_attribute("data-selected", element_id)


def _saved_xml(page) -> str:
    """The draft's file as the server now keeps it (the modeler's Download link)."""
    href = page.get_by_role("link", name=re.compile(r"^Download .*\.bpmn$")).get_attribute("href")
    return page.request.get(href).text()


def _save(page, modeler):
    page.get_by_role("button", name="Save to the draft").click()
    expect(modeler).to_have_attribute("data-modeler-state", "saved", timeout=20_000)


def test_a_process_owner_changes_a_task_publishes_and_the_new_version_runs(page):
    sign_in(page, "olly.po")
    modeler = _open_in_modeler(page)
    _select(page, modeler, "record_initial_ppm")
    panel = page.locator("#element-panel")
    expect(panel.locator("#element-lane")).to_have_text("Social Worker")
    expect(panel.get_by_label("Form")).to_have_value("initial-ppm.json")
    panel.get_by_label("Name").fill("Hold the initial PPM")
    panel.get_by_label("Due date").fill("add_working_days(looked_after_on, 5)")
    panel.get_by_label("Rule").select_option("R7")
    panel.get_by_label("Why it is due then (optional)").fill(
        "5 working days after becoming looked after on {{ looked_after_on }}")
    expect(page.locator('g.djs-element[data-element-id="record_initial_ppm"]')).to_contain_text("Hold the initial PPM")
    screenshot(page, "5-modeler-side-form")
    _save(page, modeler)
    expect(page.locator("#modeler-status")).to_have_text("demo_pathway.bpmn saved in the draft")
    saved = _saved_xml(page)
    assert '<bpmn:userTask id="record_initial_ppm" name="Hold the initial PPM">' in saved
    assert '<spiffworkflow:property name="dueDate" value="add_working_days(looked_after_on, 5)" />' in saved
    assert ('<spiffworkflow:property name="dueReason" value="5 working days after becoming looked after on '
            '{{ looked_after_on }}" />') in saved

    page.get_by_role("link", name="Check the draft").click()
    expect(page.locator("#no-problems")).to_have_text("No problems found: this draft can be published.")
    page.get_by_label("What changed in this version").fill("The initial PPM is due in 5 working days")
    page.get_by_role("button", name="Publish").click()
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(re.compile(r"Version \d+ of demo_pathway is published"))
    expect(page.locator(".govuk-summary-list")).to_contain_text("The initial PPM is due in 5 working days")
    screenshot(page, "6-version-published")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "asha.sw")
    page.get_by_role("link", name="Start a pathway").click()
    page.get_by_label("Reference number").fill("DEMO-NEW-1")
    page.get_by_label("Full name").fill("Nell Newversion")
    born = page.get_by_role("group", name="Date of birth")
    for part, value in (("Day", "4"), ("Month", "5"), ("Year", "2019")):
        born.get_by_label(part).fill(value)
    page.get_by_label("Interim care order").check()
    looked_after = page.get_by_role("group", name="Date the child became looked after")
    for part, value in (("Day", "2"), ("Month", "3"), ("Year", "2026")):
        looked_after.get_by_label(part).fill(value)
    page.get_by_role("button", name="Start pathway").click()
    started = page.locator(".govuk-notification-banner--success")
    expect(started).to_contain_text("Nell Newversion's pathway has started")
    expect(started).to_contain_text("Hold the initial PPM for the Social Worker, due 9 March 2026 (R7)")
    expect(page.locator("body")).to_contain_text("5 working days after becoming looked after on 2 March 2026 (R7)")
    screenshot(page, "7-new-version-runs")


def test_a_problem_links_to_its_element_in_the_modeler_where_it_is_fixed(page):
    sign_in(page, "olly.po")
    modeler = _open_in_modeler(page)
    _select(page, modeler, "record_review_ppm")
    page.locator("#element-panel").get_by_label("Rule").select_option("")
    _save(page, modeler)

    page.get_by_role("link", name="Check the draft").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Record review PPM (record_review_ppm): dueDate without a rule")
    screenshot(page, "8-check-with-a-problem")
    page.locator("#problems").get_by_role("link", name="Record review PPM (record_review_ppm)").click()
    modeler = page.locator("[data-diagram-modeler]")
    expect(modeler).to_have_attribute("data-selected", "record_review_ppm", timeout=20_000)
    expect(page.locator('g.djs-element[data-element-id="record_review_ppm"]')).to_have_class(
        re.compile(r"\bapp-modeler--problem\b"))
    page.locator("#element-panel").get_by_label("Rule").select_option("R8")
    _save(page, modeler)
    screenshot(page, "9-modeler-at-the-problem")
    page.get_by_role("link", name="Check the draft").click()
    expect(page.locator("#no-problems")).to_be_visible()

    page.locator(".app-draft-nav").get_by_role("link", name="Rehearse").click()
    first = page.locator('tr[data-task="record_initial_ppm#0"]')
    expect(first).to_contain_text("Social Worker")
    first.get_by_role("button", name="Complete with sample answers").click()
    expect(page.locator("#rehearsal-log")).to_contain_text(re.compile(r"initial PPM' was completed"))
    page.get_by_label("Days to move on").fill("60")
    page.get_by_role("button", name="Move the clock on").click()
    expect(page.locator("#rehearsal-clock")).to_have_text("17 April 2026 at 9am")
    screenshot(page, "10-rehearsal")


def test_a_form_is_previewed_as_the_task_page_shows_it_while_it_is_edited(page):
    sign_in(page, "olly.po")
    _open_in_modeler(page)
    page.locator(".app-draft-nav").get_by_role("link", name="Files").click()
    page.locator("#draft-forms").get_by_role("link", name="Edit escalation.json").click()
    preview = page.locator("#form-preview")
    expect(preview).to_have_attribute("data-preview-state", "shown")
    definition = page.get_by_label("The form's JSON definition")
    definition.fill('{"title": "Chase", "type": "object", "properties": {"agreed_on": {"type": "strnig"}}}')
    page.get_by_role("button", name="Preview").click()
    expect(preview).to_have_attribute("data-preview-state", "problem")
    expect(preview).to_contain_text("escalation.json: properties.agreed_on: unsupported type 'strnig'")
    expect(page).to_have_url(re.compile(r"/forms/escalation\.json$"))      # refreshed in place
    definition.fill('{"title": "Chase", "type": "object", "required": ["agreed_on"], "properties": '
                    '{"agreed_on": {"type": "string", "format": "date", "title": "Date agreed"}}}')
    page.get_by_role("button", name="Preview").click()
    expect(preview).to_have_attribute("data-preview-state", "shown")
    expect(preview.get_by_role("group", name="Date agreed")).to_be_visible()
    screenshot(page, "11-form-preview")


def test_diagrams_from_camunda_and_spiffarena_keep_their_own_markup_through_the_modeler(page):
    sign_in(page, "olly.po")
    page.get_by_role("link", name="Diagrams").click()
    page.get_by_label("BPMN files and forms").set_input_files(
        [str(EXTERNAL / n) for n in ("spiffarena.bpmn", "ppm-review-schema.json", "ppm-review-uischema.json",
                                     "chase-schema.json", "camunda.bpmn")])
    page.get_by_role("button", name="Start a draft from these files").click()
    expect(page.get_by_role("heading", name="Draft of Process_1q8w3e5")).to_be_visible()   # the first file's
    draft_url = page.url

    page.locator("#draft-diagrams").get_by_role("link", name="Edit spiffarena.bpmn").click()
    modeler = page.locator("[data-diagram-modeler]")
    expect(modeler).to_have_attribute("data-modeler-state", "ready", timeout=20_000)
    _select(page, modeler, "Activity_0qpzdpu")
    panel = page.locator("#element-panel")
    expect(panel.get_by_label("Form")).to_have_value("ppm-review-schema.json")
    expect(panel.get_by_label("Instructions (optional)")).to_have_value(re.compile("^Hold the review Permanency Planning Meeting"))
    panel.get_by_label("Stage").fill("Review PPMs (SpiffArena)")
    _select(page, modeler, "Event_1u7ml2c")
    expect(panel.get_by_label("Fires at")).to_have_value("overdue_from(add_weeks(looked_after_on, 6))")
    expect(panel.get_by_label("Met on (optional)")).to_have_value("review_held_on")
    expect(panel.locator("#element-lane")).to_have_text("Social Worker")     # the lane of the task it is on
    _save(page, modeler)
    saved = _saved_xml(page)
    for kept in ('<spiffworkflow:property name="formUiSchemaFilename" value="ppm-review-uischema.json" />',
                 "<spiffworkflow:preScript>reviews_held = 0</spiffworkflow:preScript>",
                 "<spiffworkflow:postScript>reviews_held = reviews_held + 1</spiffworkflow:postScript>",
                 '<spiffworkflow:property name="stage" value="Review PPMs (SpiffArena)" />',
                 '<spiffworkflow:property name="metOn" value="review_held_on" />'):
        assert kept in saved, kept

    page.goto(draft_url)
    page.locator("#draft-diagrams").get_by_role("link", name="Edit camunda.bpmn").click()
    expect(modeler).to_have_attribute("data-modeler-state", "ready", timeout=20_000)
    _select(page, modeler, "Lane_0r5t7yu", position={"x": 700, "y": 30})
    role = page.locator("#element-panel").get_by_label("Role")
    expect(role).to_have_value("Social workers")                            # shown, though not a role
    role.select_option("Social Worker")
    _select(page, modeler, "Activity_0x1y2z3")
    expect(page.locator("#element-lane")).to_have_text("Social Worker")
    screenshot(page, "12-modeler-camunda-lane")
    _save(page, modeler)
    saved = _saved_xml(page)
    assert '<bpmn:lane id="Lane_0r5t7yu" name="Social Worker">' in saved
    assert 'camunda:formKey="camunda-forms:deployment:initial-ppm.form"' in saved
    assert '<camunda:formField id="held_on" label="Date held" type="date" />' in saved
