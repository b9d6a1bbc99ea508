"""Which kwarg values an env accepts: the types its constructor names, and ranges and sizes the server knows.

A kwarg's type comes from the constructor's annotation, or from its default where it
has none (``natural=False`` takes a bool, ``goal_velocity=0`` a number). A bool never
stands for a number nor a string for a bool: ``is_slippery="no"`` is refused instead of
counting as true. Floats must be finite. Where an env documents a range (a probability,
LunarLander's gravity) a value outside it is refused, and where an env builds something
from a kwarg whose cost grows with the value (FrozenLake's ``desc`` map), its size is
bounded by a server limit. Annotations this module does not model leave the decision to
the constructor, whose exceptions still answer INVALID_ARGUMENT.
"""

from __future__ import annotations

import inspect
import math
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import grpc

from gymlink_server.config import FLAG_OF
from gymlink_server.errors import RequestError, invalid_argument, shown

_ANYTHING = inspect.Parameter.empty


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    # Open at both ends: LunarLander asserts -12 < gravity < 0.
    open: bool = False

    def __contains__(self, value: float) -> bool:
        if self.open:
            return self.low < value < self.high
        return self.low <= value <= self.high

    def __str__(self) -> str:
        return f"({self.low:g}, {self.high:g})" if self.open else f"[{self.low:g}, {self.high:g}]"


# Ranges the envs document, by constructor name and parameter.
KNOWN_RANGES: Mapping[tuple[str, str], Range] = {
    ("FrozenLakeEnv", "success_rate"): Range(0.0, 1.0),
    ("TaxiEnv", "rainy_probability"): Range(0.0, 1.0),
    ("TaxiEnv", "fickle_probability"): Range(0.0, 1.0),
    ("LunarLander", "gravity"): Range(-12.0, 0.0, open=True),
    ("LunarLander", "wind_power"): Range(0.0, 20.0),
    ("LunarLander", "turbulence_power"): Range(0.0, 2.0),
    ("CarRacing", "lap_complete_percent"): Range(0.0, 1.0),
}

LAKE_TILES = frozenset("SFHG")


def check_lake_map(desc: list[str], what: str, max_map_cells: int) -> None:
    """FrozenLake builds a transition table over every cell: its size is the cost of the map."""
    rows, columns = len(desc), len(desc[0]) if desc else 0
    if rows * columns > max_map_cells:
        raise RequestError(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            f"{what} is a {rows}x{columns} map, {rows * columns} cells, over the server limit of "
            f"{max_map_cells} ({FLAG_OF['max_map_cells']})",
        )
    if rows == 0 or any(len(row) != columns for row in desc) or columns == 0:
        raise invalid_argument(f"{what} must be a non-empty rectangle of equally long rows")
    tiles = set("".join(desc))
    if not tiles <= LAKE_TILES or "S" not in tiles:
        raise invalid_argument(
            f"{what} may only hold the tiles S, F, H, G and needs a start tile S; got {shown(sorted(tiles))}"
        )


# Kwargs an env builds something from whose cost grows with the value, by constructor name and parameter.
MAP_KWARGS: Mapping[tuple[str, str], Callable[[Any, str, int], None]] = {
    ("FrozenLakeEnv", "desc"): check_lake_map,
}


@dataclass(frozen=True)
class ParamRule:
    """What one constructor parameter accepts."""

    name: str
    expected: Any = _ANYTHING  # a type or typing construct, or _ANYTHING where nothing is known
    range: Range | None = None
    map_check: Callable[[Any, str, int], None] | None = None

    def check(self, value: Any, env_id: str, max_map_cells: int) -> None:
        what = f"kwarg {self.name!r} of {env_id}"
        if not _conforms(value, self.expected):
            raise invalid_argument(f"{what} must be {_describe(self.expected)}, got {_describe_value(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise invalid_argument(f"{what} must be a finite number, got {value}")
        if self.range is not None and isinstance(value, (int, float)) and value not in self.range:
            raise invalid_argument(f"{what} must be in {self.range}, got {value:g}")
        if self.map_check is not None and value is not None:  # None: the env picks its own map
            self.map_check(value, what, max_map_cells)


def param_rules(creator: Callable[..., Any]) -> dict[str, ParamRule]:
    """One rule per named parameter of an env's constructor (or creator function)."""
    target = creator.__init__ if inspect.isclass(creator) else creator  # type: ignore[misc]
    owner = getattr(creator, "__name__", "")
    try:
        signature = _signature(target)
    except (TypeError, ValueError):
        return {}
    rules = {}
    for parameter in signature.parameters.values():
        if parameter.name == "self" or parameter.kind not in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
            continue
        rules[parameter.name] = ParamRule(
            name=parameter.name,
            expected=_expected_type(parameter),
            range=KNOWN_RANGES.get((owner, parameter.name)),
            map_check=MAP_KWARGS.get((owner, parameter.name)),
        )
    return rules


def _signature(target: Callable[..., Any]) -> inspect.Signature:
    try:
        return inspect.signature(target, eval_str=True)
    except Exception:  # an annotation naming something its module cannot resolve
        return inspect.signature(target)


def _expected_type(parameter: inspect.Parameter) -> Any:
    annotation = parameter.annotation
    if annotation is not _ANYTHING and not isinstance(annotation, str):
        return annotation
    default = parameter.default
    if isinstance(default, bool):
        return bool
    if isinstance(default, (int, float)):
        return float  # an int default (goal_velocity=0) still takes fractions
    if isinstance(default, str):
        return str
    if isinstance(default, (list, tuple)):
        return list
    return _ANYTHING


def _conforms(value: Any, expected: Any) -> bool:
    if expected is _ANYTHING or expected is Any:
        return True
    origin = typing.get_origin(expected)
    arguments = typing.get_args(expected)
    if origin in (typing.Union, types.UnionType):
        return any(_conforms(value, argument) for argument in arguments)
    if expected is type(None) or expected is None:
        return value is None
    if expected is bool:
        return isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected is str:
        return isinstance(value, str)
    container = origin or expected
    if container in (list, tuple, Sequence, typing.Sequence):
        if not isinstance(value, list):
            return False
        if container is tuple and arguments and arguments[-1] is not Ellipsis:
            return len(value) == len(arguments) and all(_conforms(v, a) for v, a in zip(value, arguments, strict=True))
        return not arguments or all(_conforms(item, arguments[0]) for item in value)
    if container in (dict, Mapping, typing.Mapping):
        return isinstance(value, dict)
    return True  # an annotation this module does not model: the constructor decides


def _describe(expected: Any) -> str:
    if expected is float:
        return "a number"
    if expected is bool:
        return "a bool (true or false)"
    if isinstance(expected, type) and typing.get_origin(expected) is None:
        return f"a {expected.__name__}"
    return str(expected).replace("typing.", "")


def _describe_value(value: Any) -> str:
    return f"{type(value).__name__} {shown(value)}"
