"""The case details as sections of the plan and the panel papers (read-only there): the
sibling group and its assessment (K1 to K4), family time (K5 to K8), identity and needs
(K9 to K14). Only what the reader may see: `engine.casework` shows a sibling they may not
see as "a sibling you do not have access to"."""
from workflows.calendar import as_date

from ..dates import long_date


def _rows(pairs) -> dict:
    return {"table": False, "rows": [{"name": "", "blank": False, "label": k, "text": v}
                                     for k, v in pairs]}


def _table(label, name, columns, rows) -> dict:
    return {"table": True, "label": label, "name": name, "columns": columns, "rows": rows}


def _iso(value) -> str:
    return long_date(as_date(value)) if value else ""


def sibling_blocks(siblings: dict | None) -> tuple[list[dict], str]:
    if not siblings:
        return [], "No brothers or sisters are linked."
    members = [[m["name"], m.get("reference", ""),
                (m["placement"]["carers"] or m["placement"]["placement_type"].replace("_", " "))
                if m.get("placement") else ("" if not m["visible"] else "No placement recorded")]
               for m in siblings["members"]]
    blocks = [_table("The sibling group", "sibling_group", ["Child", "Reference", "Living with"], members)]
    if siblings["assessment"]:
        blocks.append(_rows([("Together or apart", siblings["recommendation"]),
                             *siblings["assessment_rows"]]))
    return blocks, siblings["warning"]


def family_time_blocks(family_time: dict) -> tuple[list[dict], str]:
    rows = [[a["with_whom"], ("Direct" if a["kind"] == "direct" else "Indirect (letterbox)")
             + (f", {a['supervision']}" if a.get("supervision") else ""),
             a["how"] + (f", {a['where']}" if a.get("where") else ""), a["frequency"],
             a.get("facilitated_by") or "Not recorded",
             _iso(a["agreed_on"]) + (" (after the placement began)" if a["agreed_after_placement"] else "")]
            for a in family_time["live"]]
    due = (f"Next review due {long_date(family_time['review_due_on'])}: "
           f"{family_time['review_due_reason']}." if family_time["review_due_on"] else "")
    return [_table("Family time arrangements", "family_time",
                   ["With", "Direct or indirect", "How and where", "How often",
                    "Who makes it happen (K8)", "Agreed"], rows)], due


def route_choice_section(rc: dict) -> dict:
    """E32: the decision aid as the plan and the panel papers show it."""
    if not rc["version"]:
        return {"heading": "Choosing the permanence option", "meta": [], "text": "Not recorded yet.",
                "blocks": []}
    counts = _table("Statements of Appendix 1 that fit each option (a count, not a decision)",
                    "route_choice_fit", ["Option", "Fit", "Do not fit", "Not known"],
                    [[option + (" (best fit)" if option in rc["best"] else ""), f"{fits} of {of}",
                      str(not_fit), str(unknown)] for option, fits, not_fit, unknown, of in rc["counts"]])
    statements = [_rows([(f"{column}: {text}", answer + (f": {evidence}" if evidence else ""))
                         for text, answer, evidence in items]) for column, items in rc["statements"]]
    return {"heading": "Choosing the permanence option",
            "meta": [("Version", f"{rc['version']['version']}, recorded by {rc['version']['recorded_by']}")],
            "text": rc["warning"], "blocks": [_rows(rc["proposal"]), counts, *statements, _rows(rc["welfare"])]}


def network_section(net: dict) -> dict:
    """A9, E6: the family network, who could care and how far each is assessed."""
    rows = [[f"{p['name']} ({p['relationship']})",
             p["caring_text"] + (f": {p['ruled_out_reason']}" if p.get("ruled_out_reason") else ""),
             p["assessment_text"] + (f", {_iso(p['assessed_on'])}" if p.get("assessed_on") else ""),
             p.get("notes") or ""] for p in net["people"]]
    return {"heading": "Family network", "meta": [], "text": net["warning"],
            "blocks": [_table("Relatives and friends who could care or support", "family_network",
                              ["Person", "Could they care?", "Assessment", "What they can offer"], rows)]
            if rows else []}


def health_section(hv: dict) -> dict:
    """E25: the statutory health assessments and the next one due."""
    due = (f"Next due {long_date(hv['due_on'])}: {hv['due_reason']}." if hv["due_on"] else "")
    rows = [[a["kind_text"], _iso(a["held_on"]), a["carried_out_by"], a["outcome"]]
            for a in hv["assessments"]]
    return {"heading": "Health assessments", "meta": [],
            "text": due + ("" if rows else " No health assessment is recorded."),
            "blocks": [_table("Health assessments", "health_assessments",
                              ["Assessment", "Date", "By", "What it found"], rows)] if rows else []}


def sections(details: dict | None) -> list[dict]:
    """The case-detail sections of a document (see web/records/documents.py)."""
    if details is None:
        return []
    sibling, sibling_text = sibling_blocks(details["siblings"])
    contact, contact_text = family_time_blocks(details["family_time"])
    return [{"heading": "Brothers and sisters", "meta": [], "text": sibling_text, "blocks": sibling},
            {"heading": "Family time", "meta": [], "text": contact_text, "blocks": contact},
            {"heading": "Identity and needs", "meta": [],
             "text": " ".join(filter(None, [details["out_of_area_warning"],
                                            "" if details["identity"] else "Not recorded yet."])),
             "blocks": [_rows(details["identity_rows"])] if details["identity"] else []},
            route_choice_section(details["route_choice"]),
            network_section(details["family_network"]), health_section(details["health"])]
