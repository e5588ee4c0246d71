"""The plan's content as answer blocks (D5, D6, D8, D10, D11, E1), with the child's and
family's voice (J1-J7) and who came to the PPM (A3, A4, C17): on the plan page, its print
view and PDF, and in the panel papers (J2: the voice is carried to the panel)."""
from ..dates import long_date
from . import answers as shown


def _rows(pairs) -> dict:
    return {"table": False, "rows": [dict(label=label, text=text or shown.NOT_RECORDED, name="", blank=not text)
                                     for label, text in pairs]}


def _yes_no(value, yes: str, no: str) -> str:
    return shown.NOT_RECORDED if value is None else (yes if value else no)


def voice_blocks(content) -> list[dict]:
    """J1-J7: what the child and parents said, how the child was asked, what they were told."""
    v = content.voice
    if not v:
        return [_rows([("The child's wishes and feelings", "")])]
    sought = f" (sought on {long_date(v['child_views_sought_on'])})" if v["child_views_sought_on"] else ""
    parents_sought = (f" (sought on {long_date(v['parents_views_sought_on'])})"
                      if v["parents_views_sought_on"] else "")
    advocacy = _yes_no(v["advocacy_given"], "Given" + (f" on {long_date(v['advocacy_given_on'])}"
                                                       if v["advocacy_given_on"] else ""), "Not given")
    told = "; ".join(f"{who} on {long_date(on)}" + (f" ({how})" if how else "") for who, on, how in v["told"])
    rows = [("The child's wishes and feelings", v["wishes_and_feelings"] + sought if v["wishes_and_feelings"] else ""),
            ("How the child was consulted", v["consulted_how"]),
            ("The parents' views", v["views_of_parents"] + parents_sought if v["views_of_parents"] else ""),
            ("Views of other significant people", v.get("significant_others", "")),
            ("Parents told why there is a parallel plan", _yes_no(v["parallel_plan_explained"], "Yes", "No")),
            ("Advocacy and complaints information", advocacy),
            ("Decisions told to the child, family and carers", told or "Not yet told"),
            ("From the PPM on", long_date(v["at"]))]
    if v.get("new_family_wish"):
        rows.insert(1, ("The child's wish to join a new family without direct contact",
                        "Expressed; the plan gives it considerable weight: " + v["new_family_wish_weight"]))
    return [dict(_rows(rows), heading="Voice of the child and family")]


def content_blocks(content) -> list[dict]:
    """D8, D10, D5, E1, D6, D11: the plan as the child and family read it."""
    endorsed = content.endorsement
    if endorsed is None:
        endorsement = "Not yet endorsed at a CLA review"
    else:
        endorsement = (("Endorsed" if endorsed["endorsed"] else "Not endorsed")
                       + f" at the CLA review on {long_date(endorsed['on'])}"
                       + (f": {endorsed['comments']}" if endorsed["comments"] else ""))
    blocks = [_rows([("Evidence and reasons for the route", content.route_evidence),
                     ("Why higher options were ruled out", content.higher_options_ruled_out),
                     ("Assessments the plan builds on", content.previous_assessments),
                     ("How the plan promotes race equality", content.race_equality),
                     ("Resources the plan needs", content.resources),
                     ("Care plan", endorsement)])]
    blocks.append({"table": True, "label": "Objectives", "name": "objectives",
                   "columns": ["Objective", "Key tasks", "By when", "Who is responsible", "How success will be known"],
                   "rows": [[o.get("objective", ""), o.get("key_tasks", ""), long_date(_day(o.get("timescale"))),
                             o.get("responsible", ""), o.get("success_criteria", "")] for o in content.objectives]})
    if content.themes:
        blocks.append(_rows(content.themes))
    if content.needs:
        blocks.append(_rows(content.needs))
    if content.permanence_review:
        blocks.append(dict(permanence_review_block(content.permanence_review)))
    m = content.meeting
    if m:
        blocks.append(_rows([("Chaired by", m["chair"] + (" (complex or contentious case)" if m["complex"] else "")),
                             ("Invited", ", ".join(m["invited"])), ("Attended", ", ".join(m["attended"])),
                             ("Names", m["names"])]))
    return blocks


def permanence_review_block(r: dict) -> dict:
    """M1: the latest permanence review's findings, for the plan and the CLA review that hears them."""
    rows = [("Permanence review held on", long_date(r["on"])),
            ("Is the permanent arrangement stable?", _yes_no(r["stable"], "Yes", "No")),
            ("Change of plan proposed", r["proposed_change"] if r["change_proposed"] else "No"),
            ("Post-18 arrangements", r["post_18"]),
            ("Care or pathway plan updated for the CLA review", _yes_no(r["plan_updated"], "Yes", "No")),
            ("Notes", r["notes"])]
    return dict(_rows(rows), heading="The latest permanence review")


def _day(value):
    from datetime import date
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
