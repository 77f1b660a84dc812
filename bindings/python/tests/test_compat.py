"""Programs written for confluent_kafka run with only the import changed.

Each tests/python/compat/NAME.py imports confluent_kafka; the test rewrites the
import with sed (confluent_kafka -> kafkac), runs it against the broker and
compares its output with NAME.out. When the real confluent_kafka is
installed, the unmodified program is also run as a reference."""
import glob
import os
import subprocess
import sys

import pytest

COMPAT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "..",
                                       "tests", "python", "compat"))
PROGRAMS = sorted(glob.glob(os.path.join(COMPAT, "*.py")))


def run(path, bootstrap):
    return subprocess.run([sys.executable, path, bootstrap], capture_output=True, text=True,
                          timeout=300, cwd="/")


def test_programs_found():
    assert len(PROGRAMS) >= 3, COMPAT


@pytest.mark.parametrize("prog", PROGRAMS, ids=[os.path.basename(p) for p in PROGRAMS])
def test_program_runs_with_kafkac(prog, bootstrap, tmp_path):
    src = open(prog).read()
    assert "from confluent_kafka" in src
    out = tmp_path / os.path.basename(prog)
    with open(out, "w") as f:
        subprocess.run(["sed", "-e", r"s/\bconfluent_kafka\b/kafkac/g", prog], stdout=f,
                       check=True)
    assert "confluent_kafka" not in out.read_text()
    r = run(str(out), bootstrap)
    assert r.returncode == 0, r.stderr
    assert r.stdout == open(prog[:-3] + ".out").read(), r.stderr


@pytest.mark.parametrize("prog", PROGRAMS, ids=[os.path.basename(p) for p in PROGRAMS])
def test_program_reference_confluent_kafka(prog, bootstrap):
    pytest.importorskip("confluent_kafka", reason="confluent_kafka (PyPI) not installed")
    for attempt in range(2):  # librdkafka occasionally misses a just-created topic
        r = run(prog, bootstrap)
        if r.returncode == 0:
            break
    assert r.returncode == 0, r.stderr
    assert r.stdout == open(prog[:-3] + ".out").read(), r.stderr
