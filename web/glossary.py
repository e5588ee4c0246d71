"""The glossary, linked from every page's footer: the words of children's social care and of
this service (PPM, IRO, ADM, stage, route...) in plain English, for anyone new to them."""
from flask import Blueprint, render_template

bp = Blueprint("glossary", __name__)

#: term, meaning: the README's glossary, for the people who use the service.
TERMS = [
    ("Looked after (CLA)", "A child in the care of the council (a Child Looked After)."),
    ("Section 20 (s20)", "Accommodation with the parents' agreement, under section 20 of the "
                         "Children Act 1989: there is no court order."),
    ("Interim care order, care order", "Orders made by the court (sections 38 and 31 of the "
                                       "Children Act 1989) that give the council parental responsibility."),
    ("PPM", "Permanency Planning Meeting: the first within 10 working days of the child becoming "
            "looked after, then every 6 weeks."),
    ("FGC", "Family Group Conference: the family's own meeting to plan for the child."),
    ("CLA review", "The statutory review of a looked-after child's plan, chaired by the IRO: within "
                   "20 working days, then 3 months later, then every 6 months."),
    ("IRO", "Independent Reviewing Officer: chairs the child's reviews and challenges delay."),
    ("Permanence Panel", "A panel of senior staff that reviews groups of children and sets actions."),
    ("ADM", "Agency Decision Maker: decides whether a child should be placed for adoption."),
    ("LGM", "Legal Gateway Meeting: decides whether the threshold for care proceedings is met."),
    ("PLO", "Public Law Outline: work with the family before care proceedings."),
    ("SGO", "Special Guardianship Order: a permanent order for a carer who is not a parent."),
    ("CAO", "Child Arrangements Order: says who the child lives with."),
    ("CPR", "Child's Permanence Report: the report about adoption that goes to the ADM."),
    ("Route", "The permanent home being worked towards: reunification with parents, family and "
              "friends, adoption, long-term fostering or residential care."),
    ("Twin-track", "Two routes worked on at once while the court decides."),
    ("Stage", "Where the child is on the pathway (initial PPM, review PPMs, ...)."),
    ("Escalation", "A task that opens for a manager when a deadline has been missed."),
    ("Drift", "Delay in finding a child a permanent home: what the deadlines are there to catch."),
    ("Rule (R1 to R25)", "The law, guidance or council policy that makes a task due when it is. "
                         "Each due date says why, then the rule."),
    ("Draft", "Answers saved on a task before it is completed. Only you see your draft."),
]


@bp.get("/glossary")
def index():
    return render_template("glossary.html", terms=TERMS)
