# Image of the Airbyte sandbox (a simulator of the Airbyte public API, port 8000) for demos and CI.
# Never a stand-in for Airbyte in production. Build context: the repository root.
#   docker build -f deploy/docker/airbyte-sandbox.Dockerfile -t tributary/airbyte-sandbox:dev .
# Settings come from SANDBOX_* variables (deploy/airbyte-sandbox/README.md, "Standalone").
# Checked by deploy/checks (DockerfilesTest): pinned bases, numeric non-root USER, HEALTHCHECK.

FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl deploy/airbyte-sandbox -am package -DskipTests -Dspotless.check.skip=true \
 && cp deploy/airbyte-sandbox/target/tributary-airbyte-sandbox-*-runner.jar /src/sandbox.jar

FROM eclipse-temurin:17.0.16_8-jre-alpine
RUN addgroup -S -g 10001 tributary \
 && adduser -S -D -H -u 10001 -G tributary -h /tmp -s /sbin/nologin tributary
COPY --from=build /src/sandbox.jar /opt/sandbox/sandbox.jar
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp" \
    SANDBOX_HOST=0.0.0.0 \
    SANDBOX_PORT=8000
EXPOSE 8000
USER 10001:10001
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD wget -q -O /dev/null http://127.0.0.1:8000/api/public/v1/health || exit 1
ENTRYPOINT ["/bin/sh", "-c", "exec java $JAVA_OPTS -jar /opt/sandbox/sandbox.jar"]
