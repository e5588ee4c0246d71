"""Regenerate docs/pathway.md's generated parts from the BPMN files in diagrams/:
a picture of each diagram (SVG drawn by bpmn-js in headless Chromium, the same renderer
the web pages use) and the table of rules and the elements that keep them.

Run it after changing a diagram: `make docs`. A picture carries the hash of the diagram it was
drawn from, and is redrawn only when the diagram changed: bpmn-js's output differs slightly
from run to run, so redrawing every picture would rewrite them all for nothing.
"""
import hashlib
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from workflows.catalogue import rule_table  # noqa: E402

DIAGRAMS, DOCS = ROOT / "diagrams", ROOT / "docs"
VIEWER = ROOT / "node_modules" / "bpmn-js" / "dist" / "bpmn-viewer.production.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def render(browser, xml: str) -> str:
    page = browser.new_page(viewport={"width": 2400, "height": 1600})
    page.set_content('<div id="canvas" style="width:2400px;height:1600px"></div>')
    page.add_script_tag(path=str(VIEWER))
    svg = page.evaluate("""async (xml) => {
        const viewer = new BpmnJS({container: '#canvas'});
        await viewer.importXML(xml);
        return (await viewer.saveSVG()).svg;
    }""", xml)
    page.close()
    return svg


def source_mark(xml: str) -> str:
    return f"<!-- drawn from sha256 {hashlib.sha256(xml.encode()).hexdigest()} -->"


def with_mark(svg: str, mark: str) -> str:
    """The mark goes after the XML declaration, which must stay first."""
    head, sep, rest = svg.partition("?>\n")
    return f"{head}{sep}{mark}\n{rest}" if sep else f"{mark}\n{svg}"


def replace_between(text: str, marker: str, content: str) -> str:
    pattern = re.compile(rf"(<!-- {marker}:start -->\n).*?(<!-- {marker}:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"docs/pathway.md has no <!-- {marker}:start/end --> markers")
    return pattern.sub(lambda m: m.group(1) + content + m.group(2), text)


def main() -> None:
    (DOCS / "diagrams").mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for path in sorted(DIAGRAMS.glob("*.bpmn")):
            xml, picture = path.read_text(), DOCS / "diagrams" / f"{path.stem}.svg"
            mark = source_mark(xml)
            if picture.exists() and mark in picture.read_text():
                continue
            picture.write_text(with_mark(render(browser, xml), mark))
            print(f"rendered docs/diagrams/{path.stem}.svg")
        browser.close()
    doc = DOCS / "pathway.md"
    doc.write_text(replace_between(doc.read_text(), "rule-table", rule_table(DIAGRAMS)))
    print("updated the rule table in docs/pathway.md")


if __name__ == "__main__":
    main()
