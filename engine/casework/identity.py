"""The child's identity and needs (K9 to K14): what a placement, the matching and the panel
must respect, with the life story work that helps the child understand their family (K15); and
the support after an order (M3 to M5: MER Amendment, §7.3, §7.6, §7.7) for a
child who leaves care by adoption, special guardianship or a child arrangements order.
Checked here for the page, the command line and demo data alike."""
from .fields import FieldReader

#: (name, label, kind, choices): kind is text (one line), long (a text area), choice, many.
LOCALITIES = {"local": "Within the council's area", "out_of_area": "Out of the council's area"}
YES_NO = {"yes": "Yes", "no": "No"}
DISABILITY = {"yes": "Yes", "no": "No", "not_known": "Not yet known"}
SUPPORT_SERVICES = {"therapy": "Therapy", "counselling": "Counselling", "medical": "Medical",
                    "education": "Education support", "camhs": "CAMHS",
                    "speech_and_language": "Speech and language therapy"}

#: The orders after which a child is previously looked after (MER Amendment).
ORDERS = {"adoption": "Adoption order", "sgo": "Special guardianship order", "cao": "Child arrangements order"}

FIELDS = [
    ("ethnicity", "Ethnicity", "text", None),                                   # K9
    ("religion", "Religion or belief", "text", None),                           # K9
    ("culture", "Culture and heritage to respect in placement", "long", None),  # K9
    ("first_language", "First language", "text", None),                         # K9
    ("interpreter_needed", "Does the child or family need an interpreter?", "choice", YES_NO),
    ("placement_locality", "Where should the child be placed?", "choice", LOCALITIES),  # K10
    ("out_of_area_reason", "Why out of the council's area", "long", None),      # K10
    ("local_support_explored", "Local support explored (availability and cost)", "long", None),
    ("disability", "Does the child have a disability?", "choice", DISABILITY),  # K11
    ("additional_needs", "Disability and additional needs", "long", None),      # K11
    ("chad_involved", "Is the children with disabilities team involved?", "choice", YES_NO),
    ("uasc", "Is the child an unaccompanied asylum-seeking child?", "choice", YES_NO),  # K12
    ("support_services", "Support services identified", "many", SUPPORT_SERVICES),  # K13
    ("support_details", "Support services: who provides them and what for", "long", None),
    ("attachment_and_trauma", "Attachment, trauma and formative experiences", "long", None),  # K14
    ("life_story_work", "Life story work and family tree: how the child is helped to understand "
                        "their family and relationships", "long", None),     # K15
    ("left_care_under", "After leaving care: the order the child left under", "choice", ORDERS),  # M3-M5
    ("designated_teacher", "Designated teacher at the child's school (previously looked after)", "text", None),  # M3
    ("adoption_support", "Adoption support: the adopters' request for an assessment and the support agreed",
     "long", None),                                                             # M4
    ("order_support", "Support for the special guardians or the child arrangements order carers",
     "long", None),                                                             # M5
]
LABELS = {name: label for name, label, _k, _c in FIELDS}
MAX_TEXT, MAX_LONG = 200, 5000


def check(data: dict) -> tuple[dict, dict]:
    """(values, errors by field). Blank means not yet known; a few answers need another."""
    read = FieldReader(today=None, text_limit=MAX_TEXT, long_limit=MAX_LONG)
    for name, label, kind, choices in FIELDS:
        raw = data.get(name)
        if kind == "many":
            read.many(name, label, raw, choices)
        elif kind == "choice":
            read.choice(name, label, raw, choices)
        else:
            read.text(name, label, raw, long=kind == "long")
    values, fail = read.values, read.fail
    if values["placement_locality"] == "out_of_area" and not values["out_of_area_reason"]:
        fail("out_of_area_reason", "Say why the child should be placed out of the council's area: "
                                   "a local placement is the default (K10)")
    if values["disability"] == "yes" and not values["additional_needs"]:
        fail("additional_needs", "Describe the child's disability and additional needs")
    if values["left_care_under"] and not values["designated_teacher"]:
        fail("designated_teacher", "Name the designated teacher who supports the child's education "
                                   "as previously looked after (M3)")
    if values["adoption_support"] and values["left_care_under"] != "adoption":
        fail("adoption_support", "Adoption support follows an adoption order: choose the order the "
                                 "child left care under, or record support for their carers instead")
    if values["order_support"] and values["left_care_under"] not in ("sgo", "cao"):
        fail("order_support", "Support to special guardians or child arrangements order carers follows "
                              "one of those orders: choose the order the child left care under")
    if values["support_services"] and not values["support_details"]:
        fail("support_details", "Say who provides the support services and what for")
    return read.result()


def flags(values: dict | None) -> dict:
    """What the lists filter on."""
    values = values or {}
    return {"uasc": values.get("uasc") == "yes", "disability": values.get("disability") == "yes",
            "out_of_area": values.get("placement_locality") == "out_of_area"}


def shown(values: dict | None) -> list[tuple[str, str]]:
    """Each answer in words, for the child page, the plan and the panel papers."""
    values = values or {}
    rows = []
    for name, label, kind, choices in FIELDS:
        value = values.get(name)
        if kind == "many":
            text = ", ".join(choices[v] for v in value or [] if v in choices)
        elif kind == "choice":
            text = choices.get(value or "", "")
        else:
            text = value or ""
        rows.append((label, text or "Not recorded"))
    return rows
