"""Issue 12, sections 6 to 8, through the real pathway with a fixed clock: a sibling group of
three assessed (CoramBAAF Together or Apart?) before their plan is agreed, placed apart with
reasons and sibling contact, family time agreed before placement and reviewed on the
council's clock (family_time_review_months, 6 by default). Dates worked by hand."""
from datetime import date

import pytest

from engine import casework, deliver_event, plan
from engine.errors import FormInvalid
from models import AuditEvent, ChildCasework

from .conftest import PPM_AREAS, Case, at

APART = {"assessed_on": "2026-03-09", "assessed_by": "Sw, with the fostering team",
         "relationships": "Ava mothers the younger two; Ben and Cal fight constantly.",
         "needs": "Cal needs a single-child placement with therapeutic carers.",
         "wishes": "Ava wants to see her brothers every week.",
         "recommendation": "apart",
         "reasons_apart": "Cal's needs cannot be met alongside his brothers and sister.",
         "home_finding_by": None,
         "sibling_contact": "Monthly direct contact at the family centre; video calls weekly."}
MOTHER = {"with_whom": "Dana Example (mother)", "relationship": "parent", "kind": "direct",
          "how": "Supervised visits", "where": "Northtown family centre",
          "frequency": "Fortnightly", "supervision": "supervised",
          "facilitated_by": "Family centre contact workers", "agreed_on": "2026-03-12",
          "agreed_with": "Dana Example, the carers, the social worker"}
SIBLINGS = {"with_whom": "Ben and Cal (brothers)", "relationship": "sibling", "kind": "direct",
            "how": "Meeting in person and video calls", "where": "Northtown family centre",
            "frequency": "Monthly, with weekly video calls", "supervision": "supported",
            "facilitated_by": "The carers, taking turns to host",
            "agreed_on": "2026-03-12", "agreed_with": "The three sets of carers"}


def _three(db):
    ava = Case.start(db, date(2026, 3, 2), date(2016, 6, 1), reference="SIB-A")
    ben = Case.start(db, date(2026, 3, 2), date(2018, 6, 1), reference="SIB-B")
    cal = Case.start(db, date(2026, 3, 2), date(2020, 6, 1), reference="SIB-C")
    return ava, ben, cal


