"""Demo case details (issue 12, sections 6 to 8), put there through `engine.casework` as a
social worker would: a sibling group of three across two teams (Alfie and Ethan in North,
their half-sister Freya in South) with its together-or-apart assessment, family time
arrangements (Jacob's review overdue, so it is in Cara's and Tia's inboxes), identity and
needs for a few children, Daisy's decision aid for choosing her permanence option (E32),
Alfie's family network (A9, E6) and health assessments for Alfie and Daisy (E25)."""
from datetime import timedelta

from engine import casework, clock, find_child
from engine.errors import NotFound

from .demo import _morning as morning

IDENTITIES = {
    "DEMO-001": ("asha.sw", {"ethnicity": "White British", "religion": "None",
                             "first_language": "English", "interpreter_needed": "no",
                             "placement_locality": "local", "disability": "not_known",
                             "uasc": "no", "support_services": ["medical"],
                             "support_details": "Paediatric assessment of his speech delay",
                             "attachment_and_trauma": "Domestic abuse at home before care."}),
    "DEMO-004": ("ben.sw", {"ethnicity": "Mixed White and Black Caribbean", "religion": "Christian",
                            "culture": "Close to her Caribbean grandmother's church community",
                            "first_language": "English", "interpreter_needed": "no",
                            "placement_locality": "local", "disability": "yes",
                            "additional_needs": "Type 1 diabetes; an education, health and care plan",
                            "chad_involved": "yes", "uasc": "no",
                            "support_services": ["medical", "education", "camhs"],
                            "support_details": "Diabetes nurse; designated teacher; CAMHS for anxiety",
                            "attachment_and_trauma": "Several moves before care; anxious attachment.",
                            "life_story_work": "Life story book with her carer; a family tree with her grandmother"}),
    "DEMO-007": ("cara.sw", {"ethnicity": "White British", "religion": "None",
                             "first_language": "English", "interpreter_needed": "no",
                             "placement_locality": "out_of_area",
                             "out_of_area_reason": "Away from the exploitation risk in the town centre",
                             "local_support_explored": "No local residential bed; two local IFAs asked",
                             "disability": "no", "uasc": "no", "support_services": ["counselling"],
                             "support_details": "Youth counselling through the school",
                             "attachment_and_trauma": "Exploitation and missing episodes."}),
}


def _on(days_ago: int, today):
    return clock.frozen_at(morning(today - timedelta(days=days_ago)))


