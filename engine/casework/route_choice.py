"""Choosing between a special guardianship order, a child arrangements order, long-term
fostering and adoption (E32; MER §10.8, Appendix 1 "Identifying Permanence Options", §7.3 and
the welfare checklist of the Adoption and Children Act 2002 s1(4)): a decision aid for the PPM.

Each Appendix 1 statement is answered fits, does not fit or not known, with the evidence.
The aid counts the statements that fit for each option: a count to inform the social worker's
proposal, never a decision. A proposal against the best fit without reasons is warned about."""
from workflows.typed_input import control_message

ANSWERS = {"fits": "Fits", "does_not_fit": "Does not fit", "not_known": "Not known"}

#: Appendix 1's columns: the orders share one column (CAO and SGO).
COLUMNS = {"orders": "Child arrangements or special guardianship order", "adoption": "Adoption",
           "ltf": "Long-term fostering"}
STATEMENTS = {
    "orders": [
        ("orders_legal_security", "The child needs the security of a legally defined placement with "
         "alternative carers, but does not require a lifelong commitment involving a change of identity"),
        ("orders_carer_commitment", "The child's relation, foster or other carer needs to exercise day to day "
         "parental responsibility and is prepared to do so as a lifelong commitment"),
        ("orders_no_monitoring", "There is no need for continuing monitoring and review by the local "
         "authority, although support services may still need to be arranged"),
        ("orders_attachment", "The child has a strong attachment to the alternative carers and legally "
         "defined permanence is assessed as a positive contribution to their sense of belonging and security"),
    ],
    "adoption": [
        ("adoption_lifelong_family", "The child's primary need is to belong to a family who will make a "
         "lifelong commitment"),
        ("adoption_parents_cannot_share", "The child's birth parents are not able or not willing to share "
         "parental responsibility in order to meet their child's needs, even though there may be contact"),
        ("adoption_new_identity", "The child needs an opportunity to develop a new sense of identity whilst "
         "being supported to maintain or develop a healthy understanding of their past"),
        ("adoption_child_wish", "The child expresses a wish to be adopted"),
    ],
    "ltf": [
        ("ltf_birth_family_involvement", "The primary need is for a stable, loving family environment whilst "
         "there is still a significant level of continued involvement with the birth family"),
        ("ltf_birth_identity", "The child has a clear sense of identity with the birth family, whilst needing "
         "to be looked after away from home"),
        ("ltf_oversight", "There is need for continuing oversight and monitoring of the child's "
         "developmental progress"),
        ("ltf_parents_share", "The birth parents are able and willing to exercise a degree of parental "
         "responsibility"),
    ],
}
#: The welfare checklist, Adoption and Children Act 2002 s1(4) (MER §7.3).
WELFARE = [
    ("welfare_wishes", "The child's wishes and feelings, in the light of their age and understanding (s1(4)(a))"),
    ("welfare_needs", "The child's particular needs (s1(4)(b))"),
    ("welfare_lifelong_effect", "The likely effect on the child, throughout their life, of ceasing to be a "
     "member of their birth family (s1(4)(c))"),
    ("welfare_characteristics", "The child's age, sex, background and other relevant characteristics (s1(4)(d))"),
    ("welfare_harm", "Harm the child has suffered or is at risk of suffering (s1(4)(e))"),
    ("welfare_relationships", "The child's relationships with relatives and others who matter: whether they "
     "will continue and their value, whether those people can offer a secure home, and their wishes "
     "(s1(4)(f))"),
]
OPTIONS = {"sgo": "Special guardianship order", "cao": "Child arrangements order",
           "ltf": "Long-term fostering", "adoption": "Adoption"}
OPTION_COLUMN = {"sgo": "orders", "cao": "orders", "ltf": "ltf", "adoption": "adoption"}

#: (name, label, kind, choices or hint), for the form (web/casework/_fields.html).
STATEMENT_FIELDS = {column: [field for name, text in rows for field in (
    (name, text, "choice", ANSWERS),
    (f"{name}_evidence", "The evidence", "long", None))] for column, rows in STATEMENTS.items()}
WELFARE_FIELDS = [(name, label, "long", None) for name, label in WELFARE]
PROPOSAL_FIELDS = [
    ("proposed", "The option the social worker proposes", "choice", OPTIONS),
    ("proposal_reasons", "Why this option meets the child's needs", "long", None),
    ("departure_reasons", "Why, although another option's statements fit better", "long",
     "Only if the aid shows another option fits better"),
]
FIELDS = [*(f for c in COLUMNS for f in STATEMENT_FIELDS[c]), *WELFARE_FIELDS, *PROPOSAL_FIELDS]
LABELS = {name: label for name, label, _k, _c in FIELDS}
MAX_LONG = 5000


