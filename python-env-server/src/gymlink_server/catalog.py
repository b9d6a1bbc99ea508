"""Which environments a client may make, and with which arguments.

Gymnasium's ``make`` imports the module named in an id of the form
``module:Env``, so env ids are only ever looked up in the registry: an id with a
colon is refused before Gymnasium sees it, and only registered ids that match
the allowlist (and whose dependencies import) can be made.
"""

from __future__ import annotations

import difflib
import fnmatch
import importlib
import logging
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import grpc
import gymnasium as gym
from gymnasium.envs.registration import EnvSpec

from gymlink_server._proto import env_service_pb2 as pb
from gymlink_server.errors import RequestError, StreamError, shown, shown_list
from gymlink_server.kwarg_rules import ParamRule, param_rules

log = logging.getLogger(__name__)

# Keyword arguments that Make carries in its own fields, never through kwargs.
RESERVED_KWARGS = frozenset({"render_mode", "max_episode_steps"})


# Ids longer than any registered one are not worth a close-match search (its cost grows with the id's length).
MAX_MATCHED_ID_CHARS = 100


@dataclass(frozen=True)
class CatalogEntry:
    spec: EnvSpec
    family: str
    # What each named parameter of the env's constructor accepts.
    params: Mapping[str, ParamRule]

    @property
    def env_id(self) -> str:
        return self.spec.id

    @property
    def has_native_vector(self) -> bool:
        return self.spec.vector_entry_point is not None


class EnvCatalog:
    """The env ids this server allows, resolved once at start-up."""

    def __init__(self, allow_patterns: Iterable[str] = ()) -> None:
        self.allow_patterns = tuple(allow_patterns)
        self._entries: dict[str, CatalogEntry] = {}
        self._unavailable: dict[str, str] = {}
        for env_id, spec in sorted(gym.registry.items()):
            if ":" in env_id or not self._pattern_allows(env_id):
                continue
            entry = self._load(spec)
            if entry is not None:
                self._entries[env_id] = entry

    @property
    def entries(self) -> list[CatalogEntry]:
        return list(self._entries.values())

    @property
    def unavailable_families(self) -> list[str]:
        """E.g. ``"box2d: No module named 'Box2D'"``, for ListEnvs."""
        return [f"{family}: {reason}" for family, reason in sorted(self._unavailable.items())]

    def resolve(self, env_id: str) -> CatalogEntry:
        """The entry for ``env_id``, or the StreamError that refuses it."""
        if ":" in env_id:
            raise StreamError(
                grpc.StatusCode.PERMISSION_DENIED,
                f"env id {shown(env_id)} uses module:Env import syntax, which this server never accepts",
            )
        entry = self._entries.get(env_id)
        if entry is not None:
            return entry
        if env_id in gym.registry:
            family = _family(gym.registry[env_id])
            if family in self._unavailable and self._pattern_allows(env_id):
                raise StreamError(
                    grpc.StatusCode.FAILED_PRECONDITION,
                    f"env id {shown(env_id)} needs the {family} family, which is not available here: "
                    f"{self._unavailable[family]}",
                )
            raise StreamError(
                grpc.StatusCode.PERMISSION_DENIED,
                f"env id {shown(env_id)} is not on this server's allowlist {list(self.allow_patterns) or '(default)'}",
            )
        close = []
        if len(env_id) <= MAX_MATCHED_ID_CHARS:
            close = difflib.get_close_matches(env_id, list(self._entries), n=5, cutoff=0.5)
        hint = f"; close matches: {', '.join(close)}" if close else ""
        raise StreamError(grpc.StatusCode.NOT_FOUND, f"unknown env id {shown(env_id)}{hint}")

    def check_kwarg_names(self, entry: CatalogEntry, names: Collection[str]) -> None:
        """Refuses kwargs the env's constructor does not name (also when it takes **kwargs)."""
        reserved = sorted(RESERVED_KWARGS & set(names))
        if reserved:
            raise StreamError(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"kwargs {reserved} for {entry.env_id} must be given as Make fields, not kwargs",
            )
        unknown = sorted(set(names) - entry.params.keys())
        if unknown:
            accepted = sorted(entry.params.keys() - RESERVED_KWARGS)
            raise StreamError(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"kwargs {shown_list(unknown)} are not accepted by {entry.env_id}; "
                f"it accepts {accepted or 'no kwargs'}",
            )

    def check_kwarg_values(self, entry: CatalogEntry, kwargs: Mapping[str, Any], max_map_cells: int) -> None:
        """Refuses values of the wrong type, outside an env's documented range or over a size limit."""
        for name, value in kwargs.items():
            try:
                entry.params[name].check(value, entry.env_id, max_map_cells)
            except RequestError as error:
                raise StreamError(error.code, error.message) from None

    def _pattern_allows(self, env_id: str) -> bool:
        if not self.allow_patterns:
            return True
        return any(fnmatch.fnmatchcase(env_id, pattern) for pattern in self.allow_patterns)

    def _load(self, spec: EnvSpec) -> CatalogEntry | None:
        family = _family(spec)
        if family in self._unavailable:
            return None
        entry_point = spec.entry_point
        if callable(entry_point) and _is_error_stub(entry_point):
            self._unavailable[family] = "registered as a placeholder that raises (dependency not installed)"
            return None
        try:
            creator = _load_creator(entry_point)
        except Exception as error:  # a missing optional dependency shows up as any import-time error
            self._unavailable[family] = f"{type(error).__name__}: {error}"
            log.debug("env family %s unavailable", family, exc_info=True)
            return None
        return CatalogEntry(spec=spec, family=family, params=param_rules(creator))


def spec_to_proto(spec: EnvSpec, family: str, max_episode_steps: int | None = None) -> pb.EnvSpec:
    msg = pb.EnvSpec(
        id=spec.id,
        nondeterministic=spec.nondeterministic,
        entry_point=_entry_point_name(spec.entry_point),
        family=family,
        native_vector=spec.vector_entry_point is not None,
    )
    horizon = max_episode_steps if max_episode_steps is not None else spec.max_episode_steps
    if horizon is not None:
        msg.max_episode_steps = horizon
    if spec.reward_threshold is not None:
        msg.reward_threshold = spec.reward_threshold
    return msg


def _load_creator(entry_point: str | Callable[..., Any]) -> Callable[..., Any]:
    if callable(entry_point):
        return entry_point
    module_name, _, attribute = entry_point.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def _is_error_stub(entry_point: Callable[..., Any]) -> bool:
    # Gymnasium registers ids of uninstalled families (mujoco-py, shimmy) with functions that only raise.
    name = getattr(entry_point, "__name__", "")
    return name.startswith("_raise_") and name.endswith("_error")


def _family(spec: EnvSpec) -> str:
    entry_point = spec.entry_point
    if callable(entry_point):
        name = getattr(entry_point, "__name__", "")
        if _is_error_stub(entry_point):
            return name.removeprefix("_raise_").removesuffix("_error")
        module = getattr(entry_point, "__module__", "") or ""
    else:
        module = entry_point.partition(":")[0]
    parts = module.split(".")
    if parts[:2] == ["gymnasium", "envs"] and len(parts) > 2:
        return parts[2]
    return parts[0] or "unknown"


def _entry_point_name(entry_point: str | Callable[..., Any]) -> str:
    if callable(entry_point):
        return f"{getattr(entry_point, '__module__', '?')}:{getattr(entry_point, '__qualname__', '?')}"
    return entry_point
