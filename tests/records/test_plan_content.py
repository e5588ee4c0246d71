"""The plan as the child and family read it (D5, D6, D8, D10, E1), endorsed at the CLA review
(D11), with their voice (J1, J2, J7) and who came to the PPM (A3, A4), on the plan page, its
print view and the panel papers (J2); an IRO asks for an up-to-date assessment from it (C12).
Runs on SQLite and PostgreSQL through the shipped diagrams, with a fixed clock.

Alex became looked after on Monday 1 March 2027; the initial PPM is held on Wednesday
10 March, the first CLA review on Friday 26 March.
"""
from datetime import date, datetime

from engine import clock, ppm_action_views
from tests.scenarios.conftest import PPM_AREAS, Case
from tests.web.conftest import page_text, sign_in

from .pages import app_for

PLAN = dict(
    PPM_AREAS, held_on=date(2027, 3, 10), reunification_discussed=True, plan_identified=True,
    routes=["adoption", "long_term_fostering"], complex_case=True, chaired_by="team_manager",
    attended=["iro", "adoption_team"], attendee_names="Ivy Reviewer, Ann Adoption",
    wishes_and_feelings="Alex wants to stay with her foster carers and see her brother.",
    child_views_sought_on=date(2027, 3, 8), child_consulted_how="direct_work",
    views_of_parents="Mother opposes adoption.", parallel_plan_explained=True,
    advocacy_information_given=True, advocacy_information_given_on=date(2027, 3, 8),
    decisions_shared=[{"who": "parents", "told_on": "2027-03-10", "how": "Letter"}],
    route_evidence="The parenting assessment found no capacity to change within Alex's timescales.",
    higher_options_ruled_out="Reunification ruled out by the assessment; the aunt withdrew as a special guardian.",
    objectives=[{"objective": "Find an adoptive family", "key_tasks": "Family finding, profile",
                 "timescale": "2027-09-30", "responsible": "Adoption team",
                 "success_criteria": "A match approved at panel"}],
    stability="Stay with the current carers until matched.", transition="Introductions over 3 weeks.",
    emotional_and_behavioural="Settled; some night terrors.", identity="Mixed heritage; life-story work.",
    contingency_plan="Long-term fostering with the current carers.")


def test_d5_d6_d8_d10_d11_e1_j1_j7_the_plan_page_shows_the_plan_its_voice_and_its_endorsement(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2027, 3, 1), date(2020, 6, 1))
    case.do("Hold the initial PPM", on=date(2027, 3, 10), **PLAN)
    client = app_for(db, clock="2027-03-12T09:00:00+00:00").test_client()
    sign_in(client, "sw")
    text = page_text(client.get(f"/children/{case.child_id}/plan"))
    assert ("Evidence and reasons for the route The parenting assessment found no capacity to change "
            "within Alex's timescales.") in text                                                        # D5
    assert "Why higher options were ruled out Reunification ruled out by the assessment" in text        # E1
    assert ("Objectives Objective Key tasks By when Who is responsible How success will be known "
            "Find an adoptive family Family finding, profile 30 September 2027 Adoption team "
            "A match approved at panel") in text                                                         # D8
    assert "Contingency plan Long-term fostering with the current carers." in text                      # D8
    assert "Stability Stay with the current carers until matched." in text                              # D10
    assert "Transition Introductions over 3 weeks." in text
    assert "Emotional and behavioural development Settled; some night terrors." in text                 # D6
    assert "Identity Mixed heritage; life-story work." in text
    assert ("The child's wishes and feelings Alex wants to stay with her foster carers and see her "
            "brother. (sought on 8 March 2027)") in text                                                 # J1
    assert "How the child was consulted Through play, drawing or direct work" in text                   # J3
    assert "The parents' views Mother opposes adoption." in text                                         # J4
    assert "Parents told why there is a parallel plan Yes" in text                                       # J5
    assert "Decisions told to the child, family and carers Parents on 10 March 2027 (Letter)" in text    # J6
    assert "Advocacy and complaints information Given on 8 March 2027" in text                          # J7
    assert "Chaired by The team manager (complex or contentious case)" in text                          # A3
    assert "Attended IRO, Adoption team" in text and "Invited Fostering team, Adoption team" in text    # A4
    assert "Care plan Not yet endorsed at a CLA review" in text

    sign_in(client, "iro")      # J2: the IRO hears the child's wishes and feelings at the review
    clock.set_fixed(datetime(2027, 3, 26, 9, 0, tzinfo=clock.LONDON))
    review = page_text(client.get(f"/tasks/{case.task('Hold the first CLA review')['task_id']}"))
    assert ("The plan and the child's voice Plan: Adoption and Long-term fostering. Contingency: "
            "Long-term fostering with the current carers.") in review
    assert "The child's wishes and feelings Alex wants to stay with her foster carers" in review
    case.do("Hold the first CLA review", on=date(2027, 3, 26), review_held_on=date(2027, 3, 26),
            plan_identified=True, plan_endorsed=True, endorsement_comments="Endorsed; adoption to panel.")
    clock.set_fixed(datetime(2027, 3, 29, 9, 0, tzinfo=clock.LONDON))
    sign_in(client, "iro")
    text = page_text(client.get(f"/children/{case.child_id}/plan"))
    assert "Care plan Endorsed at the CLA review on 26 March 2027: Endorsed; adoption to panel." in text  # D11
    printed = page_text(client.get(f"/children/{case.child_id}/plan/print"))
    assert "Alex wants to stay with her foster carers" in printed and "Find an adoptive family" in printed
    sign_in(client, "chair")
    papers = page_text(client.get(f"/panel/children/{case.child_id}/pack"))                             # J2
    assert "The child's wishes and feelings Alex wants to stay with her foster carers" in papers


def test_c12_an_iro_asks_for_an_up_to_date_assessment_from_the_plan(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2027, 3, 1), date(2020, 6, 1))
    case.do("Hold the initial PPM", on=date(2027, 3, 10), **PLAN)
    client = app_for(db, clock="2027-03-12T09:00:00+00:00").test_client()
    sign_in(client, "iro")
    plan = client.get(f"/children/{case.child_id}/plan").get_data(as_text=True)
    assert f'href="/children/{case.child_id}/assessment-request"' in plan
    url = f"/children/{case.child_id}/assessment-request"
    refused = client.post(url, data={"what": "The parenting assessment", "due_on-day": "1",
                                     "due_on-month": "3", "due_on-year": "2027"})
    assert refused.status_code == 400
    text = page_text(refused)
    assert "The due date must be today or later" in text and "The parenting assessment" in text   # kept
    done = client.post(url, data={"what": "The parenting assessment, since mother's move",
                                  "due_on-day": "26", "due_on-month": "3", "due_on-year": "2027"})
    assert done.status_code == 302
    text = page_text(client.get(done.headers["Location"]))
    assert "The up-to-date assessment is asked for" in text
    assert ("Up-to-date assessment asked for by Iro: The parenting assessment, since mother's move "
            "Sw 26 March 2027 Open Assessment requested, 12 March 2027") in text
    [owned] = ppm_action_views.inbox_actions(db, "sw")["owned"]
    assert owned["from"] == "Assessment requested" and owned["due_on"] == date(2027, 3, 26)
    sign_in(client, "sw")
    assert client.get(url).status_code == 403          # a social worker does not ask themselves
    inbox = page_text(client.get("/inbox"))
    assert "Actions you own (1)" in inbox and "The parenting assessment, since mother's move" in inbox
