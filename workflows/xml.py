"""Parsing BPMN XML safely: diagrams come from process owners' uploads and from folders, and
an XML file can ask its parser to expand entities or fetch from the network (XXE). Every
BPMN parse in the project goes through here."""
from lxml import etree


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xml(data: str | bytes) -> etree._Element:
    """The root element; XMLSyntaxError if not well-formed, ValueError if it has a DOCTYPE
    (a BPMN file never needs one, and it is how entity attacks start)."""
    root = etree.fromstring(data.encode("utf-8") if isinstance(data, str) else data, safe_parser())
    if root.getroottree().docinfo.doctype:
        raise ValueError("a DOCTYPE is not allowed in a BPMN file")
    return root
