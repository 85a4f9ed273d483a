package io.tributary.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/docker/*.Dockerfile: parsed and held to the image rules (DockerfileRules). Without a
 * Docker engine nothing is built here: that the base tags exist on Docker Hub, that the build
 * passes and that the health check answers are not verified by these tests.
 */
class DockerfilesTest {
    record Image(String name, String module, int port) {
        @Override
        public String toString() {
            return name;
        }

        Path file() {
            return Repo.path("deploy/docker/" + name + ".Dockerfile");
        }

        Dockerfile parse() {
            return Dockerfile.parse(Repo.read(file()));
        }
    }

    static Stream<Image> images() {
        return Stream.concat(
                Repo.SERVICES.stream().map(s -> new Image(s, s, Repo.port(s))),
                Stream.of(new Image("airbyte-sandbox", "deploy/airbyte-sandbox", 8000)));
    }

    private static List<String> violations(Image image, String text) {
        return DockerfileRules.check(
                Dockerfile.parse(text), image.module(), image.port(), Repo.root());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void everyImageFollowsTheRules(Image image) {
        assertThat(DockerfileRules.check(image.parse(), image.module(), image.port(), Repo.root()))
                .as("%s", image.file())
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void theRuntimeStageIsASmallPinnedJre(Image image) {
        Dockerfile file = image.parse();
        assertThat(file.stages().get(0).image()).isEqualTo("maven:3.9.11-eclipse-temurin-17");
        assertThat(file.last().image())
                .startsWith("eclipse-temurin:17.0.")
                .contains("-jre-")
                .endsWith(image.name().equals("transform-service") ? "-noble" : "-alpine");
        assertThat(file.last().last("USER").args()).isEqualTo("10001:10001");
    }

    @Test
    void theTransformImageCarriesThePinnedDbt() {
        Dockerfile file = new Image("transform-service", "transform-service", 8083).parse();
        assertThat(file.last().all("COPY"))
                .anyMatch(c -> c.args().startsWith("deploy/dbt/requirements.txt "))
                .anyMatch(c -> c.args().startsWith("deploy/dbt/demo "));
        assertThat(file.last().all("RUN"))
                .anyMatch(
                        r ->
                                r.args().contains("pip install")
                                        && r.args().contains("-r /opt/dbt/requirements.txt"))
                .anyMatch(r -> r.args().contains("python3-venv"));
        String requirements = Repo.read(Repo.path("deploy/dbt/requirements.txt"));
        assertThat(requirements)
                .containsPattern("(?m)^dbt-core==[0-9.]+")
                .containsPattern("(?m)^dbt-postgres==[0-9.]+");
    }

    // --- the dbt image of the kubernetes runner (issue 20) -----------------------------------

    private static final Path DBT = Repo.path("deploy/docker/dbt.Dockerfile");

    private static List<String> dbtViolations(String text) {
        return DockerfileRules.checkDbt(Dockerfile.parse(text), Repo.root());
    }

    @Test
    void theDbtImageFollowsItsRules() {
        assertThat(dbtViolations(Repo.read(DBT))).as("%s", DBT).isEmpty();
    }

    @Test
    void everyDockerfileIsHeldToRules() throws java.io.IOException {
        List<String> checked =
                Stream.concat(images().map(Image::name), Stream.of("dbt"))
                        .map(n -> n + ".Dockerfile")
                        .toList();
        try (Stream<Path> files = java.nio.file.Files.list(Repo.path("deploy/docker"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .filteredOn(n -> n.endsWith("Dockerfile"))
                    .as("deploy/docker files without rules in DockerfilesTest")
                    .allMatch(checked::contains);
        }
    }

    @Test
    void brokenDbtImagesAreRejected() {
        String good = Repo.read(DBT);
        assertThat(dbtViolations(good.replace("USER 10001:10001\n", "")))
                .contains("the runtime stage needs a USER (it would run as root)");
        assertThat(dbtViolations(good.replace("USER 10001:10001", "USER 0")))
                .anyMatch(v -> v.contains("must not run as root"));
        assertThat(dbtViolations(good.replace("USER 10001:10001", "USER 1000")))
                .anyMatch(v -> v.contains("run as uid 10001"));
        assertThat(dbtViolations(good.replace("python:3.11.14-slim-bookworm", "python:latest")))
                .anyMatch(v -> v.contains("pin the base image"))
                .anyMatch(v -> v.contains("python:3.11.x-slim"));
        assertThat(dbtViolations(good.replace("ENTRYPOINT [\"dbt\"]", "ENTRYPOINT dbt")))
                .anyMatch(v -> v.contains("ENTRYPOINT must be"));
        assertThat(dbtViolations(good.replace("-r /opt/dbt/requirements.txt", "dbt-core")))
                .anyMatch(v -> v.contains("pip install -r deploy/dbt/requirements.txt"));
        assertThat(dbtViolations(good.replace("COPY deploy/dbt/demo /project\n", "")))
                .anyMatch(v -> v.contains("/project"));
        assertThat(dbtViolations(good.replace("COPY deploy/dbt/demo/profiles.yml", "COPY x.yml")))
                .anyMatch(v -> v.contains("x.yml: not in the build context"));
        assertThat(dbtViolations(good.replaceAll("(?m)^COPY deploy/dbt/demo/profiles.yml.*\n", "")))
                .anyMatch(v -> v.contains("/etc/dbt/profiles.yml"));
        assertThat(dbtViolations(good.replace("DBT_PROFILES_DIR=/etc/dbt", "DBT_X=/etc/dbt")))
                .anyMatch(v -> v.contains("DBT_PROFILES_DIR"));
        assertThat(
                        dbtViolations(
                                good.replace(
                                        "HOME=/tmp \\", "HOME=/tmp WAREHOUSE_PASSWORD=hunter2 \\")))
                .contains("ENV WAREHOUSE_PASSWORD: no credential in the image");
    }

    @Test
    void anUnpinnedDbtOrALiteralLoginIsRejected() {
        List<String> v = new java.util.ArrayList<>();
        DockerfileRules.checkPins("dbt-core>=1.10\ndbt-postgres==1.9.1\n", v);
        assertThat(v)
                .anyMatch(m -> m.contains("'dbt-core>=1.10' is not pinned"))
                .anyMatch(m -> m.contains("dbt-core must be pinned"));
        String profiles = Repo.read(Repo.path("deploy/dbt/demo/profiles.yml"));
        List<String> good = new java.util.ArrayList<>();
        DockerfileRules.checkProfiles(profiles, "profiles.yml", good);
        assertThat(good).isEmpty();
        List<String> bad = new java.util.ArrayList<>();
        DockerfileRules.checkProfiles(
                profiles.replace("\"{{ env_var('WAREHOUSE_PASSWORD') }}\"", "hunter2")
                        .replace("env_var('WAREHOUSE_USER')", "env_var('WAREHOUSE_USER', 'dbt')")
                        .replaceAll("host: .*", "host: db.example.com"),
                "profiles.yml",
                bad);
        assertThat(bad)
                .contains(
                        "profiles.yml: tributary_demo.dev.password must be read with env_var(...)",
                        "profiles.yml: tributary_demo.dev.user: no default for the login",
                        "profiles.yml: tributary_demo.dev.host must be read with env_var(...)");
    }

    @Test
    void theBuildContextIsKeptSmallAndFreeOfSecrets() {
        List<String> ignored =
                Repo.read(Repo.path(".dockerignore")).lines().map(String::strip).toList();
        assertThat(ignored).contains(".git", "**/target", "**/.venv", ".env", "data");
    }

    // --- the checks fail when a rule is broken ----------------------------------------------

    @Test
    void brokenImagesAreRejected() {
        Image trigger = new Image("trigger-service", "trigger-service", 8081);
        String good = Repo.read(trigger.file());
        assertThat(violations(trigger, good.replace("USER 10001:10001\n", "")))
                .contains("the runtime stage needs a USER (it would run as root)");
        assertThat(violations(trigger, good.replace("USER 10001:10001", "USER root")))
                .anyMatch(v -> v.contains("numeric uid"));
        assertThat(violations(trigger, good.replace("USER 10001:10001", "USER 0")))
                .anyMatch(v -> v.contains("must not run as root"));
        assertThat(
                        violations(
                                trigger,
                                good.replace(
                                        "eclipse-temurin:17.0.16_8-jre-alpine", "eclipse-temurin")))
                .anyMatch(v -> v.contains("pin the base image"));
        assertThat(
                        violations(
                                trigger,
                                good.replace(
                                        "eclipse-temurin:17.0.16_8-jre-alpine",
                                        "eclipse-temurin:latest")))
                .anyMatch(v -> v.contains("pin the base image"));
        assertThat(violations(trigger, good.replaceAll("(?ms)^HEALTHCHECK.*?exit 1\n", "")))
                .contains("the runtime stage needs a HEALTHCHECK");
        assertThat(violations(trigger, good.replace("-XX:MaxRAMPercentage=75 ", "")))
                .anyMatch(v -> v.contains("MaxRAMPercentage"));
        assertThat(violations(trigger, good.replace("COPY . .", "COPY src-that-is-not-there .")))
                .anyMatch(v -> v.contains("not in the build context"));
        String singleStage = good.substring(good.indexOf("FROM eclipse-temurin"));
        assertThat(violations(trigger, singleStage))
                .anyMatch(v -> v.contains("multi-stage"))
                .anyMatch(v -> v.contains("build the module from source"));
    }

    @Test
    void theParserJoinsContinuationsAndDropsComments() {
        Dockerfile file =
                Dockerfile.parse(
                        """
                        ARG V=1
                        FROM a:1 AS build
                        # a comment
                        RUN one \\
                            # a comment inside the continuation
                            two
                        from b:2
                        user 10:10
                        """);
        assertThat(file.stages()).hasSize(2);
        assertThat(file.stages().get(0).alias()).isEqualTo("build");
        assertThat(file.stages().get(0).last("RUN").args()).isEqualTo("one      two");
        assertThat(file.last().last("USER").args()).isEqualTo("10:10");
        assertThatThrownBy(() -> Dockerfile.parse("# syntax=docker/dockerfile:1\nFROM a:1\n"))
                .hasMessageContaining("directives");
    }
}
