# Image of the transform-service (port 8083): the service, Python and the dbt pinned in
# deploy/dbt/requirements.txt (dbt-core, dbt-postgres), and the demo dbt project.
# Build context: the repository root.
#   docker build -f deploy/docker/transform-service.Dockerfile -t tributary/transform-service:dev .
# The runtime base is Ubuntu (noble) rather than Alpine: dbt's wheels (psycopg2-binary,
# dbt-extractor, pydantic-core, ...) are built for glibc.
# Checked by deploy/checks (DockerfilesTest): pinned bases, numeric non-root USER, HEALTHCHECK.

FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl transform-service -am package -DskipTests -Dspotless.check.skip=true

FROM eclipse-temurin:17.0.16_8-jre-noble
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv wget \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd -g 10001 tributary \
 && useradd -u 10001 -g tributary -M -d /tmp -s /usr/sbin/nologin tributary
# dbt in its own virtual environment, exactly the versions the build and the tests use.
COPY deploy/dbt/requirements.txt /opt/dbt/requirements.txt
RUN python3 -m venv /opt/dbt/venv \
 && /opt/dbt/venv/bin/pip install --no-cache-dir --disable-pip-version-check -r /opt/dbt/requirements.txt \
 && /opt/dbt/venv/bin/dbt --version
# The demo project; docker-compose.yml mounts deploy/dbt/demo over it, Kubernetes users build
# FROM this image with their own project (deploy/README.md).
COPY deploy/dbt/demo /opt/tributary/dbt/demo
# Per-run target and log directories (a volume in compose, an emptyDir in Kubernetes).
RUN mkdir -p /var/lib/tributary/dbt-runs && chown 10001:10001 /var/lib/tributary/dbt-runs
WORKDIR /deployments
COPY --from=build /src/transform-service/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /src/transform-service/target/quarkus-app/quarkus/ /deployments/quarkus/
COPY --from=build /src/transform-service/target/quarkus-app/app/ /deployments/app/
COPY --from=build /src/transform-service/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
ENV JAVA_OPTS="-XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=20 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp" \
    QUARKUS_HTTP_HOST=0.0.0.0 \
    PATH=/opt/dbt/venv/bin:$PATH \
    HOME=/tmp \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false \
    TRIBUTARY_TRANSFORM_DBT_EXECUTABLE=/opt/dbt/venv/bin/dbt \
    TRIBUTARY_TRANSFORM_RUNS_DIRECTORY=/var/lib/tributary/dbt-runs \
    TRIBUTARY_TRANSFORM_PROJECTS_ROOT=/opt/tributary/dbt
EXPOSE 8083
USER 10001:10001
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=4 \
    CMD wget -q -O /dev/null http://127.0.0.1:8083/q/health/ready || exit 1
ENTRYPOINT ["/bin/sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
