# Image of the console-service (port 8085). Build context: the repository root.
#   docker build -f deploy/docker/console-service.Dockerfile -t tributary/console-service:dev .
# (docker compose does this with `docker compose up --build`.) Stage 1 builds the service from
# source with the Maven wrapper; stage 2 is a small JRE that runs it as a non-root user.
# Checked by deploy/checks (DockerfilesTest): pinned bases, numeric non-root USER, HEALTHCHECK.

FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# -am builds the modules it depends on (events, service-support, ...); the cache mount keeps
# ~/.m2 between builds (BuildKit, the default builder of docker compose and docker build).
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl console-service -am package -DskipTests -Dspotless.check.skip=true

FROM eclipse-temurin:17.0.16_8-jre-alpine
RUN addgroup -S -g 10001 tributary \
 && adduser -S -D -H -u 10001 -G tributary -h /tmp -s /sbin/nologin tributary
WORKDIR /deployments
# Quarkus fast-jar layout; dependencies first so that a code change only replaces the last layers.
# Files stay owned by root: the service can read its code, not change it.
COPY --from=build /src/console-service/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /src/console-service/target/quarkus-app/quarkus/ /deployments/quarkus/
COPY --from=build /src/console-service/target/quarkus-app/app/ /deployments/app/
COPY --from=build /src/console-service/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
# The JVM sizes its heap from the container's memory limit, not the host's.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp" \
    QUARKUS_HTTP_HOST=0.0.0.0
EXPOSE 8085
USER 10001:10001
# busybox wget ships with the Alpine base; readiness covers Kafka and the database.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=4 \
    CMD wget -q -O /dev/null http://127.0.0.1:8085/q/health/ready || exit 1
ENTRYPOINT ["/bin/sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