def load(db, today) -> None:
    alfie, ethan, freya = (find_child(db, r) for r in ("DEMO-001", "DEMO-005", "DEMO-006"))
    with _on(2, today):
        casework.link_sibling(db, alfie, "DEMO-005", "asha.sw")
        casework.link_sibling(db, freya, "DEMO-001", "sam.sm")
        casework.save_assessment(db, alfie, {
            "assessed_on": (today - timedelta(days=2)).isoformat(),
            "assessed_by": "Asha Patel with the fostering team (CoramBAAF Together or Apart?)",
            "relationships": "Alfie is protective of baby Ethan; Freya, 7, has lived apart from "
                             "them with her mother since she was 3.",
            "needs": "Ethan needs a carer able to attend court-directed contact four times a week; "
                     "Freya is at home with her mother under a care order.",
            "wishes": "Alfie asks to see Freya; Freya wants to see her brothers at weekends.",
            "recommendation": "some_together",
            "reasons_apart": "Freya stays at home with her mother; the boys should be together.",
            "home_finding_by": (today + timedelta(days=60)).isoformat(),
            "sibling_contact": "Monthly Saturday visits for all three at the family centre."}, "", "asha.sw")
        for child, user, arrangement in (
                (alfie, "asha.sw", {"with_whom": "Kelly Brown (mother)", "relationship": "parent",
                                    "kind": "direct", "how": "Supervised visits", "where": "Northtown family centre",
                                    "frequency": "Twice a week", "supervision": "supervised",
                                    "facilitated_by": "Family centre contact workers; the carers drive Alfie",
                                    "agreed_with": "Kelly Brown, Jo and Sam Carter"}),
                (alfie, "asha.sw", {"with_whom": "Freya Scott (half-sister)", "relationship": "sibling",
                                    "kind": "direct", "how": "Visits with Ethan", "where": "Northtown family centre",
                                    "frequency": "Monthly, on a Saturday", "supervision": "supported",
                                    "facilitated_by": "The family centre hosts; the carers bring the boys",
                                    "agreed_with": "Sarah Scott, the carers"}),
                (ethan, "asha.sw", {"with_whom": "Dean Grey (father)", "relationship": "parent",
                                    "kind": "indirect", "how": "Letters and photographs through the letterbox service",
                                    "where": "", "frequency": "Twice a year", "supervision": "",
                                    "agreed_with": "Dean Grey, Pam Ellis"})):
            # Alfie's agreed the day he came into care, before his placement began (K6); Ethan's
            # letterbox only now, after his: the page flags it.
            agreed = today - timedelta(days=3 if child == alfie else 2)
            casework.add_family_time(db, child, {**arrangement, "agreed_on": agreed.isoformat()}, user)
    try:
        jacob = find_child(db, "DEMO-102")      # imported on the full pathway only
    except NotFound:
        jacob = None
    if jacob is not None:
        with _on(235, today):
            casework.add_family_time(db, jacob, {
                "with_whom": "Maria Lee (mother)", "relationship": "parent", "kind": "direct",
                "how": "Supported visits", "where": "Southtown contact centre", "frequency": "Monthly",
                "supervision": "supported", "facilitated_by": "Southtown contact centre workers",
                "agreed_on": (today - timedelta(days=235)).isoformat(),
                "agreed_with": "Maria Lee, Mr and Mrs Shah"}, "cara.sw")
    # A9, E6: Alfie's family network, mapped early; E25: health assessments (Alfie's initial
    # one; Daisy's initial one, then 12-monthly as she is over 5).
    for days_ago, person in ((3, {"name": "Maureen Brown", "relationship": "Maternal grandmother",
                                  "contact": "12 Elm Road, Northtown; 01632 960 118",
                                  "caring": "offered", "assessment": "viability",
                                  "notes": "Offers a home; has looked after Alfie at weekends"}),
                             (2, {"name": "Lisa Brown", "relationship": "Paternal aunt",
                                  "caring": "ruled_out",
                                  "ruled_out_reason": "Lives with a partner who poses a risk (police check); "
                                                      "agreed by Tom Manager",
                                  "assessment": "not_assessed",
                                  "notes": "Family time at Christmas and birthdays"}),
                             (1, {"name": "Kevin Hughes", "relationship": "Family friend (godfather)",
                                  "caring": "could_care", "assessment": "not_assessed"})):
        with _on(days_ago, today):
            casework.save_network_person(db, alfie, {
                **person, "identified_on": (today - timedelta(days=days_ago)).isoformat()}, "asha.sw")
    with _on(1, today):
        casework.add_health_assessment(db, alfie, {
            "kind": "initial", "held_on": (today - timedelta(days=1)).isoformat(),
            "carried_out_by": "Dr Okafor, looked-after children's health team",
            "outcome": "Speech delay: referred to speech and language therapy; immunisations due"}, "asha.sw")
    with _on(1, today):
        casework.add_health_assessment(db, find_child(db, "DEMO-004"), {
            "kind": "initial", "held_on": (today - timedelta(days=30)).isoformat(),
            "carried_out_by": "Dr Shah, looked-after children's health team",
            "outcome": "Diabetes well managed; dentist every 6 months"}, "ben.sw")
    for reference, (user, values) in IDENTITIES.items():
        with _on(1, today):
            casework.save_identity(db, find_child(db, reference), values, "", user)
    with _on(1, today):
        casework.save_route_choice(db, find_child(db, "DEMO-004"), DAISY_ROUTE_CHOICE, "", "ben.sw")


#: E32: Daisy, 12, close to her mother and grandmother: long-term fostering fits best.
DAISY_ROUTE_CHOICE = {
    "orders_legal_security": "does_not_fit",
    "orders_legal_security_evidence": "No relative or carer is ready to take parental responsibility",
    "orders_carer_commitment": "not_known",
    "adoption_lifelong_family": "does_not_fit",
    "adoption_lifelong_family_evidence": "She has a strong bond with her mother and grandmother",
    "adoption_child_wish": "does_not_fit",
    "adoption_child_wish_evidence": "Daisy told her IRO she does not want to be adopted",
    "ltf_birth_family_involvement": "fits",
    "ltf_birth_family_involvement_evidence": "Fortnightly family time with her mother goes well",
    "ltf_birth_identity": "fits",
    "ltf_birth_identity_evidence": "She knows her family's story; life story book with her grandmother",
    "ltf_oversight": "fits",
    "ltf_oversight_evidence": "Type 1 diabetes and an EHC plan need continuing oversight",
    "ltf_parents_share": "not_known",
    "welfare_wishes": "Daisy wants to stay with the Dunns and keep seeing her mum and gran",
    "welfare_needs": "Stability, diabetes care and support in school",
    "welfare_lifelong_effect": "Losing her legal tie to her family would harm her identity",
    "welfare_characteristics": "12, of mixed White and Black Caribbean heritage",
    "welfare_harm": "Neglect before care; her mother's drinking",
    "welfare_relationships": "Close to her grandmother, who cannot care for her full time",
    "proposed": "ltf",
    "proposal_reasons": "Long-term fostering with the Dunns keeps her family ties and meets her health needs",
}