def check(data: dict) -> tuple[dict, dict]:
    """(values, errors by field). A statement answered fits or does not fit needs its
    evidence; a proposal needs its reasons and every welfare checklist point considered."""
    values, errors = {}, {}

    def fail(name, message):
        errors.setdefault(name, []).append(message)

    for name, label, kind, choices in FIELDS:
        text = str(data.get(name) or "").strip()
        if kind == "choice":
            if text and text not in choices:
                fail(name, "Choose one of the options")
            values[name] = text if text in choices else ""
            continue
        if message := control_message(label, text, multiline=True):
            fail(name, message)
        elif len(text) > MAX_LONG:
            fail(name, f"{label} must be {MAX_LONG} characters or fewer")
        values[name] = text
    for rows in STATEMENTS.values():
        for name, text in rows:
            evidence = f"{name}_evidence"
            if values[name] in ("fits", "does_not_fit") and not values[evidence] and evidence not in errors:
                verb = "fits" if values[name] == "fits" else "does not fit"
                fail(evidence, f"Give the evidence that the statement {verb}: “{text}”")
            if values[evidence] and not values[name] and name not in errors:
                fail(name, "Say whether the statement fits, does not fit or is not known yet")
    if not any(values[name] for rows in STATEMENTS.values() for name, _t in rows) and not errors:
        fail(STATEMENTS["orders"][0][0], "Answer at least one statement of Appendix 1")
    if values["proposed"]:
        if not values["proposal_reasons"] and "proposal_reasons" not in errors:
            fail("proposal_reasons", f"Say why {OPTIONS[values['proposed']].lower()} meets the child's needs")
        for name, label in WELFARE:
            if not values[name] and name not in errors:
                fail(name, "Consider this point of the welfare checklist before proposing an option: "
                           + label)
    elif values["proposal_reasons"] and "proposed" not in errors:
        fail("proposed", "Choose the option the reasons are for")
    return values, errors


def fit(values: dict | None) -> dict:
    """For each column, how many statements fit, do not fit and are not known; the columns
    with the most fitting (the best fit, none if nothing fits) and the warning, if any."""
    values = values or {}
    counts = {column: {answer: sum(1 for name, _t in STATEMENTS[column] if values.get(name) == answer)
                       for answer in ANSWERS} for column in COLUMNS}
    most = max(c["fits"] for c in counts.values())
    best = [column for column in COLUMNS if most and counts[column]["fits"] == most]
    proposed = values.get("proposed") or ""
    warning = ""
    if proposed and best and OPTION_COLUMN[proposed] not in best and not values.get("departure_reasons"):
        warning = (f"{OPTIONS[proposed]} is proposed, but the statements of "
                   f"{' and '.join(COLUMNS[c].lower() for c in best)} fit best "
                   f"({most} of {len(STATEMENTS[best[0]])}) and no reasons are recorded for the "
                   "difference (MER Appendix 1)")
    return {"counts": [(COLUMNS[c], counts[c]["fits"], counts[c]["does_not_fit"], counts[c]["not_known"],
                        len(STATEMENTS[c])) for c in COLUMNS],
            "best": [COLUMNS[c] for c in best], "proposed": OPTIONS.get(proposed, ""),
            "warning": warning}


def shown(values: dict | None) -> dict:
    """In words, for the child page, the plan and the panel papers."""
    values = values or {}
    statements = [(COLUMNS[column], [(text, ANSWERS.get(values.get(name), "Not answered"),
                                      values.get(f"{name}_evidence") or "")
                                     for name, text in rows]) for column, rows in STATEMENTS.items()]
    welfare = [(label, values.get(name) or "Not recorded") for name, label in WELFARE]
    proposal = [("The option proposed", OPTIONS.get(values.get("proposed"), "None proposed yet")),
                ("Why", values.get("proposal_reasons") or "Not recorded")]
    if values.get("departure_reasons"):
        proposal.append(("Why, although another option fits better", values["departure_reasons"]))
    return {"statements": statements, "welfare": welfare, "proposal": proposal}


def history_rows(values: dict | None) -> list[tuple[str, str]]:
    """One version as label and text rows, for the versions page."""
    found = shown(values)
    rows = [(f"{column}: {text}", answer + (f" ({evidence})" if evidence else ""))
            for column, items in found["statements"] for text, answer, evidence in items]
    return rows + found["welfare"] + found["proposal"]
