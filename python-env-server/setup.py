"""Build hook: generate the gRPC stubs from the gymlink.v1 .proto files.

The stubs are never committed. They are written into src/gymlink_server/_proto/
(git-ignored) before the normal build_py step copies the package, so regular
installs, editable installs and wheels all carry them.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

PACKAGE_ROOT = Path(__file__).resolve().parent
STUB_DIR = PACKAGE_ROOT / "src" / "gymlink_server" / "_proto"
PROTO_FILES = ("gymlink/v1/values.proto", "gymlink/v1/env_service.proto")


def find_proto_root() -> Path:
    """The directory holding gymlink/v1/*.proto.

    GYMLINK_PROTO_DIR wins; then ./proto (an sdist, or a copy made for a build
    context); then ../proto (the repository layout).
    """
    candidates = []
    if os.environ.get("GYMLINK_PROTO_DIR"):
        candidates.append(Path(os.environ["GYMLINK_PROTO_DIR"]))
    candidates += [PACKAGE_ROOT / "proto", PACKAGE_ROOT.parent / "proto"]
    for candidate in candidates:
        if all((candidate / name).is_file() for name in PROTO_FILES):
            return candidate.resolve()
    raise FileNotFoundError(
        "gymlink .proto files not found; looked in "
        + ", ".join(str(c) for c in candidates)
        + " (set GYMLINK_PROTO_DIR to the directory that contains gymlink/v1/)"
    )


def generate_stubs() -> None:
    from grpc_tools import protoc  # build-time dependency, see pyproject.toml

    proto_root = find_proto_root()
    include_dir = Path(protoc.__file__).resolve().parent / "_proto"
    work_dir = STUB_DIR.parent / "_proto_build"
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)
    try:
        args = [
            "grpc_tools.protoc",
            f"-I{proto_root}",
            f"-I{include_dir}",
            f"--python_out={work_dir}",
            f"--pyi_out={work_dir}",
            f"--grpc_python_out={work_dir}",
            *(str(proto_root / name) for name in PROTO_FILES),
        ]
        if protoc.main(args) != 0:
            raise RuntimeError(f"protoc failed: {' '.join(args)}")
        STUB_DIR.mkdir(exist_ok=True)
        for generated in (work_dir / "gymlink" / "v1").iterdir():
            text = generated.read_text()
            # protoc writes imports relative to the proto root (gymlink.v1.x); the
            # stubs live flat inside gymlink_server._proto instead.
            text = re.sub(r"^from gymlink\.v1 import", "from gymlink_server._proto import", text, flags=re.M)
            (STUB_DIR / generated.name).write_text(text)
        (STUB_DIR / "__init__.py").write_text('"""Generated from proto/gymlink/v1 at build time; do not edit."""\n')
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


class BuildPyWithStubs(build_py):
    def run(self) -> None:
        generate_stubs()
        super().run()


class SdistWithProto(sdist):
    """An sdist carries the .proto files so that it builds away from the repository."""

    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        proto_root = find_proto_root()
        for name in PROTO_FILES:
            target = Path(base_dir) / "proto" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(proto_root / name, target)


setup(cmdclass={"build_py": BuildPyWithStubs, "sdist": SdistWithProto})
