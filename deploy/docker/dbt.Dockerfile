# Image of one dbt run (issue 20): what the transform-service's `kubernetes` runner starts as a
# Job, one pod per run. It carries exactly the dbt of deploy/dbt/requirements.txt (dbt-core,
# dbt-postgres), a profiles.yml at /etc/dbt that reads every connection value from the environment
# (the Job gives WAREHOUSE_USER/WAREHOUSE_PASSWORD from a Secret, never as literals), and the demo
# project at /project, so "project from the image" works out of the box. Build your own project
# FROM it (COPY it to /project, run `dbt deps` there at build time) or mount one (git-sync, PVC).
# Build context: the repository root.
#   docker build -f deploy/docker/dbt.Dockerfile -t registry.example.com/tributary/dbt:0.1.0 .
# No Docker engine where the checks run: nothing builds this image there. deploy/checks
# (DockerfilesTest) parses it and holds it to its rules: pinned bases, numeric non-root USER,
# the pinned dbt, the env_var profile, the demo project, ENTRYPOINT dbt.

FROM python:3.11.14-slim-bookworm AS build
COPY deploy/dbt/requirements.txt /opt/dbt/requirements.txt
# A virtual environment, so the runtime stage copies dbt and nothing of pip's cache or build.
RUN python -m venv /opt/dbt/venv \
 && /opt/dbt/venv/bin/pip install --no-cache-dir --disable-pip-version-check -r /opt/dbt/requirements.txt \
 && /opt/dbt/venv/bin/dbt --version

FROM python:3.11.14-slim-bookworm
RUN groupadd -g 10001 tributary \
 && useradd -u 10001 -g tributary -M -d /tmp -s /usr/sbin/nologin tributary
COPY --from=build /opt/dbt/venv /opt/dbt/venv
# Profile `tributary_demo`: host, port, user, password, dbname and schema all from env_var(...).
COPY deploy/dbt/demo/profiles.yml /etc/dbt/profiles.yml
# Owned by root, read-only for the run (the Job's root filesystem is read-only anyway).
COPY deploy/dbt/demo /project
# The root filesystem is read-only in the Job: HOME, dbt's target and logs live under /tmp (an
# emptyDir). The runner may also pass --project-dir, --target-path and --log-path itself.
ENV PATH=/opt/dbt/venv/bin:$PATH \
    HOME=/tmp \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DBT_PROFILES_DIR=/etc/dbt \
    DBT_PROJECT_DIR=/project \
    DBT_TARGET_PATH=/tmp/dbt/target \
    DBT_LOG_PATH=/tmp/dbt/logs \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false
WORKDIR /project
USER 10001:10001
# A Job's container runs once and exits with dbt's code: no HEALTHCHECK (Jobs have no probes).
ENTRYPOINT ["dbt"]
CMD ["--version"]