def test_K1_K2_K3_K4_a_group_of_three_is_assessed_before_the_plan_and_placed_apart_with_contact(council_with_pathway):
    db = council_with_pathway
    ava, ben, cal = _three(db)
    # Mon 2 Mar: Ava's social worker links her brothers; the link runs both ways (K4).
    casework.link_sibling(db, ava.child_id, "SIB-B", "sw")
    group = casework.link_sibling(db, cal.child_id, "SIB-A", "sw")
    for case in (ava, ben, cal):
        shown = casework.details_for(db, case.child_id, "sw")["siblings"]
        assert shown["group_id"] == group
        assert sorted(m["reference"] for m in shown["members"]) == ["SIB-A", "SIB-B", "SIB-C"]
        assert "No together-or-apart assessment yet" in shown["warning"]
    at(date(2026, 3, 9))
    # Mon 9 Mar: the assessment, before the initial PPM agrees the plan (K1). Apart needs
    # reasons (K2) and the siblings' contact (K3): refused without, nothing kept.
    with pytest.raises(FormInvalid) as refused:
        casework.save_assessment(db, ben.child_id, {**APART, "reasons_apart": "",
                                                   "sibling_contact": ""}, "", "sw")
    assert "placing siblings together is the default (K2)" in refused.value.errors["reasons_apart"][0]
    assert "(K3)" in refused.value.errors["sibling_contact"][0]
    # Together needs the home-finding timeframe (K2).
    with pytest.raises(FormInvalid) as refused:
        casework.save_assessment(db, ben.child_id, {**APART, "recommendation": "together"}, "", "sw")
    assert list(refused.value.errors) == ["home_finding_by"]
    assert casework.save_assessment(db, ben.child_id, APART, "", "sw") == 1
    # Tue 10 Mar: each child's initial PPM identifies long-term fostering.
    for case in (ava, ben, cal):
        case.do("Hold the initial PPM", on=date(2026, 3, 10), held_on=date(2026, 3, 10),
                **PPM_AREAS, reunification_discussed=True, plan_identified=True,
                routes=["long_term_fostering"])
    with db.reading() as session:
        assert plan.child_plan(session, ava.child_id).agreed_on == date(2026, 3, 10)
    shown = casework.details_for(db, ava.child_id, "sw")["siblings"]
    assert shown["warning"] == ""          # assessed 9 Mar, before the plan of 10 Mar
    assert shown["recommendation"] == "Placed apart"
    assert ("How the siblings will keep in touch when apart", APART["sibling_contact"]) \
        in shown["assessment_rows"]
    # Mon 16 Mar: placed apart, three homes.
    at(date(2026, 3, 16))
    for case, carers in ((ava, "Mr and Mrs Oak"), (ben, "Ms Ash"), (cal, "Mr Elm")):
        deliver_event(db, case.child_id, "placement_changed",
                      {"placement_type": "in_house_foster", "carers": carers, "area": "local",
                       "started_on": "2026-03-16"}, "sw")
    places = {m["reference"]: m["placement"]["carers"]
              for m in casework.details_for(db, cal.child_id, "sw")["siblings"]["members"]}
    assert places == {"SIB-A": "Mr and Mrs Oak", "SIB-B": "Ms Ash", "SIB-C": "Mr Elm"}
    # Each child's audit trail has the assessment (one change audited for each child).
    with db.reading() as session:
        audited = {e.child_id for e in session.query(AuditEvent).filter_by(kind="case_details_changed")}
    assert audited == {ava.child_id, ben.child_id, cal.child_id}


def test_K5_K6_K7_K8_family_time_agreed_before_placement_and_reviewed_on_the_councils_clock(council_with_pathway):
    db = council_with_pathway
    ava, _ben, _cal = _three(db)
    # Thu 12 Mar: family time with her mother and her brothers is agreed.
    at(date(2026, 3, 12))
    casework.add_family_time(db, ava.child_id, MOTHER, "sw")
    casework.add_family_time(db, ava.child_id, SIBLINGS, "sw")
    # Mon 16 Mar: placed with foster carers.
    at(date(2026, 3, 16))
    deliver_event(db, ava.child_id, "placement_changed",
                  {"placement_type": "in_house_foster", "carers": "Mr and Mrs Oak", "area": "local",
                   "started_on": "2026-03-16"}, "sw")
    # Fri 20 Mar: letterbox contact with her grandmother, agreed after the placement began.
    at(date(2026, 3, 20))
    casework.add_family_time(db, ava.child_id, {
        "with_whom": "Gran Example", "relationship": "grandparent", "kind": "indirect",
        "how": "Letters and photographs through the letterbox service", "where": "",
        "frequency": "Twice a year, at birthdays and Christmas", "supervision": "",
        "agreed_on": "2026-03-20", "agreed_with": "Gran Example and the carers"}, "sw")
    shown = casework.details_for(db, ava.child_id, "sw")["family_time"]
    assert [(a["with_whom"], a["agreed_after_placement"]) for a in shown["arrangements"]] == [
        ("Dana Example (mother)", False), ("Ben and Cal (brothers)", False), ("Gran Example", True)]
    # The review clock: 6 months (the default setting) after first agreed on 12 Mar 2026 =
    # Sat 12 Sep 2026.
    assert shown["review_due_on"] == date(2026, 9, 12)
    assert shown["review_due_reason"] == ("6 months after family time was first agreed on "
                                          "12 March 2026 (council setting family_time_review_months)")
    # In the social worker's inbox from a week before: Sat 5 Sep, not Fri 4 Sep.
    at(date(2026, 9, 4))
    assert casework.reviews_due(db, "sw") == []
    at(date(2026, 9, 5))
    assert [(r.reference, r.due_on, r.overdue) for r in casework.reviews_due(db, "sw")] == [
        ("SIB-A", date(2026, 9, 12), False)]
    assert casework.reviews_due(db, "iro") == []           # not the IRO's inbox
    # Mon 14 Sep: overdue; reviewed that day, the letterbox ends; next due 14 Mar 2027.
    at(date(2026, 9, 14))
    assert casework.reviews_due(db, "sw")[0].overdue
    with pytest.raises(FormInvalid) as refused:
        casework.review_family_time(db, ava.child_id, {"reviewed_on": "2026-09-14", "notes": "",
                                                       "end": ["3"], "end_reason": ""}, "sw")
    assert set(refused.value.errors) == {"notes", "end_reason"}
    casework.review_family_time(db, ava.child_id, {
        "reviewed_on": "2026-09-14", "notes": "Ava enjoys seeing her brothers.", "end": ["3"],
        "end_reason": "Gran now visits with her mother"}, "sw")
    shown = casework.details_for(db, ava.child_id, "sw")["family_time"]
    assert shown["review_due_on"] == date(2027, 3, 14)
    assert [a["with_whom"] for a in shown["live"]] == ["Dana Example (mother)", "Ben and Cal (brothers)"]
    assert casework.reviews_due(db, "sw") == []
    with db.reading() as session:
        assert session.get(ChildCasework, ava.child_id).family_time_review_due_on == date(2027, 3, 14)
    # Every change is a version; the earlier ones read as they were.
    versions = casework.history(db, ava.child_id, "sw", "family_time")["versions"]
    assert [v["version"] for v in versions] == [4, 3, 2, 1]
    assert [a["with_whom"] for a in versions[-1]["data"]["arrangements"]] == ["Dana Example (mother)"]


