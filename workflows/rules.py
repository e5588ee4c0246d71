"""The statutory rules of the pathway, by id.

Every deadline the software shows carries one of these ids, so a practitioner can see
why a date is what it is. The text is `shared/domain/RULES.md`; diagram validation refuses
a `rule` property that is not listed here.
"""

RULES: dict[str, str] = {
    "R1": "First looked-after (CLA) review within 20 working days of becoming looked after",
    "R2": "Second CLA review within 3 months of the first",
    "R3": "Later CLA reviews every 6 months",
    "R4": "Permanence plan identified by the second CLA review",
    "R5": "Review within 10 working days before a significant change of plan",
    "R6": "Family Group Conference at the earliest opportunity (target 10 working days)",
    "R7": "Initial Permanency Planning Meeting within 10 working days of becoming looked after",
    "R8": "Review Permanency Planning Meeting every 6 weeks",
    "R9": "Reunification discussed at a PPM within 6 weeks of the initial CLA review",
    "R10": "First Permanence Panel within 8 weeks of becoming looked after",
    "R11": "Panel actions recorded within 3 working days of the panel",
    "R12": "Panel action completed by its own due date",
    "R13": "Pre-proceedings (PLO): target 3 months, no more than 6 months",
    "R14": "Care proceedings completed within 26 weeks (extensions recorded)",
    "R15": "Agency Decision Maker decision within 7 working days of the recommendation",
    "R16": "Adoption reviews while authorised but not placed: 3 months, then 6-monthly",
    "R17": "Adoption reviews after placement: 4 weeks, 3 months, then 6-monthly",
    "R18": "Consent to adoption not valid before the child is 6 weeks old",
    "R19": "Special Guardianship Order applicant eligibility",
    "R20": "Child Arrangements Order applicant eligibility",
    "R21": "Section 20 drift: aged 16 or under and s20 beyond 12 weeks",
    "R22": "Long-term fostering match ratified at Permanence Panel",
    "R23": "Permanence plan review every 6 months after permanence is achieved",
    "R24": "Approaching adulthood from the 17th birthday",
    "R25": "Residential placement only with senior manager approval",
}


def is_known_rule(rule_id: str) -> bool:
    return rule_id in RULES


def rule_label(rule_id: str | None) -> str:
    """The rule's one-line statement, or an empty string for no or an unknown rule."""
    return RULES.get(rule_id or "", "")
