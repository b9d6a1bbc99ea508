"""Registers the test-only envs of ../structured_envs.py when an interpreter starts with this directory on PYTHONPATH.

Python imports ``sitecustomize`` at start-up, before ``-m gymlink_server`` builds its env catalog, so an env
server started this way (the Java tests' ``PythonEnvServer.startWithTestEnvs()``) also serves the
``GymlinkTest/Echo*`` envs. Nothing else puts this directory on a path.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import structured_envs  # noqa: E402  (needs the path above)

structured_envs.register()
