"""The one serializer registry: SpiffWorkflow's, taught the types our task data holds.

Forms give `date` values (and `Decimal` where a number was typed), which SpiffWorkflow cannot
save on its own. Specs are serialized with the same registry once per diagram version, so a
running instance never carries its spec.
"""
import json
from datetime import date
from decimal import Decimal

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.helpers.registry import DefaultRegistry
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG


def make_registry(config: dict | None = None) -> DefaultRegistry:
    """A registry with date and Decimal converters and the given (default Spiff) converters."""
    registry = DefaultRegistry()
    registry.register(date, lambda v: {"value": v.isoformat()},
                      lambda v: date.fromisoformat(v["value"]))
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]))
    return BpmnWorkflowSerializer.configure(config or SPIFF_CONFIG, registry)


_REGISTRY = make_registry()
REGISTRY = _REGISTRY  # for comparing specs (SpiffWorkflow's diff converts them with it)


def spec_to_json(spec, subprocess_specs: dict) -> str:
    """The parsed process and its called processes as JSON, stored once per diagram version."""
    return json.dumps({
        "spec": _REGISTRY.convert(spec),
        "subprocess_specs": {name: _REGISTRY.convert(s) for name, s in subprocess_specs.items()},
    })


def spec_from_json(text: str):
    """(spec, subprocess_specs) rebuilt from `spec_to_json`: cheaper than parsing the XML."""
    dct = json.loads(text)
    spec = _REGISTRY.restore(dct["spec"])
    subprocess_specs = {name: _REGISTRY.restore(s) for name, s in dct["subprocess_specs"].items()}
    return spec, subprocess_specs
