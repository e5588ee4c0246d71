"""What a draft may keep: plain file names, safely parsed BPMN, JSON objects as forms; and the
drafts themselves as folders of files."""
from datetime import datetime, timezone

import pytest

from engine import clock
from web.diagram_drafts import DraftNotFound, DraftStore
from web.diagram_files import (
    FileRefused, checked_bpmn, checked_form, checked_name, element_at, parse_xml, plain, processes,
)

from .diagrams.support import DEMO

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


@pytest.mark.parametrize("name", ["../x.bpmn", "a/b.json", ".hidden.json", "x.txt", "x..bpmn", "", "x.bpmn.exe",
                                  "a b.json", "x" * 120 + ".json"])
def test_only_plain_names_are_kept(name):
    with pytest.raises(FileRefused):
        checked_name(name)


def test_names_that_tools_write_are_kept():
    for name in ("demo_pathway.bpmn", "ppm-review-uischema.json", "Process_1q8w3e5.bpmn", "v2.ppm.json"):
        assert checked_name(name) == name


def test_xml_is_parsed_without_entities_or_the_network():
    billion = (f'<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><bpmn:definitions xmlns:bpmn="{BPMN}">'
               "&b;</bpmn:definitions>").encode()
    remote = (f'<!DOCTYPE d SYSTEM "http://example.invalid/evil.dtd"><bpmn:definitions xmlns:bpmn="{BPMN}"/>').encode()
    for data in (billion, remote):
        with pytest.raises(FileRefused, match="a DOCTYPE is not allowed"):
            parse_xml(data, "x.bpmn")
    with pytest.raises(FileRefused, match="larger than 2 MB"):
        parse_xml(b" " * 2_000_001, "x.bpmn")


def test_a_bpmn_file_keeps_its_text_and_a_bom_is_dropped():
    text = (DEMO / "demo_pathway.bpmn").read_text()
    assert checked_bpmn(b"\xef\xbb\xbf" + text.encode(), "demo_pathway.bpmn") == text


def test_a_form_must_be_a_json_object():
    assert checked_form('{"type": "object"}', "f.json") == '{"type": "object"}'
    with pytest.raises(FileRefused, match="f.json: line 2, column 1: not valid JSON"):
        checked_form('{"type":\n}', "f.json")
    with pytest.raises(FileRefused, match="a form must be a JSON object"):
        checked_form('"text"', "f.json")


def test_where_things_are_in_a_file():
    xml = (DEMO / "demo_pathway.bpmn").read_text()
    assert processes(xml) == [{"id": "demo_pathway", "name": "Permanence pathway (demo)", "executable": True}]
    assert element_at(xml, 97) == "reunified"                 # the line of <bpmn:endEvent id="reunified">
    assert element_at(xml, None) is None
    assert plain("Element '{%s}frobnicate': not expected" % BPMN) == "Element 'bpmn:frobnicate': not expected"


def test_drafts_are_folders_of_files(tmp_path):
    store = DraftStore(tmp_path / "drafts")
    assert store.all() == []
    first = store.create("demo_pathway", 1, "Pam Owner", {"a.json": "{}"})
    clock.set_fixed(datetime(2026, 3, 2, 10, tzinfo=timezone.utc))
    second = store.create("other", None, "Pam Owner", {})
    clock.set_fixed(datetime(2026, 3, 2, 11, tzinfo=timezone.utc))
    store.write(first, "b.bpmn", "<x/>", "Olly Brooks")
    assert [d.id for d in store.all()] == [first.id, second.id]        # the most recently changed first
    again = store.get(first.id)
    assert (again.names(), again.updated_by, again.read("b.bpmn")) == (["a.json", "b.bpmn"], "Olly Brooks", "<x/>")
    with pytest.raises(FileRefused):
        store.create("x", None, "Pam Owner", {"../escape.json": "{}"})
    assert len(list((tmp_path / "drafts").iterdir())) == 2              # nothing half-made
    for bad in ("../drafts", "0123456789ab", "nothex-nothex"):
        with pytest.raises(DraftNotFound):
            store.get(bad)
    store.discard(first)
    assert [d.id for d in store.all()] == [second.id]
