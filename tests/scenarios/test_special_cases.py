"""Twin-track, a change of plan, a child turning 17, and s20 drift past 12 weeks."""
from datetime import date

from ..engine.helpers import instance_row, projection_writes
from .conftest import PPM_AREAS, Case, told_the_family


def _plan(case, routes, on=date(2026, 3, 9)):
    case.do("Hold the initial PPM", on=on, held_on=on, **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=routes)


def test_twin_track_closes_the_other_route_when_one_is_achieved(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2025, 6, 1), legal_status="co")
    _plan(case, ["reunification", "adoption"])
    # Both routes open at once, each due by the next PPM: 9 Mar + 6 weeks = 20 April.
    assert {("Agree the reunification support plan", date(2026, 4, 20)),
            ("Send the Child's Permanence Report to the ADM", date(2026, 4, 20))} <= {
        (t[0], t[2]) for t in case.open()}
    assert case.position.route == "reunification + adoption"
    case.do("Agree the reunification support plan", on=date(2026, 3, 23), agreed_on=date(2026, 3, 23), support_plan="x",
            **told_the_family(date(2026, 3, 23)))
    case.do("Record the return home", on=date(2026, 4, 1), returned_on=date(2026, 4, 1))
    case.do("Send the Child's Permanence Report to the ADM", on=date(2026, 4, 15),
            cpr_sent_on=date(2026, 4, 15), ffa_considered=True)
    # R15: 7 working days from Wed 15 Apr: 16, 17 (2), 20-24 (7): Fri 24 April.
    assert case.due("Decide whether the child should be placed for adoption") == (date(2026, 4, 24), "R15")
    case.do("Record the care order discharged or s20 ended", on=date(2026, 4, 20),
            care_ended_on=date(2026, 4, 20), how_ended="care_order_discharged")
    # Reunification achieved: the adoption track and its ADM decision close with it.
    assert "Decide whether the child should be placed for adoption" not in case.names()
    assert "Hold the review PPM" not in case.names()
    assert case.deadline("R15")[0][2] == "cancelled"
    assert "Record permanence achieved" in case.names()


def test_a_change_of_plan_is_reviewed_within_10_working_days(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2019, 6, 1), legal_status="co")
    _plan(case, ["reunification"])
    case.do("Hold the review PPM", on=date(2026, 4, 16), held_on=date(2026, 4, 16), progress="Contact has broken down.",
            wishes_and_feelings="Happy where she is.", change_of_plan_proposed=True, proposed_change="Long-term fostering with the current carers.")
    # R5: 10 working days after the PPM on Thu 16 Apr 2026 (Easter was 3-6 April):
    # 17 (1), 20-24 (6), 27-30 (10): Thu 30 April, by the IRO.
    assert case.due("Review the proposed change of plan") == (date(2026, 4, 30), "R5")
    assert case.task("Review the proposed change of plan")["lane"] == "IRO"
    case.do("Review the proposed change of plan", on=date(2026, 4, 24), change_reviewed_on=date(2026, 4, 24),
            change_agreed=True, new_routes=["long_term_fostering"])
    # The old route closes; the new plan starts, progressed by the next PPM: 16 Apr + 6 weeks.
    assert "Agree the reunification support plan" not in case.names()
    assert case.due("Propose the long-term fostering match") == (date(2026, 5, 28), "R8")
    assert (case.position.route, case.position.stage) == ("long_term_fostering", "Long-term fostering")


def test_a_child_turning_17_mid_pathway(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2009, 6, 20), legal_status="co")
    _plan(case, ["long_term_fostering"])
    assert "Confirm care-leaver status at a PPM" not in case.names()
    case.sweep(date(2026, 6, 20), hour=1)   # the 17th birthday, 00:00 London
    # R24, B23: confirmed at a PPM before the final CLA review, which falls in the last 6 months
    # before the 18th birthday: by 17 years 6 months, 20 December 2026.
    assert case.due("Confirm care-leaver status at a PPM") == (date(2026, 12, 20), "R24")
    assert case.position.stage == "Long-term fostering"   # the plan is still where the child is
    case.do("Confirm care-leaver status at a PPM", on=date(2026, 7, 1), confirmed_on=date(2026, 7, 1), staying_put=True,
            care_leaving_status="eligible", entitlements_explained=True, accommodation_plan="staying_put",
            pathway_plan_updated=True)
    assert "Confirm care-leaver status at a PPM" not in case.names()


