"""docker/: the image, compose and Kubernetes files, checked without a container runtime.

Images cannot be built or run where these tests run (no container daemon, no registry), so they check what
can be checked offline: every file parses; compose.yaml validates against the compose specification's
schema and the manifests against Kubernetes' own schemas (both shipped in PyPI packages); every setting
a Tarn service is given names an option `./tarn serve --help` really lists; ports, probes, proxies and
secrets agree with each other; the image runs the repository's own `tarn` launcher. The health check and
configuration by environment variables, which the image relies on, run against a real server.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import adbc_driver_flightsql.dbapi as flight_sql
import kubernetes_validate
import pytest
import yaml
from dockerfile_parse import DockerfileParser

from conftest import ROOT, running_tarn

DOCKER = ROOT / "docker"
K8S = DOCKER / "k8s"
KUBERNETES_VERSION = "1.37.0"
ENV_PREFIX = "TARN_SERVE_"
TARN_SERVICES = ("tarn-1", "tarn-2")
IMAGE_APP_DIR = "/opt/tarn"  # where the Dockerfile puts the launcher and its files
HEALTHCHECK = [IMAGE_APP_DIR + "/.venv/bin/python", IMAGE_APP_DIR + "/docker/healthcheck.py"]


# --- what `tarn serve` accepts ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def serve_help():
    result = subprocess.run([str(ROOT / "tarn"), "serve", "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "WARN" not in result.stderr, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def serve_options(serve_help):
    options = set(re.findall(r"(?<![\w-])--([a-z0-9][a-z0-9-]*)", serve_help))
    assert {"port", "warehouse", "catalog-uri", "s3-endpoint", "password-env"} <= options, options
    return options


def option_of(variable):
    """TARN_SERVE_S3_PATH_STYLE -> s3-path-style: the rule the help text states."""
    return variable[len(ENV_PREFIX):].lower().replace("_", "-")


def assert_serve_accepts(variables, serve_options, where):
    for name in variables:
        if name.startswith(ENV_PREFIX):
            assert option_of(name) in serve_options, f"{where}: {name} names no `tarn serve` option"


def test_help_documents_the_environment_variables(serve_help):
    text = " ".join(serve_help.split())
    assert ENV_PREFIX + "PORT=31337" in text and ENV_PREFIX + "S3_PATH_STYLE=true" in text, text


# --- files parse and validate ----------------------------------------------------------------------------------

def yaml_files():
    return sorted(DOCKER.rglob("*.yaml"))


def test_every_yaml_file_parses():
    assert {p.name for p in yaml_files()} >= {"compose.yaml", "tarn.yaml", "kustomization.yaml"}
    for path in yaml_files():
        documents = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
        assert documents and all(isinstance(d, dict) for d in documents), path


def check_compose_schema(path):
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True, text=True, timeout=120)


def test_compose_file_validates_against_the_compose_specification(tmp_path):
    result = check_compose_schema(DOCKER / "compose.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    # the same check refuses a broken file: it is not vacuous
    broken = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    broken["services"]["proxy"]["ports"] = {"flight": 31337}
    broken["services"]["tarn-1"]["healthcheck"] = {"interval": 5}
    (tmp_path / "compose.yaml").write_text(yaml.safe_dump(broken))
    refused = check_compose_schema(tmp_path / "compose.yaml")
    assert refused.returncode != 0 and "ports" in refused.stdout + refused.stderr, refused.stdout


def manifests():
    """Every Kubernetes object in docker/k8s/, with the file it came from."""
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                yield path, document


def test_manifests_validate_against_the_kubernetes_schemas():
    kinds = set()
    for path, manifest in manifests():
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
        kinds.add(manifest["kind"])
    assert {"Deployment", "Service", "Secret", "StatefulSet", "Job"} <= kinds
    # strict validation refuses a misspelt field
    deployment = next(m for _, m in manifests() if m["kind"] == "Deployment")
    deployment["spec"]["replica"] = 2
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_kustomization_lists_every_manifest_but_the_secret_template():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    for resource in listed:
        assert (K8S / resource).is_file(), resource
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "secret.example.yaml"}
    assert listed == files


# --- the image -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dockerfile():
    parser = DockerfileParser(path=str(DOCKER / "Dockerfile"))
    return parser


def final_stage(instructions):
    starts = [i for i, ins in enumerate(instructions) if ins["instruction"] == "FROM"]
    assert len(starts) >= 2, "the Dockerfile is multi-stage"
    return instructions[starts[-1]:]


def test_image_runs_the_repositorys_tarn_launcher(dockerfile):
    stage = final_stage(dockerfile.structure)
    copies = [ins["value"].split() for ins in stage if ins["instruction"] == "COPY"]
    assert ["--from=build", "/src/tarn", "./tarn"] in copies
    workdirs = [ins["value"] for ins in stage if ins["instruction"] == "WORKDIR"]
    assert workdirs[0] == IMAGE_APP_DIR  # ./tarn above lands in IMAGE_APP_DIR
    entrypoint = [ins["value"] for ins in stage if ins["instruction"] == "ENTRYPOINT"]
    assert entrypoint == [f'["{IMAGE_APP_DIR}/tarn"]'], entrypoint
    cmd = [ins["value"] for ins in stage if ins["instruction"] == "CMD"]
    assert cmd == ['["serve"]']
    # the builder runs the launcher's own build, and the jar lands where the launcher looks for it
    assert any(ins["instruction"] == "RUN" and ins["value"].endswith("./tarn build") for ins in dockerfile.structure)
    launcher_jar = re.search(r'^JAR="\$ROOT/(.+)"$', (ROOT / "tarn").read_text(), re.M).group(1)
    jar_copy = next(c for c in copies if c[1].startswith("/src/flight-server/target/tarn-flight-server-"))
    assert Path(launcher_jar).parent.as_posix() + "/" == jar_copy[2]
    assert re.fullmatch(jar_copy[1][len("/src/"):].replace("*", ".*"), launcher_jar)
    assert ["--from=build", "/src/flight-server/target/lib/", "flight-server/target/lib/"] in copies


def test_image_files_it_copies_exist_and_it_runs_unprivileged(dockerfile):
    stage = final_stage(dockerfile.structure)
    for ins in stage:
        parts = ins["value"].split()
        if ins["instruction"] == "COPY" and not parts[0].startswith("--from="):
            assert (ROOT / parts[0]).exists(), parts[0]
    users = [ins["value"] for ins in stage if ins["instruction"] == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    healthcheck = next(ins["value"] for ins in stage if ins["instruction"] == "HEALTHCHECK")
    assert '"' + '", "'.join(HEALTHCHECK) + '"' in healthcheck


def test_image_environment_names_real_options_and_holds_no_secret(dockerfile, serve_options):
    env = dockerfile.envs
    assert_serve_accepts(env, serve_options, "Dockerfile ENV")
    assert env["TARN_SERVE_HOST"] == "0.0.0.0" and env["TARN_SERVE_PORT"] == "31337"
    for name in env:
        assert not re.search("PASSWORD|SECRET|KEY$|TOKEN", name), f"the image must not carry {name}"
    exposed = " ".join(ins["value"] for ins in final_stage(dockerfile.structure) if ins["instruction"] == "EXPOSE")
    assert env["TARN_SERVE_PORT"] in exposed.split()
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert "**/*.env" in ignored and "**/target" in ignored and ".git" in ignored


# --- compose ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())


def env_file_variables(name):
    """Variables an env file provides, read from its committed example (the real file is git-ignored)."""
    example = DOCKER / (name + ".example")
    assert example.is_file(), f"{name} has no example {example.name}"
    values = {}
    for line in example.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def service_environment(service):
    env = {}
    for name in service.get("env_file", []):
        env.update(env_file_variables(name))
    env.update({k: str(v) for k, v in service.get("environment", {}).items()})
    return env


def test_real_env_files_are_git_ignored(compose):
    names = {f for s in compose["services"].values() for f in s.get("env_file", [])}
    assert names == {"tarn.env", "minio.env", "postgres.env"}
    for name in names:
        result = subprocess.run(["git", "check-ignore", "-q", "docker/" + name], cwd=ROOT)
        assert result.returncode == 0, f"docker/{name} would be committed"


def test_tarn_services_use_only_options_tarn_serve_accepts(compose, serve_options):
    for name in TARN_SERVICES:
        service = compose["services"][name]
        env = service_environment(service)
        assert_serve_accepts(env, serve_options, f"compose service {name}")
        # every variable it names as holding a secret is provided, from an env file, never written in compose
        for option in ("TARN_SERVE_PASSWORD_ENV", "TARN_SERVE_S3_ACCESS_KEY_ENV", "TARN_SERVE_S3_SECRET_KEY_ENV"):
            secret = env[option]
            assert secret in env and secret not in service.get("environment", {}), (name, secret)
        assert env["TARN_SERVE_USER"]
        command = service.get("command", [])
        for flag in re.findall(r"--([a-z0-9-]+)", " ".join(command)):
            assert flag in serve_options, flag


def test_two_tarn_servers_share_one_lake_behind_one_address(compose):
    envs = [service_environment(compose["services"][n]) for n in TARN_SERVICES]
    for key in ("TARN_SERVE_WAREHOUSE", "TARN_SERVE_CATALOG_URI", "TARN_SERVE_S3_ENDPOINT"):
        assert envs[0][key] == envs[1][key], key
    assert envs[0]["TARN_SERVE_WAREHOUSE"].startswith("s3://")
    volumes = [compose["services"][n]["volumes"] for n in TARN_SERVICES]
    assert volumes[0] != volumes[1], "each server keeps its own cache folder"

    port = envs[0].get("TARN_SERVE_PORT", "31337")  # the image's default
    for name in TARN_SERVICES:
        assert port in [str(p) for p in compose["services"][name]["expose"]]
    rest_port = envs[0]["TARN_SERVE_ICEBERG_REST_PORT"]
    assert envs[1]["TARN_SERVE_ICEBERG_REST_PORT"] == rest_port
    for name in TARN_SERVICES:
        assert rest_port in [str(p) for p in compose["services"][name]["expose"]]
    nginx = (DOCKER / "nginx.conf").read_text()
    upstreams = re.findall(r"^\s*server\s+([\w.-]+):(\d+)", nginx, re.M)
    assert sorted(upstreams) == sorted((n, p) for n in TARN_SERVICES for p in (port, rest_port))
    proxy = compose["services"]["proxy"]
    for listen in re.findall(r"^\s*listen\s+(\d+);", nginx, re.M):
        assert any(str(p).endswith(":" + listen) for p in proxy["ports"]), proxy["ports"]
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]


def test_every_address_a_tarn_server_is_given_is_a_service_port(compose):
    env = service_environment(compose["services"]["tarn-1"])
    for key in ("TARN_SERVE_S3_ENDPOINT", "TARN_SERVE_CATALOG_URI"):
        host, port = re.match(r"https?://([\w-]+):(\d+)", env[key]).groups()
        assert port in [str(p) for p in compose["services"][host].get("expose", [])], (key, host, port)
    bucket = env["TARN_SERVE_WAREHOUSE"][len("s3://"):].split("/")[0]
    init = compose["services"]["minio-init"]
    assert f"lake/{bucket}" in " ".join(init["command"])
    assert init["depends_on"] == ["minio"]
    assert compose["services"]["tarn-1"]["depends_on"]["minio-init"]["condition"] == "service_completed_successfully"


def test_nessie_and_postgres_agree(compose):
    nessie = service_environment(compose["services"]["nessie"])
    postgres = service_environment(compose["services"]["postgres"])
    assert nessie["NESSIE_VERSION_STORE_TYPE"] == "JDBC2"
    url = nessie["QUARKUS_DATASOURCE_POSTGRESQL_JDBC_URL"]
    assert url == f"jdbc:postgresql://postgres:5432/{postgres['POSTGRES_DB']}"
    assert nessie["QUARKUS_DATASOURCE_POSTGRESQL_USERNAME"] == postgres["POSTGRES_USER"]
    assert nessie["QUARKUS_DATASOURCE_POSTGRESQL_PASSWORD"] == postgres["POSTGRES_PASSWORD"]


# --- Kubernetes ------------------------------------------------------------------------------------------------

def k8s_objects(kind, name):
    return [m for _, m in manifests() if m["kind"] == kind and m["metadata"]["name"] == name]


def secret_keys():
    keys = {}
    for secret in (m for _, m in manifests() if m["kind"] == "Secret"):
        keys[secret["metadata"]["name"]] = set(secret["stringData"])
    return keys


def test_k8s_tarn_deployment_probes_the_port_the_server_listens_on(serve_options):
    [deployment] = k8s_objects("Deployment", "tarn")
    assert deployment["spec"]["replicas"] == 2
    pod = deployment["spec"]["template"]["spec"]
    assert pod["enableServiceLinks"] is False  # a Service's injected variables must not shadow TARN_SERVE_*
    [container] = pod["containers"]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert_serve_accepts(env, serve_options, "k8s Deployment tarn")
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports["flight-sql"] == int(env["TARN_SERVE_PORT"])
    assert ports["iceberg-rest"] == int(env["TARN_SERVE_ICEBERG_REST_PORT"])
    assert ports["metrics"] == int(env["TARN_SERVE_METRICS_PORT"])
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        spec = container[probe]
        if "tcpSocket" in spec:
            assert spec["tcpSocket"]["port"] in ("flight-sql", ports["flight-sql"]), probe
        else:
            # the image's health check, which reads TARN_SERVE_PORT from this same environment
            assert spec["exec"]["command"] == HEALTHCHECK, probe
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][kind])
    assert pod["securityContext"]["runAsNonRoot"] is True


def test_k8s_service_and_secrets_match_the_deployment():
    [deployment] = k8s_objects("Deployment", "tarn")
    [service] = k8s_objects("Service", "tarn")
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    assert {"name": "flight-sql", "port": 31337, "targetPort": "flight-sql"} in service["spec"]["ports"]
    assert {"name": "iceberg-rest", "port": 8181, "targetPort": "iceberg-rest"} in service["spec"]["ports"]
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e["value"] for e in container["env"]}
    keys = secret_keys()
    provided = set()
    for source in container["envFrom"]:
        provided |= keys[source["secretRef"]["name"]]
    for option in ("TARN_SERVE_PASSWORD_ENV", "TARN_SERVE_S3_ACCESS_KEY_ENV", "TARN_SERVE_S3_SECRET_KEY_ENV"):
        assert env[option] in provided, option
    assert "TARN_SERVE_USER" in provided
    # the secret template and the compose env file hold the same variables
    assert keys["tarn-secrets"] == set(env_file_variables("tarn.env"))
    assert keys["postgres-secrets"] == set(env_file_variables("postgres.env"))
    assert keys["minio-secrets"] == set(env_file_variables("minio.env"))


def test_every_k8s_container_has_resource_limits_and_known_secrets():
    keys = secret_keys()
    for path, manifest in manifests():
        if manifest["kind"] in ("Deployment", "StatefulSet", "Job"):
            pod = manifest["spec"]["template"]["spec"]
            for container in pod["containers"]:
                assert container["resources"]["limits"], (path.name, container["name"])
                for source in container.get("envFrom", []):
                    assert source["secretRef"]["name"] in keys, (path.name, source)
    [compose_like] = k8s_objects("Deployment", "nessie")
    [nessie] = compose_like["spec"]["template"]["spec"]["containers"]
    nessie_env = {e["name"]: e["value"] for e in nessie["env"]}
    assert nessie_env["QUARKUS_DATASOURCE_POSTGRESQL_JDBC_URL"].startswith("jdbc:postgresql://postgres:5432/")


# --- what the image relies on, run for real --------------------------------------------------------------------

def healthcheck(port, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    env.update({"TARN_SERVE_PORT": str(port), **extra})
    return subprocess.run([sys.executable, str(DOCKER / "healthcheck.py")], env=env, capture_output=True,
                          text=True, timeout=60)


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthcheck_passes_on_a_serving_server_and_fails_elsewhere():
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    import threading

    with running_tarn() as uri:
        port = int(uri.rsplit(":", 1)[1])
        assert healthcheck(port).returncode == 0
        # bound to every address, the check goes to loopback
        assert healthcheck(port, TARN_SERVE_HOST="0.0.0.0").returncode == 0
    closed = healthcheck(port)
    assert closed.returncode == 1 and "no Flight SQL answer" in closed.stderr, closed.stderr
    # a port that accepts connections but does not speak Flight (an HTTP server) is not healthy
    http = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    try:
        wrong = healthcheck(http.server_address[1])
        assert wrong.returncode == 1 and f":{http.server_address[1]}" in wrong.stderr, wrong.stderr
    finally:
        http.shutdown()


def serve_from_environment(variables):
    """`./tarn serve` with no flags at all, configured as the image configures it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    env.update(variables)
    return subprocess.Popen([str(ROOT / "tarn"), "serve"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def test_a_server_configured_only_by_environment_variables_serves_with_its_password():
    warehouse = tempfile.mkdtemp(prefix="tarn-py-env-")
    port = free_port()
    proc = serve_from_environment({
        "TARN_SERVE_PORT": str(port), "TARN_SERVE_METRICS_PORT": "-1", "TARN_SERVE_WAREHOUSE": warehouse,
        "TARN_SERVE_USER": "ops", "TARN_SERVE_PASSWORD_ENV": "OPS_PASSWORD", "OPS_PASSWORD": "pässwörd-🔑",
        "TARN_SERVE_MAX_SESSIONS": "", "TARN_SERVE_HELP": "true"})  # empty counts as unset; help stays a flag
    try:
        seen = []
        for line in proc.stdout:
            seen.append(line)
            if f"127.0.0.1:{port}" in line and "serving" in line.lower():
                break
        else:
            pytest.fail("the server did not start:\n" + "".join(seen))
        assert "password required" in "".join(seen)
        uri = f"grpc://127.0.0.1:{port}"
        with flight_sql.connect(uri, db_kwargs={"username": "ops", "password": "pässwörd-🔑"}) as conn:
            with conn.cursor() as cur:
                cur.execute("SELECT 42 AS answer")
                assert cur.fetchall() == [(42,)]
        with pytest.raises(Exception, match="(?i)unauthenticated|password|credentials"):
            with flight_sql.connect(uri, db_kwargs={"username": "ops", "password": "wrong"}) as conn:
                with conn.cursor() as cur:
                    cur.execute("SELECT 1")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(warehouse, ignore_errors=True)


def test_a_bad_environment_value_is_refused_naming_the_variable():
    proc = serve_from_environment({"TARN_SERVE_PORT": "31337x", "TARN_SERVE_METRICS_PORT": "-1"})
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert "TARN_SERVE_PORT" in out and "--port" in out and "31337x" in out, out
    # binding every address without a password is refused, whichever way it was asked for
    warehouse = tempfile.mkdtemp(prefix="tarn-py-env-")
    try:
        proc = serve_from_environment({"TARN_SERVE_HOST": "0.0.0.0", "TARN_SERVE_PORT": str(free_port()),
                                       "TARN_SERVE_METRICS_PORT": "-1", "TARN_SERVE_WAREHOUSE": warehouse})
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode != 0 and "without authentication" in out, out
    finally:
        shutil.rmtree(warehouse, ignore_errors=True)
