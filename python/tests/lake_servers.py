"""The shared parts of a production lake, started as real processes for tests: a Nessie server and
an S3-compatible store (s3proxy). Their jars are the ones the Java build copies into
test-support/target/; a test without them (or without a Java 21+ for Nessie) is skipped, saying why.
"""
import glob
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NESSIE_RUNNER = ROOT / "test-support" / "target" / "nessie-server" / "nessie-runner.jar"
S3PROXY_JAR = ROOT / "test-support" / "target" / "s3proxy" / "s3proxy.jar"
ACCESS_KEY = "tarn-test-key"
SECRET_KEY = "tarn-test-secret"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def java_version(java):
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=20).stderr
    except (OSError, subprocess.TimeoutExpired):
        return 0
    match = re.search(r'version "(\d+)', out)
    return int(match.group(1)) if match else 0


def java_for_nessie():
    """A java of version 21+: TARN_NESSIE_JAVA, JAVA_HOME, the one on PATH, or a JDK under /usr/lib/jvm."""
    candidates = [os.environ.get("TARN_NESSIE_JAVA", "")]
    if os.environ.get("JAVA_HOME"):
        candidates.append(os.path.join(os.environ["JAVA_HOME"], "bin", "java"))
    candidates.append(shutil.which("java") or "")
    candidates += sorted(glob.glob("/usr/lib/jvm/*/bin/java"), reverse=True)
    for java in candidates:
        if java and os.path.isfile(java) and java_version(java) >= 21:
            return java
    return None


def wait_until(check, what, proc, log, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}:\n{Path(log).read_text()[-4000:]}")
        if check():
            return
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{what} did not answer within {timeout} s:\n{Path(log).read_text()[-4000:]}")


class Process:
    def __init__(self, proc, address):
        self.proc = proc
        self.address = address

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start_nessie():
    """A Nessie server with its in-memory version store on a free loopback port; address = its REST API v2."""
    if not NESSIE_RUNNER.is_file():
        pytest.skip(f"no Nessie runner jar at {NESSIE_RUNNER.relative_to(ROOT)} (the Maven build copies it)")
    java = java_for_nessie()
    if java is None:
        pytest.skip("the Nessie server needs Java 21+ and none was found (set TARN_NESSIE_JAVA)")
    port, management = free_port(), free_port()
    log = tempfile.mktemp(prefix="nessie-", suffix=".log")
    proc = subprocess.Popen(
        [java, "-Xmx512m", "-XX:TieredStopAtLevel=1",
         "-Dnessie.version.store.type=IN_MEMORY",
         "-Dquarkus.http.host=127.0.0.1", f"-Dquarkus.http.port={port}",
         "-Dquarkus.management.host=127.0.0.1", f"-Dquarkus.management.port={management}",
         "-Dquarkus.http.access-log.enabled=false", "-Dquarkus.otel.sdk.disabled=true",
         "-Dquarkus.log.sentry=false", "-Dquarkus.google.cloud.enable-metadata-server=false",
         "-Dnessie.server.authentication.enabled=false", "-Dnessie.server.authorization.enabled=false",
         "-jar", str(NESSIE_RUNNER)],
        stdout=open(log, "w"), stderr=subprocess.STDOUT)
    api = f"http://127.0.0.1:{port}/api/v2"

    def answers():
        try:
            with urllib.request.urlopen(api + "/config", timeout=2) as r:
                return "defaultBranch" in json.load(r)
        except OSError:
            return False

    wait_until(answers, "the Nessie server", proc, log)
    return Process(proc, api)


def start_s3proxy(directory):
    """s3proxy with the filesystem backend under `directory` and bucket `lake`; address = its endpoint."""
    if not S3PROXY_JAR.is_file():
        pytest.skip(f"no s3proxy jar at {S3PROXY_JAR.relative_to(ROOT)} (the Maven build copies it)")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    data = Path(directory) / "s3-data"
    (data / "lake").mkdir(parents=True)
    properties = Path(directory) / "s3proxy.properties"
    properties.write_text("\n".join([
        f"s3proxy.endpoint={endpoint}", "s3proxy.authorization=aws-v2-or-v4",
        f"s3proxy.identity={ACCESS_KEY}", f"s3proxy.credential={SECRET_KEY}",
        "jclouds.provider=filesystem", f"jclouds.filesystem.basedir={data}"]) + "\n")
    log = Path(directory) / "s3proxy.log"
    proc = subprocess.Popen(["java", "-Xmx256m", "-jar", str(S3PROXY_JAR), "--properties", str(properties)],
                            stdout=open(log, "w"), stderr=subprocess.STDOUT)

    def listening():
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    wait_until(listening, "s3proxy", proc, log, timeout=30)
    return Process(proc, endpoint)


def shared_lake_flags(nessie, s3proxy, cache_dir):
    """`tarn serve` flags and environment for a server on the shared catalog and bucket."""
    flags = ["--catalog-uri", nessie.address, "--s3-endpoint", s3proxy.address, "--s3-path-style",
             "--s3-access-key-env", "LAKE_ACCESS_KEY", "--s3-secret-key-env", "LAKE_SECRET_KEY",
             "--cache-dir", str(cache_dir)]
    env = {"LAKE_ACCESS_KEY": ACCESS_KEY, "LAKE_SECRET_KEY": SECRET_KEY}
    return flags, env
