"""What the server does for MuJoCo envs beyond Gymnasium: their warnings, and whether they can draw.

Warnings. MuJoCo prints each warning and appends it to ``MUJOCO_LOG.TXT`` in the working
directory (MuJoCo 4 warns at every make of the v5 models, about an XML attribute they use), so a
server would grow that file wherever it was started. They go to the server's log instead.

Frames. MuJoCo steps without any display, but its frames need an OpenGL context: Gymnasium's
renderer takes the backend named by ``MUJOCO_GL`` (``egl`` and ``osmesa`` work off-screen, ``glfw``
needs a display) and, when it is unset, the first of glfw, egl, osmesa that imports. A missing
library only shows at the first ``render()``, after the client has made, reset and stepped the
env; so a session that asks for frames of a MuJoCo env is refused at make instead, when this
process cannot render one. The answer is found once, by rendering a one-geom model the way
Gymnasium's envs do (about a second, in a worker thread), and kept for the life of the process.
"""

from __future__ import annotations

import functools
import logging
import os

log = logging.getLogger(__name__)

MUJOCO_FAMILY = "mujoco"

_PROBE_MODEL = "<mujoco><worldbody><geom size='1'/></worldbody></mujoco>"

HOW_TO_RENDER = (
    "start the server with MUJOCO_GL=egl (needs libEGL and Mesa; Debian: libegl1 libgl1-mesa-dri) or "
    "MUJOCO_GL=osmesa (libosmesa6), or make the env without render_mode to step it"
)


def log_mujoco_warnings() -> None:
    """Sends MuJoCo's warnings to this module's logger instead of stderr and MUJOCO_LOG.TXT."""
    try:
        import mujoco
    except Exception:  # not installed, or MUJOCO_GL names a backend whose libraries are missing
        return
    mujoco.set_mju_user_warning(lambda message: log.warning("MuJoCo: %s", message))


@functools.cache
def mujoco_frames_unavailable() -> str | None:
    """None when a MuJoCo env can render rgb_array frames here, else why it cannot."""
    chosen = os.environ.get("MUJOCO_GL")
    backend = f"MUJOCO_GL={chosen}" if chosen is not None else "MUJOCO_GL unset: glfw, then egl, then osmesa"
    try:
        import mujoco
        from gymnasium.envs.mujoco.mujoco_rendering import OffScreenViewer

        model = mujoco.MjModel.from_xml_string(_PROBE_MODEL)
        viewer = OffScreenViewer(model, mujoco.MjData(model), width=8, height=8)
        try:
            viewer.render(render_mode="rgb_array")
        finally:
            viewer.close()
    except Exception as error:  # any of the backends' import, context and rendering errors
        return f"MuJoCo found no working OpenGL ({backend}): {type(error).__name__}: {error}"
    return None
