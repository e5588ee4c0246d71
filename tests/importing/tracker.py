"""A council's caseload made up for the tests: each child's history is simulated step by step
through the engine as the staff of each lane would do it (the reference), and the tracker row
the council would keep is read back from what was done. The import must rebuild each child
from its row alone to the same open tasks and deadlines.

The simulated council holds the meetings between the first and the last its tracker lists on
the day each falls due (the import's documented assumption); everything else varies: late
initial PPMs and first reviews, late ADM decisions, meetings overdue today, every route.
"""
import random
from datetime import date, datetime, timedelta

from sqlalchemy import select

from engine import clock, complete_task, open_tasks, register_child, sweep
from engine.importing.template import NAMES
from models import PathwayInstance

from ..scenarios.conftest import STAFF

TODAY = date(2027, 6, 1)
ROUTE_CHOICES = [["adoption"], ["long_term_fostering"], ["adoption", "long_term_fostering"],
                 ["reunification"], ["family_and_friends"], ["residential"]]
NOTE = "Recorded as it happened"
DISPUTE = "Start dispute resolution: no permanence plan"


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=clock.LONDON)


class Simulated:
    """One child driven through the engine in date order, several tracks of work side by side
    (legal, FGC, PPMs, CLA reviews, panels, the adoption or fostering route)."""

    def __init__(self, db, index: int):
        self.db, self.index, self.rng = db, index, random.Random(index)
        rng = self.rng
        self.entry = TODAY - timedelta(days=rng.randint(10, 520))
        self.routes = rng.choice(ROUTE_CHOICES)
        baby = "adoption" in self.routes
        self.born = self.entry - timedelta(days=rng.randint(50, 700) if baby else rng.randint(700, 6000))
        self.status = "ico" if baby else rng.choice(["ico", "s20", "co"])
        self.plan_on = self.issued = None
        self.new_tracks = []
        self.row = {n: "" for n in NAMES}
        self.row.update(reference=f"I-{index}", name=f"Child {index}", team="North",
                        social_worker="sw", date_of_birth=self.born.isoformat(),
                        legal_status=self.status, looked_after_on=self.entry.isoformat())

    def days(self, a, b):
        return timedelta(days=self.rng.randint(a, b))

    def run(self) -> "Simulated":
        self.now = at(self.entry)
        clock.set_fixed(self.now)
        registered = register_child(self.db, {
            "reference": f"R-{self.index}", "name": f"Child {self.index}",
            "date_of_birth": self.born.isoformat(), "legal_status": self.status,
            "looked_after_on": self.entry.isoformat(), "team": "North", "social_worker": "sw"}, "sw")
        assert registered.outcome.error is None
        self.child_id = registered.child_id
        tracks = [t for t in (self.legal(), self.fgc(), self.ppms(), self.reviews(), self.panels())]
        pending = {}
        for track in tracks:
            self._advance(pending, track, None)
        while pending:
            track = min(pending, key=lambda t: pending[t][:2])
            day, _order, name, answers, record = pending.pop(track)
            done = self.do(name, day, answers() if callable(answers) else answers)
            if done:
                for column, value in record.items():
                    self.row[column] = value.isoformat() if isinstance(value, date) else value
            self._advance(pending, track, done)
            for extra in self.new_tracks:
                self._advance(pending, extra, None)
            self.new_tracks = []
        self.sweep_to(at(TODAY))
        return self

    new_tracks: list = []

    def _advance(self, pending, track, result):
        try:
            step = next(track) if result is None else track.send(result)
        except StopIteration:
            return
        if step[0] is None or step[0] > TODAY:
            return
        pending[track] = step

    def open(self, name):
        return [t for t in open_tasks(self.db, child_id=self.child_id) if t["name"] == name]

    def due(self, name):
        found = self.open(name)
        return found[0]["due_on"] if found else None

    def sweep_to(self, instant):
        """As a worker sweeping every minute would, and as the import replays a child: each of
        the child's timers fires at the instant it came due (a repeating review then falls due
        on its own day, not all on the day of the child's next step), then all due at `instant`."""
        last = None
        while (due := self._next_due()) is not None and due < instant:
            if due == last:   # nothing moved at that instant: once more, a minute on, as the import does
                sweep(self.db, now=due + timedelta(minutes=1))
                if self._next_due() == due:
                    break
                continue
            sweep(self.db, now=due)
            last = due
        clock.set_fixed(instant)
        while sweep(self.db).timers_fired:
            pass

    def _next_due(self):
        with self.db.transaction() as session:
            return session.scalar(select(PathwayInstance.next_due_at).where(
                PathwayInstance.child_id == self.child_id, PathwayInstance.status == "active"))

    def do(self, name, day, answers) -> bool:
        instant = max(at(day), self.now)
        self.sweep_to(instant)
        found = self.open(name)
        if not found:
            return False
        self.now = instant
        outcome = complete_task(self.db, found[0]["task_id"], answers, STAFF[found[0]["lane"]])
        assert outcome.error is None, outcome.error
        return True

    # The tracks: each yields (day, order, task, answers, tracker columns it fills) and is
    # told whether it was done. The order breaks ties on a day as the import does. Answers
    # that depend on what other tracks did by then (is there a plan?) are worked out on the day.
    def legal(self):
        if self.status != "ico" or self.rng.random() > 0.8:
            return
        issued = self.entry - self.days(0, 10)
        if (yield (self.entry, 0, "Record care proceedings issued", {"issued_on": issued.isoformat()},
                   {"proceedings_issued_on": issued})):
            self.issued = issued
            if "adoption" not in self.routes and self.rng.random() < 0.5:
                made = issued + self.days(120, 230)
                yield (made, 60, "Record the final hearing or an extension",
                       {"hearing_outcome": "final_order", "order_type": "co", "order_made_on": made.isoformat()},
                       {"order_made_on": made, "final_order": "co"})

    def fgc(self):
        if self.rng.random() < 0.6:
            day = self.entry + self.days(2, 20)
            yield (day, 20, "Hold a Family Group Conference", {"fgc_held_on": day.isoformat(), "fgc_outcome": "no_plan"},
                   {"fgc_on": day, "fgc_outcome": "no_plan"})

    def _ppm(self, day):
        identified = self.plan_on is not None and day >= self.plan_on
        return {"held_on": day.isoformat(), "invited": ["fostering_team", "adoption_team", "family_and_friends_team", "iro", "childrens_guardian"],
            "wishes_and_feelings": "Not recorded before the service was used.", "child_consulted_how": "met_alone",
            "views_of_parents": "Not recorded before the service was used.", "advocacy_information_given": False,
            "parallel_plan_explained": True, "route_evidence": "As the council's tracker recorded it.",
            "previous_assessments": "As the council's tracker recorded it.", "race_equality": "As the council's tracker recorded it.",
            "resources_available": True,
            "higher_options_ruled_out": "As the council's tracker recorded it.", "chaired_by": "social_worker", "background": NOTE,
                "options_and_outcomes": NOTE, "reunification_discussed": True,
                "plan_identified": identified, "contingency_plan": "Long-term fostering",
                **({"routes": self.routes} if identified else {})}

    def ppms(self):
        rng = self.rng
        if rng.random() > 0.85:
            return
        day = self.entry + self.days(3, 20)
        plan_after = rng.choice([0, 0, 1, 2]) if rng.random() < 0.75 else None
        if plan_after == 0:
            self.plan_on = day
        if not (yield (day, 10, "Hold the initial PPM", self._ppm(day), {"initial_ppm_on": day})):
            return
        if plan_after == 0:
            self._plan_made(day)
        if plan_after is None:  # no plan yet: a few review PPMs on time, maybe one early
            for _ in range(rng.randint(0, 3)):
                due = self.due("Hold the review PPM")
                if not (yield (due, 10, "Hold the review PPM", self._ppm(due), {"last_ppm_on": due})):
                    return
            return
        for i in range(plan_after):
            due = self.due("Hold the review PPM")
            if i == plan_after - 1:
                self.plan_on = due
            if not (yield (due, 10, "Hold the review PPM", self._ppm(due), {"last_ppm_on": due})):
                return
            if i == plan_after - 1:
                self._plan_made(due)
        later = rng.randint(0, 5)
        for i in range(later + 1):
            due = self.due("Hold the review PPM")
            if due is None:
                return
            if i == later:
                if rng.random() < 0.4:
                    return  # the next one is not held: due or overdue today
                due = due - self.days(0, 10)
            answers = {"held_on": due.isoformat(), "progress": NOTE, "wishes_and_feelings": NOTE, "change_of_plan_proposed": False}
            if not (yield (due, 10, "Hold the review PPM", answers, {"last_ppm_on": due})):
                return

    def _plan_made(self, day):
        self.row.update(plan_on=day.isoformat(), routes=";".join(self.routes),
                        contingency_plan="Long-term fostering")
        if "adoption" in self.routes:
            self.new_tracks = [self.adoption(day)]
        elif "long_term_fostering" in self.routes and self.rng.random() < 0.6:
            self.new_tracks = [self.fostering_match(day + self.days(10, 90))]

    def fostering_match(self, day):
        yield (day, 80, "Propose the long-term fostering match",
               {"match_proposed_on": day.isoformat(), "carers": NOTE,
                "carers_origin": "sought", "halton_option": "council_carer"}, {"matched_on": day})

    def adoption(self, plan_on):
        rng = self.rng
        cpr = plan_on + self.days(5, 40)
        if not (yield (cpr, 50, "Send the Child's Permanence Report to the ADM",
                       {"cpr_sent_on": cpr.isoformat(), "ffa_considered": True}, {"cpr_sent_on": cpr})):
            return
        adm = cpr + self.days(1, 14)
        if not (yield (adm, 51, "Decide whether the child should be placed for adoption",
                       {"adm_decided_on": adm.isoformat(), "adm_decision": "placed_for_adoption",
                        "reasons": NOTE}, {"adm_decided_on": adm})):
            return
        if self.issued:
            authority = adm + self.days(10, 60)
            if not (yield (authority, 60, "Record the final hearing or an extension",
                           {"hearing_outcome": "final_order", "order_type": "po",
                            "order_made_on": authority.isoformat()},
                           {"order_made_on": authority, "final_order": "po"})):
                return
            kind = "placement_order"
        else:
            authority = max(adm + self.days(5, 30), self.born + timedelta(days=43))
            kind = "s19_consent"
        if not (yield (authority, 70, "Record the placement order or s19 consent",
                       {"authority": kind, "authority_on": authority.isoformat()},
                       {"placement_authority_on": authority, "placement_authority": kind})):
            return
        if self.routes != ["adoption"] or rng.random() < 0.3:
            return
        matched = authority + self.days(20, 120)
        if not (yield (matched, 80, "Record the adoption match",
                       {"matched_on": matched.isoformat(), "adopters": NOTE, "siblings_placement": "no_siblings",
                        "contact_arrangements": NOTE}, {"matched_on": matched})):
            return
        placed = matched + self.days(3, 30)
        yield (placed, 90, "Record the placement for adoption", {"placed_on": placed.isoformat()},
               {"placed_on": placed})

    def _review(self, day):
        return {"review_held_on": day.isoformat(),
                "plan_identified": self.plan_on is not None and self.plan_on <= day}

    def reviews(self):
        rng = self.rng
        if rng.random() > 0.85:
            return
        day = self.entry + self.days(10, 32)
        if not (yield (day, 30, "Hold the first CLA review", lambda: self._review(day), {"first_cla_review_on": day})):
            return
        later, hold_last = rng.randint(0, 3), rng.random() < 0.5
        planned = later + (1 if hold_last else 0)
        for i in range(planned):
            name = "Hold the second CLA review" if self.open("Hold the second CLA review") else "Hold the CLA review"
            due = self.due(name)
            if due is None:
                return
            if hold_last and i == planned - 1:
                due = due - self.days(0, 14)
            if not (yield (due, 30, name, lambda due=due: self._review(due), {"last_cla_review_on": due})):
                return
            # No plan at the second review: the IRO starts dispute resolution when the reviews
            # go on (a later one held by today), as the import reads a later review to mean.
            if i < planned - 1 and self.open(DISPUTE) and due + timedelta(days=200) <= TODAY:
                if not (yield (due, 31, DISPUTE, {"raised_on": due.isoformat(), "raised_with": NOTE}, {})):
                    return

    def panels(self):
        rng = self.rng
        if rng.random() > 0.7:
            return
        day = self.entry + self.days(20, 70)
        outcome = {"panel_held_on": day.isoformat(), "recommendation": NOTE, "legal_advice_needed": False}
        if not (yield (day, 40, "Record the first Permanence Panel outcome", outcome, {"first_panel_on": day})):
            return
        if not (yield (day, 41, "Record the panel actions", {"actions": []}, {})):
            return
        if rng.random() < 0.25:
            due = self.due("Record the Permanence Panel review")
            if due is None:
                return
            day = due - self.days(0, 30)
            outcome = dict(outcome, panel_held_on=day.isoformat())
            if (yield (day, 40, "Record the Permanence Panel review", outcome, {"last_panel_on": day})):
                yield (day, 41, "Record the panel actions", {"actions": []}, {})