def test_a_child_still_under_s20_after_12_weeks(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2014, 1, 1), legal_status="s20")
    _plan(case, ["reunification"])
    case.sweep(date(2026, 5, 24))
    assert "Refer s20 drift to the Legal Gateway Meeting" not in case.names()
    # R21: 2 Mar + 12 weeks = Mon 25 May 2026 (the late May bank holiday). Referral within
    # 5 working days: 26 (1), 27 (2), 28 (3), 29 (4), Mon 1 June (5), by the Service Manager.
    case.sweep(date(2026, 5, 25))
    assert case.due("Refer s20 drift to the Legal Gateway Meeting") == (date(2026, 6, 1), "R21")
    assert case.task("Refer s20 drift to the Legal Gateway Meeting")["lane"] == "Service Manager"
    case.do("Refer s20 drift to the Legal Gateway Meeting", on=date(2026, 5, 27), still_s20=True,
            referred_on=date(2026, 5, 27))
    # The LGM decides within 10 working days of Wed 27 May: 28, 29 (2), 1-5 Jun (7), 8, 9, Wed 10 June.
    assert case.due("Record the Legal Gateway Meeting decision") == (date(2026, 6, 10), "R21")
    case.do("Record the Legal Gateway Meeting decision", on=date(2026, 6, 8), lgm_held_on=date(2026, 6, 8),
            threshold_met=True, decision="plo", s20_endorsed=False, plo_letter_on=date(2026, 6, 8))
    facts = instance_row(case.db, case.instance_id).facts   # what the panel cohorts read
    assert (facts["s20_endorsed"], facts["decision"], facts["routes"]) == (False, "plo", ["reunification"])
    # R13: pre-proceedings target 3 months from the letter (8 June): 8 September 2026.
    assert case.due("Review pre-proceedings") == (date(2026, 9, 8), "R13")
    # No more than 6 months (8 December): from 00:00 on 9 Dec the Head of Service is asked,
    # within 2 working days: 10 (1), Fri 11 December (2).
    case.sweep(date(2026, 12, 9), hour=6)
    assert case.due("Escalate: pre-proceedings beyond 6 months") == (date(2026, 12, 11), "R13")
    assert case.task("Escalate: pre-proceedings beyond 6 months")["lane"] == "Head of Service"
    case.do("Review pre-proceedings", on=date(2026, 12, 10), plo_reviewed_on=date(2026, 12, 10),
            plo_outcome="issue_proceedings")
    assert case.due("Record care proceedings issued") == (date(2026, 6, 22), "R14")  # 10 working days after the LGM


def test_a_late_initial_ppm_with_its_escalation_open_still_starts_the_plan(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2019, 6, 1), legal_status="co")
    case.sweep(date(2026, 3, 17), hour=6)   # R7 missed (due 16 March): the Team Manager is asked
    assert "Escalate: initial PPM overdue" in case.names()
    _plan(case, ["long_term_fostering"], on=date(2026, 3, 18))
    # The plan starts at once; the chase about the late meeting closes with planning.
    assert "Propose the long-term fostering match" in case.names()
    assert "Escalate: initial PPM overdue" not in case.names()
    assert case.deadline("R7")[0][2:] == ("missed", None)
    facts = instance_row(case.db, case.instance_id).facts
    assert (facts["held_on"], facts["routes"]) == ("2026-03-18", ["long_term_fostering"])
    assert case.position.route == "long_term_fostering"
    # The facts follow the latest PPM (what "no PPM in 6 weeks" reads).
    case.do("Hold the review PPM", on=date(2026, 4, 20), held_on=date(2026, 4, 20), progress="On track.",
            wishes_and_feelings="Happy where she is.", change_of_plan_proposed=False)
    assert instance_row(case.db, case.instance_id).facts["held_on"] == "2026-04-20"



def test_the_version_check_comes_before_any_projection_row_is_written(council_with_pathway):
    """The initial PPM starts new statutory clocks. The pathway's version-checked UPDATE must
    be the first write to pathway_instance, human_task or deadline in the completion: a
    concurrent writer then fails that check (retried, then told who completed the task)
    instead of on a deadline's or task's unique key (a 500 under load on PostgreSQL)."""
    db = council_with_pathway
    case = Case.start(db, date(2026, 12, 14), date(2018, 4, 10))
    case.task("Hold the initial PPM")   # open, as the scenario starts
    with projection_writes(db) as writes:
        case.do("Hold the initial PPM", on=date(2026, 12, 23), held_on=date(2026, 12, 23),
                **PPM_AREAS, reunification_discussed=True, plan_identified=True,
                routes=["reunification"])
    assert writes[0] == ("UPDATE", "pathway_instance"), writes
    assert ("INSERT", "deadline") in writes  # the completion did open new clocks


def test_the_projections_walk_the_task_tree_once(council_with_pathway, monkeypatch):
    """Reading a workflow's task tree is the costly part of a completion's projections: the
    human tasks, statutory clocks, route, facts and next timer come from one walk."""
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

    from engine import projections

    case = Case.start(council_with_pathway, date(2026, 12, 14), date(2018, 4, 10))
    walks = []
    real_rewrite, real_get_tasks = projections.rewrite, BpmnWorkflow.get_tasks

    def counting_get_tasks(self, *args, **kwargs):
        walks[-1] += 1
        return real_get_tasks(self, *args, **kwargs)

    def counting_rewrite(*args, **kwargs):
        walks.append(0)
        monkeypatch.setattr(BpmnWorkflow, "get_tasks", counting_get_tasks)
        try:
            return real_rewrite(*args, **kwargs)
        finally:
            monkeypatch.setattr(BpmnWorkflow, "get_tasks", real_get_tasks)

    monkeypatch.setattr("engine.runtime.projections.rewrite", counting_rewrite)
    case.do("Hold the initial PPM", on=date(2026, 12, 23), held_on=date(2026, 12, 23), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["reunification"])
    assert walks == [1]
