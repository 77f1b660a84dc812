"""Builds kafkac._kafkac, statically linked with the kafkac C library of this
source tree.

Where the library comes from (environment variables):
  KAFKAC_SOURCE_DIR   the kafkac source tree (default: ../.., this package's
                      place in it; set it when building a copy of the package)
  KAFKAC_BUILD_DIR    directory with libkafkac.a (default: build/ of the tree,
                      i.e. `make lib`'s output)
  KAFKAC_INCLUDE_DIR  directory with kafkac.h (default: include/ of the tree)
  KAFKAC_LIBS         the libraries libkafkac.a needs, as linker flags (default:
                      PKG_LIBS of the tree's Makefile.config plus -lpthread -lm)
"""
import os
import shlex

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
TREE = os.path.abspath(os.environ.get("KAFKAC_SOURCE_DIR") or os.path.join(HERE, "..", ".."))


def _path(var, default):
    p = os.environ.get(var)
    return os.path.abspath(p) if p else default


build_dir = _path("KAFKAC_BUILD_DIR", os.path.join(TREE, "build"))
include_dir = _path("KAFKAC_INCLUDE_DIR", os.path.join(TREE, "include"))
static_lib = os.path.join(build_dir, "libkafkac.a")
if not os.path.exists(static_lib):
    raise SystemExit(
        "kafkac: %s not found. Build the C library first (`make lib` at the top of the "
        "source tree) or set KAFKAC_BUILD_DIR to the directory holding libkafkac.a." % static_lib)
if not os.path.exists(os.path.join(include_dir, "kafkac.h")):
    raise SystemExit("kafkac: kafkac.h not found in %s (set KAFKAC_INCLUDE_DIR)" % include_dir)


def _libs():
    if os.environ.get("KAFKAC_LIBS"):
        flags = shlex.split(os.environ["KAFKAC_LIBS"])
    else:
        flags = []
        cfg = os.path.join(TREE, "Makefile.config")
        if os.path.exists(cfg):
            for line in open(cfg):
                if line.startswith("PKG_LIBS"):
                    flags = shlex.split(line.split("=", 1)[1])
        else:
            flags = "-lssl -lcrypto -lz -lzstd -llz4 -lsnappy -lsasl2".split()
        flags += ["-lpthread", "-lm"]
    libs = [f[2:] for f in flags if f.startswith("-l")]
    libdirs = [f[2:] for f in flags if f.startswith("-L")]
    return libs, libdirs


libs, libdirs = _libs()
sources = sorted(os.path.join("src", f) for f in os.listdir(os.path.join(HERE, "src"))
                 if f.endswith(".c"))

ext = Extension(
    "kafkac._kafkac",
    sources=sources,
    include_dirs=[include_dir, "src"],
    depends=[os.path.join("src", "kafkac_py.h"), static_lib, os.path.join(include_dir, "kafkac.h")],
    extra_objects=[static_lib],
    libraries=libs,
    library_dirs=libdirs,
    extra_compile_args=["-std=gnu11", "-Wall", "-Wno-missing-field-initializers"],
    # Keep the C library's kc_ symbols out of the extension's dynamic symbol table.
    extra_link_args=["-Wl,--exclude-libs,ALL"],
)

setup(ext_modules=[ext])