def test_K6_a_council_sets_its_own_review_clock(council_with_pathway, tmp_path, monkeypatch):
    from workflows import local_settings
    path = tmp_path / "settings.json"
    path.write_text('{"family_time_review_months": 3}')
    monkeypatch.setenv("PERMANENCE_LOCAL_SETTINGS", str(path))
    local_settings._overrides.cache_clear()
    try:
        db = council_with_pathway
        ava = Case.start(db, date(2026, 3, 2), date(2016, 6, 1), reference="SIB-A")
        at(date(2026, 3, 12))
        casework.add_family_time(db, ava.child_id, MOTHER, "sw")
        # 12 Mar + 3 months = Fri 12 Jun 2026.
        shown = casework.details_for(db, ava.child_id, "sw")["family_time"]
        assert (shown["review_due_on"], shown["review_due_reason"][:9]) == (date(2026, 6, 12), "3 months ")
    finally:
        monkeypatch.delenv("PERMANENCE_LOCAL_SETTINGS")
        local_settings._overrides.cache_clear()


def test_K4_a_child_leaves_the_group_and_a_group_of_one_ends(council_with_pathway):
    db = council_with_pathway
    ava, ben, cal = _three(db)
    casework.link_sibling(db, ava.child_id, "SIB-B", "sw")
    casework.link_sibling(db, ava.child_id, "SIB-C", "sw")
    with pytest.raises(FormInvalid) as refused:
        casework.unlink_sibling(db, cal.child_id, "", "sw")
    assert refused.value.errors["reason"] == ["Say why the child is no longer in this sibling group"]
    casework.unlink_sibling(db, cal.child_id, "Not a half-brother: paternity test", "sw")
    assert casework.details_for(db, cal.child_id, "sw")["siblings"] is None
    assert [m["reference"] for m in casework.details_for(db, ava.child_id, "sw")["siblings"]["others"]] == ["SIB-B"]
    casework.unlink_sibling(db, ben.child_id, "Adopted separately", "sw")
    assert casework.details_for(db, ava.child_id, "sw")["siblings"] is None   # no group of one
    with db.reading() as session:
        assert {r.child_id: r.sibling_group_id for r in session.query(ChildCasework)} == {
            ava.child_id: None, ben.child_id: None, cal.child_id: None}
