"""gymlink.v1.EnvService on grpc.aio: ListEnvs and the Session stream.

Env calls that are quick (CartPole steps take microseconds) run on the event
loop itself, since a hop to a worker thread costs more than the step. A
session whose calls take longer than SLOW_CALL_S several times in a row moves
its env calls to the worker pool so that it cannot stall other sessions, and
moves back after a long run of quick calls (a single hiccup of a loaded
machine moves nothing).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import itertools
import logging
import platform
import secrets
import time
from collections.abc import Callable
from typing import Any

import grpc
import gymnasium as gym
from gymnasium.error import DependencyNotInstalled
from gymnasium.vector import AutoresetMode

from gymlink_server import PROTOCOL_VERSION, __version__, codec
from gymlink_server._proto import env_service_pb2 as pb
from gymlink_server._proto import env_service_pb2_grpc as pb_grpc
from gymlink_server.catalog import CatalogEntry, EnvCatalog, spec_to_proto
from gymlink_server.config import FLAG_OF, ServerConfig
from gymlink_server.errors import (
    RequestError,
    StreamError,
    failed_precondition,
    forget_traceback,
    invalid_argument,
    shorten,
    shown,
    shown_list,
)
from gymlink_server.mujoco_envs import HOW_TO_RENDER, MUJOCO_FAMILY, log_mujoco_warnings, mujoco_frames_unavailable
from gymlink_server.runners import EnvRequest, EnvRunner, open_runner

log = logging.getLogger(__name__)

# Steps one replayed history may hold: a time limit far above any registered env's, still bounded.
MAX_REPLAY_STEPS = 1_000_000
SLOW_CALL_S = 0.005
SLOW_STREAK_TO_OFFLOAD = 3
QUICK_STREAK_TO_INLINE = 200

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["EnvService"].full_name

_TO_WIRE_MODE = {
    AutoresetMode.SAME_STEP: pb.AUTORESET_MODE_SAME_STEP,
    AutoresetMode.NEXT_STEP: pb.AUTORESET_MODE_NEXT_STEP,
}
_FROM_WIRE_MODE = {
    pb.AUTORESET_MODE_UNSPECIFIED: AutoresetMode.SAME_STEP,
    pb.AUTORESET_MODE_SAME_STEP: AutoresetMode.SAME_STEP,
    pb.AUTORESET_MODE_NEXT_STEP: AutoresetMode.NEXT_STEP,
}


class IdleWatchdog:
    """Cancels a session's task once its client has sent nothing for ``timeout_s`` while the server waited.

    One timer per session, re-armed only when it fires: the per-request cost is
    two attribute writes, where a timeout around every read would cost a timer each.
    The timeout changes once, after make (a new stream gets the make timeout, a
    session the idle timeout); 0 disarms it.
    """

    def __init__(self, timeout_s: float, task: asyncio.Task) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = task
        self._waiting_since: float | None = self._loop.time()
        self.expired = False
        self._timer: asyncio.TimerHandle | None = None
        self._timeout_s = 0.0
        self.set_timeout(timeout_s)

    def set_timeout(self, timeout_s: float) -> None:
        self.stop()
        self._timeout_s = timeout_s
        if timeout_s > 0:
            self._timer = self._loop.call_later(timeout_s, self._check)

    def mark_busy(self) -> None:
        """A request arrived; the server is working on it."""
        self._waiting_since = None

    def mark_waiting(self) -> None:
        """The answer went out; the client's turn."""
        self._waiting_since = self._loop.time()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _check(self) -> None:
        since = self._waiting_since
        if since is not None and self._loop.time() - since >= self._timeout_s:
            self.expired = True
            self._task.cancel()
            return
        remaining = self._timeout_s if since is None else self._timeout_s - (self._loop.time() - since)
        self._timer = self._loop.call_later(max(remaining, 0.001), self._check)


