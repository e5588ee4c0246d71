"""Long-term fostering with the child's short-term carers (E24, MER §7.5): they are reassessed
as long-term carers before the match is proposed; and Halton's options for the long-term carer
(E26: with a view to a special guardianship order with the foster carer; a council carer; an
agency carer where an established relationship already exists). Through the real diagram with a
fixed clock, on SQLite and PostgreSQL."""
from datetime import date

import pytest

from engine import FormInvalid

from .conftest import PPM_AREAS, Case


def _planned(council_with_pathway):
    """Looked after on Mon 1 March 2027 under a care order; the initial PPM on Mon 8 March
    plans long-term fostering. R8: the match by the next PPM, 8 Mar + 6 weeks = 19 April."""
    case = Case.start(council_with_pathway, date(2027, 3, 1), date(2016, 6, 1), legal_status="co")
    case.do("Hold the initial PPM", on=date(2027, 3, 8), held_on=date(2027, 3, 8), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["long_term_fostering"])
    assert case.due("Propose the long-term fostering match") == (date(2027, 4, 19), "R8")
    return case


def test_E24_short_term_carers_are_reassessed_before_the_long_term_match_is_proposed(council_with_pathway):
    case = _planned(council_with_pathway)
    match = dict(match_proposed_on=date(2027, 4, 12), carers="Mr and Mrs Okafor", carers_origin="short_term",
                 halton_option="with_view_to_sgo")
    # No reassessment: refused, each missing answer beside its field, what was typed kept.
    with pytest.raises(FormInvalid) as missing:
        case.do("Propose the long-term fostering match", on=date(2027, 4, 12), **match)
    assert "MER §7.5" in missing.value.errors["reassessed_on"][0]
    assert "recommends" in missing.value.errors["reassessment_recommends"][0]
    assert missing.value.data["carers"] == "Mr and Mrs Okafor"
    # A reassessment after the proposal (Tue 13 April, the day after Mon 12) is not "before".
    with pytest.raises(FormInvalid) as late:
        case.do("Propose the long-term fostering match", on=date(2027, 4, 13), **match,
                reassessed_on=date(2027, 4, 13), reassessment_recommends=True)
    assert "on or before the date the match was proposed" in late.value.errors["reassessed_on"][0]
    # A reassessment that does not recommend them: no long-term match with them.
    with pytest.raises(FormInvalid) as not_recommended:
        case.do("Propose the long-term fostering match", **match, reassessed_on=date(2027, 4, 5),
                reassessment_recommends=False)
    assert "cannot be proposed" in not_recommended.value.errors["reassessment_recommends"][0]
    assert "Propose the long-term fostering match" in case.names()          # nothing moved on
    # Reassessed on Mon 5 April, recommended: the match goes to panel. R22: ratified within the
    # 5-week panel rotation of the proposal on Mon 12 April: 17 May.
    case.do("Propose the long-term fostering match", **match, reassessed_on=date(2027, 4, 5),
            reassessment_recommends=True, reassessment_summary="Settled; they can meet her needs to adulthood.")
    assert case.due("Ratify the long-term match at panel") == (date(2027, 5, 17), "R22")


def test_E26_halton_options_for_the_long_term_carer(council_with_pathway):
    case = _planned(council_with_pathway)
    base = dict(match_proposed_on=date(2027, 4, 12), carers="Ms Adeyemi (Brightway Fostering)")
    with pytest.raises(FormInvalid) as unanswered:
        case.do("Propose the long-term fostering match", on=date(2027, 4, 12), **base)
    assert set(unanswered.value.errors) >= {"carers_origin", "halton_option"}
    # An agency carer only where an established relationship already exists.
    with pytest.raises(FormInvalid) as no_relationship:
        case.do("Propose the long-term fostering match", **base, carers_origin="sought",
                halton_option="ifa_established_relationship")
    assert "Halton" in no_relationship.value.errors["established_relationship"][0]
    # A reassessment recorded for carers who were not the short-term carers does not add up.
    with pytest.raises(FormInvalid) as mixed:
        case.do("Propose the long-term fostering match", **base, carers_origin="sought",
                halton_option="council_carer", reassessed_on=date(2027, 4, 1))
    assert "short-term carers" in mixed.value.errors["carers_origin"][0]
    case.do("Propose the long-term fostering match", **base, carers_origin="sought",
            halton_option="ifa_established_relationship",
            established_relationship="Her respite carer for two years; she asks to live with her.")
    assert "Ratify the long-term match at panel" in case.names()
