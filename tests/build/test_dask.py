"""The Dask executor sends the same tasks to a cluster: here a LocalCluster the test starts.

The cluster and the build each run in a process of their own: a Dask client or cluster leaves
event-loop threads behind in whatever process used it, and the test process stays as it was.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.build.conftest import EPOCH, SeedBuild, published
from tests.tools import MISSING, in_ci

CLUSTER = """
import sys
import dask
from distributed import LocalCluster

# Two small worker processes, allowed child processes (the speech engine's).
with dask.config.set({"distributed.worker.daemon": False}), LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
    print(cluster.scheduler_address, flush=True)
    sys.stdin.read()  # until the test closes our stdin
"""


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    if importlib.util.find_spec("distributed") is None:
        reason = "dask[distributed] is not installed (pip install -e '.[dask]')"
        if in_ci():
            pytest.fail(f"{reason}; CI is set, so this fails the run", pytrace=False)
        MISSING.add(reason)
        pytest.skip(f"{reason} (set CI=1 to make this a failure)")
    cluster = subprocess.Popen([sys.executable, "-c", CLUSTER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        assert cluster.stdout is not None
        address = cluster.stdout.readline().strip()
        assert address.startswith("tcp://"), f"the cluster did not start (exit code {cluster.poll()})"
        yield address
    finally:
        assert cluster.stdin is not None
        cluster.stdin.close()
        try:
            cluster.wait(timeout=30)
        except subprocess.TimeoutExpired:
            cluster.kill()
            cluster.wait()


def test_a_dask_cluster_builds_the_seed_like_one_process(scheduler: str, serial_seed: SeedBuild,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "dist"
    done = subprocess.run(
        [sys.executable, "-m", "publish", "build", str(serial_seed.source), "--out", str(out),
         "--cache", str(tmp_path / "cache"), "--executor", "dask", "--scheduler", scheduler],
        capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)}, timeout=600,
        check=False)
    assert done.returncode == 0, done.stderr
    assert published(out / "gut-barrier", keys=False) == published(serial_seed.folder, keys=False)