class MalformedRequest:
    """Stands in for a message whose bytes do not parse, so that the servicer answers it like any bad request."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def refusal(self, message_type: str) -> RequestError:
        return invalid_argument(f"malformed {message_type}: its bytes do not parse ({shorten(self.reason, 200)})")


def tolerant_parser(message_class: Any) -> Callable[[bytes], Any]:
    """A request deserializer that never raises: grpc would answer UNKNOWN and log a traceback per message."""

    def parse(data: bytes) -> Any:
        try:
            return message_class.FromString(data)
        except Exception as error:  # DecodeError, also for upb's nesting limit (Values nested ~50 deep)
            # "Error parsing message with type 'X': reason" -> "reason"
            return MalformedRequest(str(error).rpartition("': ")[2] or type(error).__name__)

    return parse


def add_to_server(service: EnvService, server: grpc.aio.Server) -> None:
    """Registers EnvService as the generated add_EnvServiceServicer_to_server does, with tolerant parsing."""
    handlers = {
        "ListEnvs": grpc.unary_unary_rpc_method_handler(
            service.ListEnvs,
            request_deserializer=tolerant_parser(pb.ListEnvsRequest),
            response_serializer=pb.ListEnvsResponse.SerializeToString,
        ),
        "Session": grpc.stream_stream_rpc_method_handler(
            service.Session,
            request_deserializer=tolerant_parser(pb.SessionRequest),
            response_serializer=pb.SessionResponse.SerializeToString,
        ),
    }
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE_NAME, handlers),))
    server.add_registered_method_handlers(SERVICE_NAME, handlers)


class LiveSession:
    """One open Session stream and its env."""

    def __init__(self, session_id: str, env_id: str, num_envs: int, peer: str) -> None:
        self.session_id = session_id
        self.env_id = env_id
        self.num_envs = num_envs
        self.peer = peer
        self.started = time.monotonic()
        self.runner: EnvRunner | None = None
        self.first_reset_seed: int | None = None
        self.offload = False
        self._slow_streak = 0
        self._quick_streak = 0
        # An env call running on a worker thread; the env is closed only after it returns.
        self.in_flight: asyncio.Future | None = None
        self._steps_at_close = 0

    @property
    def env_steps(self) -> int:
        return self.runner.env_steps if self.runner is not None else self._steps_at_close

    def record_call(self, seconds: float) -> None:
        """Chooses where the next env calls run from how long the recent ones took."""
        if seconds > SLOW_CALL_S:
            self._slow_streak += 1
            self._quick_streak = 0
        else:
            self._quick_streak += 1
            self._slow_streak = 0
        if not self.offload and self._slow_streak >= SLOW_STREAK_TO_OFFLOAD:
            self.offload = True
            log.debug("session %s: slow env calls, moving them to worker threads", self.session_id)
        elif self.offload and self._quick_streak >= QUICK_STREAK_TO_INLINE:
            self.offload = False

    def close_env_when_idle(self) -> None:
        in_flight = self.in_flight
        if in_flight is not None and not in_flight.done():
            in_flight.add_done_callback(lambda _: self.close_env())
        else:
            self.close_env()

    def close_env(self) -> None:
        runner, self.runner = self.runner, None
        if runner is None:
            return
        self._steps_at_close = runner.env_steps
        try:
            runner.close()
        except Exception:
            log.exception("session %s: closing %s raised", self.session_id, self.env_id)


class EnvService(pb_grpc.EnvServiceServicer):
    def __init__(self, config: ServerConfig, catalog: EnvCatalog, executor: concurrent.futures.Executor) -> None:
        self._config = config
        self._catalog = catalog
        self._executor = executor
        log_mujoco_warnings()
        self._sessions: dict[str, LiveSession] = {}
        # Streams that hold a slot of max_sessions: every open Session stream, made or not.
        self._open_streams = 0
        # Env copies of all made sessions together, against max_total_envs.
        self._env_copies = 0
        self._session_numbers = itertools.count(1)
        # Distinguishes this process's sessions from a restarted server's in logs and client reports.
        self._id_prefix = secrets.token_hex(3)
        self._accepting = True
        self._env_list = [spec_to_proto(entry.spec, entry.family) for entry in catalog.entries]
        self._capabilities = pb.Capabilities(
            vector=True,
            render=importlib.util.find_spec("pygame") is not None,
            same_step_autoreset=True,
            next_step_autoreset=True,
        )

    @property
    def active_sessions(self) -> int:
        """Open Session streams, counting those that have not sent make yet."""
        return self._open_streams

    def stop_accepting(self) -> None:
        self._accepting = False

    def close_all(self) -> None:
        """Last resort at shutdown: closes every env that is still open."""
        for session in list(self._sessions.values()):
            session.close_env()
        self._sessions.clear()

    # ------------------------------------------------------------------ ListEnvs

    async def ListEnvs(self, request: Any, context: grpc.aio.ServicerContext) -> pb.ListEnvsResponse | None:
        if isinstance(request, MalformedRequest):
            _refuse(context, request.refusal("ListEnvsRequest"))
            return None
        return pb.ListEnvsResponse(
            envs=self._env_list,
            server=pb.ServerInfo(
                server_version=__version__,
                protocol_version=PROTOCOL_VERSION,
                gymnasium_version=gym.__version__,
                python_version=platform.python_version(),
                capabilities=self._capabilities,
                max_sessions=self._config.max_sessions,
                max_message_bytes=self._config.max_message_bytes,
                active_sessions=self.active_sessions,
                unavailable_families=self._catalog.unavailable_families,
            ),
        )

    # ------------------------------------------------------------------ Session

    async def Session(self, request_iterator: Any, context: grpc.aio.ServicerContext) -> None:
        if self._open_streams >= self._config.max_sessions:  # before a byte is read: waiting streams count too
            _refuse(context, self._server_full())
            return
        self._open_streams += 1
        session: LiveSession | None = None
        end_reason = "stream ended"
        refusal: RequestError | None = None
        watchdog = None
        if self._config.make_timeout_s > 0 or self._config.idle_timeout_s > 0:
            watchdog = IdleWatchdog(self._config.make_timeout_s, asyncio.current_task())
        try:
            first = await self._read(context, watchdog)
            if first is grpc.aio.EOF:
                return
            session = await self._open(first, context)
            first = None  # a session lives long; the make request need not
            if watchdog is not None:
                watchdog.set_timeout(self._config.idle_timeout_s)
            end_reason = await self._serve(session, context, watchdog)
        except StreamError as error:
            forget_traceback(error)
            refusal = error
        except asyncio.CancelledError:
            if watchdog is None or not watchdog.expired:
                end_reason = "cancelled (client went away or server shut down)"
                raise
            asyncio.current_task().uncancel()
            refusal = self._timed_out(made=session is not None)
        finally:
            self._open_streams -= 1
            if watchdog is not None:
                watchdog.stop()
            if session is not None:
                self._forget(session)
        if refusal is not None:
            end_reason = f"{refusal.code.name}: {refusal.message}"
            _refuse(context, refusal)
        if session is not None:
            log.info(
                "session %s end: env=%s steps=%d duration=%.1fs reason=%s",
                session.session_id,
                session.env_id,
                session.env_steps,
                time.monotonic() - session.started,
                end_reason,
            )
        elif refusal is not None:
            log.info("stream from %s refused: %s", context.peer(), end_reason)

    def _server_full(self) -> StreamError:
        return StreamError(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            f"server is full: {self._open_streams} of {self._config.max_sessions} sessions open "
            f"(server limit {FLAG_OF['max_sessions']})",
        )

    def _timed_out(self, made: bool) -> StreamError:
        if made:
            timeout = self._config.idle_timeout_s
            message = f"no request for {timeout:g} s (server idle timeout, {FLAG_OF['idle_timeout_s']} {timeout:g})"
        else:
            timeout = self._config.make_timeout_s
            message = (
                f"no make within {timeout:g} s of the stream's start "
                f"(server make timeout, {FLAG_OF['make_timeout_s']} {timeout:g})"
            )
        return StreamError(grpc.StatusCode.DEADLINE_EXCEEDED, f"{message}; session closed")

    @staticmethod
    async def _read(context: grpc.aio.ServicerContext, watchdog: IdleWatchdog | None) -> Any:
        request = await context.read()
        if watchdog is not None:
            watchdog.mark_busy()
        return request

    async def _open(self, first: Any, context: grpc.aio.ServicerContext) -> LiveSession:
        if isinstance(first, MalformedRequest):
            raise _as_stream_error(first.refusal("SessionRequest"))
        if first.WhichOneof("request") != "make":
            raise StreamError(
                grpc.StatusCode.FAILED_PRECONDITION,
                f"the first request of a session must be make, got {first.WhichOneof('request') or 'an empty request'}",
            )
        make = first.make
        if not self._accepting:
            raise StreamError(grpc.StatusCode.UNAVAILABLE, "server is shutting down; not opening new sessions")
        entry = self._catalog.resolve(make.env_id)
        request = self._env_request(make, entry)
        seed = make.seed if make.HasField("seed") else None
        if seed is not None and seed < 0:
            raise StreamError(grpc.StatusCode.INVALID_ARGUMENT, f"seed must be >= 0, got {seed}")
        if self._env_copies + request.num_envs > self._config.max_total_envs:
            raise StreamError(
                grpc.StatusCode.RESOURCE_EXHAUSTED,
                f"num_envs {request.num_envs} would bring this server to {self._env_copies + request.num_envs} env "
                f"copies, over its limit of {self._config.max_total_envs} ({FLAG_OF['max_total_envs']}); "
                f"{self._env_copies} are in use",
            )
        session = LiveSession(
            f"{self._id_prefix}-s{next(self._session_numbers)}", entry.env_id, request.num_envs, context.peer()
        )
        session.first_reset_seed = seed
        self._sessions[session.session_id] = session  # claimed before the slow make, so limits hold
        self._env_copies += session.num_envs
        try:
            session.runner = await self._build_runner(request, entry)
            made = self._made(session, entry, request)
            log.info(
                "session %s start: env=%s num_envs=%d kind=%s peer=%s",
                session.session_id,
                entry.env_id,
                session.runner.num_envs,
                session.runner.description,
                session.peer,
            )
            await context.write(pb.SessionResponse(made=made))
        except BaseException:
            self._forget(session)
            raise
        return session

    def _forget(self, session: LiveSession) -> None:
        """Closes the session's env (once a running call returns) and gives back its slot and copies."""
        session.close_env_when_idle()
        if self._sessions.pop(session.session_id, None) is not None:
            self._env_copies -= session.num_envs

    def _env_request(self, make: pb.Make, entry: CatalogEntry) -> EnvRequest:
        num_envs = make.num_envs or 1
        if num_envs < 0:
            raise StreamError(grpc.StatusCode.INVALID_ARGUMENT, f"num_envs must be positive, got {make.num_envs}")
        if num_envs > self._config.max_num_envs:
            raise StreamError(
                grpc.StatusCode.RESOURCE_EXHAUSTED,
                f"num_envs {num_envs} is over this server's limit of {self._config.max_num_envs} "
                f"({FLAG_OF['max_num_envs']})",
            )
        if make.HasField("render_mode") and make.render_mode != "rgb_array":
            raise StreamError(
                grpc.StatusCode.INVALID_ARGUMENT,
                f'render_mode {shown(make.render_mode)} is not served; only "rgb_array" is',
            )
        if make.autoreset_mode not in _FROM_WIRE_MODE:
            raise StreamError(grpc.StatusCode.INVALID_ARGUMENT, f"unknown autoreset_mode {make.autoreset_mode}")
        self._catalog.check_kwarg_names(entry, make.kwargs.keys())
        try:
            kwargs = codec.python_from_map(make.kwargs, self._config.value_limits, "kwargs")
        except RequestError as error:
            raise _as_stream_error(error) from None
        self._catalog.check_kwarg_values(entry, kwargs, self._config.max_map_cells)
        try:
            return EnvRequest(
                env_id=entry.env_id,
                num_envs=num_envs,
                vector=make.vector or num_envs > 1,
                render_mode=make.render_mode if make.HasField("render_mode") else None,
                max_episode_steps=make.max_episode_steps if make.HasField("max_episode_steps") else None,
                autoreset_mode=_FROM_WIRE_MODE[make.autoreset_mode],
                kwargs=kwargs,
            )
        except RequestError as error:
            raise _as_stream_error(error) from None

    async def _build_runner(self, request: EnvRequest, entry: CatalogEntry) -> EnvRunner:
        loop = asyncio.get_running_loop()
        if request.render_mode is not None and entry.family == MUJOCO_FAMILY:
            cannot_render = await loop.run_in_executor(self._executor, mujoco_frames_unavailable)
            if cannot_render is not None:
                raise StreamError(
                    grpc.StatusCode.FAILED_PRECONDITION,
                    f'{entry.env_id} cannot render "{request.render_mode}" frames on this server: {cannot_render}; '
                    f"{HOW_TO_RENDER}",
                )
        future = loop.run_in_executor(self._executor, open_runner, request, entry.spec.vector_entry_point)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            # The stream went away while the env was being made: close it once it exists.
            future.add_done_callback(_close_when_made)
            raise
        except (DependencyNotInstalled, ImportError) as error:
            # ImportError too: Gymnasium raises it where an installed package is of the wrong version
            # (Pusher-v4 and the other MuJoCo v4 envs it limits to mujoco<3).
            raise StreamError(
                grpc.StatusCode.FAILED_PRECONDITION, f"{entry.env_id} needs a missing dependency: {error}"
            ) from None
        except Exception as error:
            reason = f"{type(error).__name__}: {error}"
            if request.kwargs:  # a kwarg value the constructor rejects is the likely cause
                raise StreamError(
                    grpc.StatusCode.INVALID_ARGUMENT,
                    f"making {entry.env_id} with kwargs {sorted(request.kwargs)} failed: {shorten(reason)}",
                ) from None
            log.exception("making %s failed", entry.env_id)
            raise StreamError(grpc.StatusCode.INTERNAL, f"making {entry.env_id} failed: {reason}") from None

    def _made(self, session: LiveSession, entry: CatalogEntry, request: EnvRequest) -> pb.Made:
        runner = session.runner
        assert runner is not None
        try:
            observation_space = codec.space_to_proto(runner.observation_space)
            action_space = codec.space_to_proto(runner.action_space)
        except codec.UnconvertibleValue as error:
            raise StreamError(grpc.StatusCode.UNIMPLEMENTED, f"{entry.env_id}: {error}") from None
        return pb.Made(
            observation_space=observation_space,
            action_space=action_space,
            spec=spec_to_proto(entry.spec, entry.family, request.max_episode_steps),
            num_envs=runner.num_envs,
            autoreset_mode=_TO_WIRE_MODE[runner.autoreset_mode] if runner.vector else pb.AUTORESET_MODE_UNSPECIFIED,
            session_id=session.session_id,
            vector=runner.vector,
        )

    async def _serve(
        self, session: LiveSession, context: grpc.aio.ServicerContext, watchdog: IdleWatchdog | None
    ) -> str:
        """Answers requests in lockstep until close or end of stream; returns why it ended."""
        loop = asyncio.get_running_loop()
        while True:
            if watchdog is not None:
                watchdog.mark_waiting()
            request = await self._read(context, watchdog)
            if request is grpc.aio.EOF:
                return "client ended the stream"
            kind = "malformed" if isinstance(request, MalformedRequest) else request.WhichOneof("request")
            if kind == "close":
                steps = session.env_steps
                session.close_env()
                await context.write(pb.SessionResponse(closed=pb.Closed(env_steps=steps)))
                return "closed by client"
            if session.offload or kind == "render" or kind == "replay":
                session.in_flight = loop.run_in_executor(self._executor, self._timed_answer, session, request, kind)
                response = await asyncio.shield(session.in_flight)
                session.in_flight = None
            else:
                response = self._timed_answer(session, request, kind)
            await context.write(response)

    def _timed_answer(self, session: LiveSession, request: Any, kind: str | None) -> pb.SessionResponse:
        started = time.perf_counter()
        response = self._answer(session, request, kind)
        if kind == "step" or kind == "reset":  # renders always run on a worker thread
            session.record_call(time.perf_counter() - started)
        return response

    def _answer(self, session: LiveSession, request: Any, kind: str | None) -> pb.SessionResponse:
        runner = session.runner
        assert runner is not None
        try:
            if kind == "malformed":
                raise request.refusal("SessionRequest")
            if kind == "step":
                return self._step(runner, request.step)
            if kind == "reset":
                return self._reset(session, runner, request.reset)
            if kind == "render":
                return self._render(runner, request.render)
            if kind == "replay":
                return self._replay(runner, request.replay)
            if kind == "make":
                raise failed_precondition(f"this session already has an env ({session.env_id}); make comes only first")
            raise invalid_argument("empty request: set one of make, reset, step, render, replay, close")
        except RequestError as error:
            if kind == "malformed":
                log.info("session %s: %s", session.session_id, error.message)
            return _error_response(error.code_number, error.message)
        except Exception as error:
            log.warning("session %s: %s raised during %s", session.session_id, session.env_id, kind, exc_info=True)
            return _error_response(
                grpc.StatusCode.INTERNAL.value[0], f"{session.env_id} raised {type(error).__name__}: {error}"
            )

    def _step(self, runner: EnvRunner, step: pb.Step) -> pb.SessionResponse:
        actions = codec.decode_batch(runner.action_space, step.actions, runner.num_envs)
        outcome = runner.step(actions, step.autoreset_seed if step.HasField("autoreset_seed") else None)
        response = pb.SessionResponse()
        result = response.step_result
        codec.encode_batch(runner.observation_space, outcome.observations, result.observations)
        result.rewards.extend(outcome.rewards)
        result.terminated.extend(outcome.terminated)
        result.truncated.extend(outcome.truncated)
        for final in outcome.final_observations:
            message = result.final_observations.add(env_index=final.env_index)
            codec.fill_element(message.observation, runner.observation_space, final.observation)
            if final.info:
                codec.fill_info(message.info, final.info)
        for info in outcome.infos:
            codec.fill_info(result.infos.add(), info)
        return response

    def _replay(self, runner: EnvRunner, replay: pb.Replay) -> pb.SessionResponse:
        histories: list[tuple[int, list[Any]]] = []
        for index, history in enumerate(replay.envs):
            if history.seed < 0:
                raise invalid_argument(f"replay seed of env {index} must be >= 0, got {history.seed}")
            if not 0 <= history.num_steps <= MAX_REPLAY_STEPS:
                raise invalid_argument(
                    f"replay of env {index} has {history.num_steps} steps, allowed 0..{MAX_REPLAY_STEPS}"
                )
            actions: list[Any] = []
            if history.num_steps:
                batch = codec.decode_batch(
                    runner.action_space, history.actions, history.num_steps, f"replayed action of env {index}"
                )
                actions = [codec.element_of_batch(runner.action_space, batch, k) for k in range(history.num_steps)]
            histories.append((history.seed, actions))
        replayed = runner.replay(histories)
        response = pb.SessionResponse()
        for observations in replayed:
            codec.encode_batch(runner.observation_space, observations, response.replayed.observations.add())
        return response

    def _reset(self, session: LiveSession, runner: EnvRunner, reset: pb.Reset) -> pb.SessionResponse:
        if reset.HasField("seed"):
            seed: int | None = reset.seed
        else:
            seed = session.first_reset_seed
        if seed is not None and seed < 0:
            raise invalid_argument(f"seed must be >= 0, got {seed}")
        options = codec.python_from_map(reset.options, self._config.value_limits, "reset options")
        try:
            outcome = runner.reset(seed, options)
        except RequestError:
            raise
        except Exception as error:
            if not options:
                raise  # a fault of the env or the server, not of the request
            raise invalid_argument(
                f"{session.env_id} refused reset options {shown_list(sorted(options))}: "
                f"{type(error).__name__}: {shorten(str(error))}"
            ) from None
        session.first_reset_seed = None
        response = pb.SessionResponse()
        result = response.reset_result
        codec.encode_batch(runner.observation_space, outcome.observations, result.observations)
        for info in outcome.infos:
            codec.fill_info(result.infos.add(), info)
        return response

    def _render(self, runner: EnvRunner, render: pb.Render) -> pb.SessionResponse:
        frame = runner.render(render.env_index)
        # Leave room for the envelope so that an oversized frame is an error, not a dead stream.
        if frame.nbytes > self._config.max_message_bytes - 1024:
            raise RequestError(
                grpc.StatusCode.RESOURCE_EXHAUSTED,
                f"frame of {frame.nbytes} bytes is over the message cap of {self._config.max_message_bytes} "
                f"({FLAG_OF['max_message_bytes']})",
            )
        response = pb.SessionResponse()
        codec.fill_tensor(response.frame.rgb, frame)
        return response


def _refuse(context: grpc.aio.ServicerContext, error: RequestError) -> None:
    """Ends the call with the error's status. Unlike context.abort, this raises nothing that could hold frames."""
    context.set_code(error.code)
    context.set_details(error.message)


def _as_stream_error(error: RequestError) -> StreamError:
    return StreamError(error.code, error.message)


def _error_response(code: int, message: str) -> pb.SessionResponse:
    return pb.SessionResponse(error=pb.Error(code=code, message=message))


def _close_when_made(future: asyncio.Future) -> None:
    if not future.cancelled() and future.exception() is None:
        runner: EnvRunner = future.result()
        runner.close()
