"""axe-core (pinned in package.json, read from node_modules: never served to users) run on a
page as it stands, against WCAG 2.2 AA. Every browser test calls it on every page and state
it visits (`screenshot` does, at each); any violation fails the test, with what and where.
Each check is also written to test-output/axe-results.jsonl, for the figures in a report."""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = ROOT / "test-output" / "axe-results.jsonl"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _source() -> str:
    assert AXE.exists(), "axe-core is missing: run `make setup` (npm ci)"
    return AXE.read_text()


def check_accessibility(page, state: str) -> None:
    """Fail on any axe violation on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_source())   # through DevTools: not subject to the page's CSP
    result = page.evaluate("""async (tags) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                           resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
    }""", TAGS)
    # axe-core 4.9 retired its duplicate-id rules; two elements with one id still break labels
    # and links (WCAG 4.1.1 as was): check it here.
    duplicates = page.evaluate("""() => {
        const seen = {}; document.querySelectorAll('[id]').forEach(e => seen[e.id] = (seen[e.id] || 0) + 1);
        return Object.keys(seen).filter(id => seen[id] > 1);
    }""")
    if duplicates:
        result.append({"id": "duplicate-id", "impact": "serious", "help": "ids must be unique",
                       "nodes": [f"#{d}" for d in duplicates[:5]]})
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a") as out:
        out.write(json.dumps({"state": state, "url": page.url, "violations": len(result)}) + "\n")
    assert not result, f"axe found {len(result)} violation(s) on {state} ({page.url}):\n" + \
        "\n".join(f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
                  for v in result)
