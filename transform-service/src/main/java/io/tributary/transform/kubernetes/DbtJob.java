package io.tributary.transform.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.tributary.transform.config.TransformConfig;
import io.tributary.transform.dbt.DbtCommand;
import io.tributary.transform.definition.TransformDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The Job of one run (the agreed interface of issue 20): labels linking it to the run, one non-root
 * pod that never restarts, dbt's argument list (no shell), credentials only through {@code
 * secretKeyRef}. A pure function of the settings, the definition and the run.
 */
public final class DbtJob {
    public static final String CONTAINER = "dbt";
    public static final String RUN_ID = "tributary.io/run-id";
    public static final String TRANSFORM = "tributary.io/transform";
    public static final String IMAGE = "image";
    public static final String GIT_SYNC = "git-sync";
    public static final String PVC = "pvc";

    /** dbt's profiles in the image (profiles.yml reads every connection value from env vars). */
    static final String PROFILES_DIR = "/etc/dbt";

    /** Writable scratch (the root filesystem is read-only): dbt's target and logs go under it. */
    static final String TMP = "/tmp";

    static final long USER = 10001;

    /** Literal env names that look like credentials: those must come from the Secret. */
    private static final Pattern CREDENTIAL =
            Pattern.compile(".*(PASSWORD|PASSWD|SECRET|TOKEN|USER|KEY|CREDENTIAL).*");

    private DbtJob() {}

    /** {@code dbt-<transform, _ as ->-<first 8 of the run id>}, a DNS-1123 label (≤ 63). */
    public static String name(String transform, UUID runId) {
        String middle = transform.replace('_', '-');
        if (middle.length() > 50) {
            middle = middle.substring(0, 50);
        }
        return "dbt-" + middle + "-" + runId.toString().substring(0, 8);
    }

    /** The labels of the Job and its pod. */
    public static Map<String, String> labels(String transform, UUID runId) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "tributary-dbt");
        labels.put("app.kubernetes.io/part-of", "tributary");
        labels.put("app.kubernetes.io/component", "dbt-run");
        labels.put(RUN_ID, runId.toString());
        labels.put(TRANSFORM, labelValue(transform));
        return labels;
    }

    /**
     * The Job of a run.
     *
     * @param timeout the run's timeout, the Job's {@code activeDeadlineSeconds}
     * @throws IllegalStateException when the settings cannot make a Job (no image, a git-sync
     *     without repo, a literal that looks like a credential...)
     */
    public static Job build(
            TransformConfig.Kubernetes k, TransformDefinition d, UUID runId, Duration timeout) {
        String image =
                k.image()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "tributary.transform.kubernetes.image is not set"));
        Map<String, String> labels = labels(d.name(), runId);
        ProjectVolume project = ProjectVolume.of(k);
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(mount("tmp", TMP, false));
        project.mount().ifPresent(mounts::add);
        Container dbt =
                new ContainerBuilder()
                        .withName(CONTAINER)
                        .withImage(image)
                        .withImagePullPolicy(k.imagePullPolicy())
                        .withArgs(arguments(d, project.projectDir(d)))
                        .withEnv(env(k))
                        .withResources(resources(k.resources()))
                        .withSecurityContext(containerSecurity())
                        .withVolumeMounts(mounts)
                        .build();
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
        project.volume().ifPresent(volumes::add);
        return new JobBuilder()
                .withNewMetadata()
                .withName(name(d.name(), runId))
                .withNamespace(k.namespace())
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withActiveDeadlineSeconds(Math.max(1, (timeout.toMillis() + 999) / 1000))
                .withTtlSecondsAfterFinished(k.ttlSecondsAfterFinished())
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(k.serviceAccount())
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withSecurityContext(
                        new PodSecurityContextBuilder()
                                .withRunAsNonRoot(true)
                                .withRunAsUser(USER)
                                .withRunAsGroup(USER)
                                .withFsGroup(USER)
                                .withNewSeccompProfile()
                                .withType("RuntimeDefault")
                                .endSeccompProfile()
                                .build())
                .withNodeSelector(
                        k.nodeSelector().isEmpty() ? null : new TreeMap<>(k.nodeSelector()))
                .withTolerations(tolerations(k.tolerations().orElse(List.of())))
                .withInitContainers(project.initContainer().stream().toList())
                .withContainers(dbt)
                .withVolumes(volumes)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** dbt's arguments, as the CLI runner builds them, minus the executable (the entrypoint). */
    static List<String> arguments(TransformDefinition d, String projectDir) {
        List<String> args =
                DbtCommand.arguments(
                        "dbt", d, Path.of(projectDir), Path.of(PROFILES_DIR), Path.of(TMP, "dbt"));
        return args.subList(1, args.size());
    }

    private static List<EnvVar> env(TransformConfig.Kubernetes k) {
        List<EnvVar> env = new ArrayList<>();
        env.add(literal("DBT_SEND_ANONYMOUS_USAGE_STATS", "false"));
        env.add(literal("DBT_VERSION_CHECK", "false"));
        env.add(literal("PYTHONUNBUFFERED", "1"));
        for (Map.Entry<String, String> e : new TreeMap<>(k.warehouseEnv()).entrySet()) {
            if (CREDENTIAL.matcher(e.getKey().toUpperCase()).matches()) {
                throw new IllegalStateException(
                        "tributary.transform.kubernetes.warehouse-env."
                                + e.getKey()
                                + " looks like a credential: put it in the Secret "
                                + k.warehouseSecret()
                                + " and list it in warehouse-secret-keys");
            }
            env.add(literal(e.getKey(), e.getValue()));
        }
        for (String key : k.warehouseSecretKeys()) {
            env.add(
                    new EnvVarBuilder()
                            .withName(key)
                            .withNewValueFrom()
                            .withNewSecretKeyRef()
                            .withName(k.warehouseSecret())
                            .withKey(key)
                            .endSecretKeyRef()
                            .endValueFrom()
                            .build());
        }
        return env;
    }

    private static EnvVar literal(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static io.fabric8.kubernetes.api.model.ResourceRequirements resources(
            TransformConfig.Resources r) {
        return new ResourceRequirementsBuilder()
                .withRequests(quantities(r.requests()))
                .withLimits(quantities(r.limits()))
                .build();
    }

    private static Map<String, Quantity> quantities(TransformConfig.Quantities q) {
        Map<String, Quantity> m = new LinkedHashMap<>();
        q.cpu().ifPresent(c -> m.put("cpu", new Quantity(c)));
        q.memory().ifPresent(c -> m.put("memory", new Quantity(c)));
        return m.isEmpty() ? null : m;
    }

    static SecurityContext containerSecurity() {
        return new SecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .build();
    }

    /** {@code key=value:Effect}, {@code key:Effect} (any value) or {@code key=value}. */
    static List<Toleration> tolerations(List<String> specs) {
        List<Toleration> out = new ArrayList<>();
        for (String spec : specs) {
            String s = spec.strip();
            String effect = null;
            int colon = s.lastIndexOf(':');
            if (colon >= 0) {
                effect = s.substring(colon + 1);
                s = s.substring(0, colon);
            }
            int eq = s.indexOf('=');
            TolerationBuilder t = new TolerationBuilder().withEffect(effect);
            if (eq >= 0) {
                t.withKey(s.substring(0, eq)).withOperator("Equal").withValue(s.substring(eq + 1));
            } else {
                t.withKey(s).withOperator("Exists");
            }
            out.add(t.build());
        }
        return out;
    }

    static VolumeMount mount(String name, String path, boolean readOnly) {
        VolumeMount m = new VolumeMount();
        m.setName(name);
        m.setMountPath(path);
        if (readOnly) {
            m.setReadOnly(true);
        }
        return m;
    }

    /** A label value: at most 63 characters, starting and ending alphanumeric. */
    static String labelValue(String value) {
        String v = value.length() > 63 ? value.substring(0, 63) : value;
        return v.replaceAll("[^A-Za-z0-9]+$", "");
    }

    /** Where the project comes from: the image, a git-sync checkout, or a PVC. */
    record ProjectVolume(
            String root,
            Optional<Volume> volume,
            Optional<VolumeMount> mount,
            Optional<Container> initContainer) {

        static ProjectVolume of(TransformConfig.Kubernetes k) {
            String dir = k.projectDir();
            switch (k.projectSource()) {
                case IMAGE:
                    return new ProjectVolume(
                            dir, Optional.empty(), Optional.empty(), Optional.empty());
                case GIT_SYNC:
                    {
                        String repo =
                                k.gitSync()
                                        .repo()
                                        .orElseThrow(
                                                () ->
                                                        new IllegalStateException(
                                                                "project-source git-sync needs"
                                                                        + " tributary.transform.kubernetes.git-sync.repo"));
                        Container sync =
                                new ContainerBuilder()
                                        .withName("git-sync")
                                        .withImage(k.gitSync().image())
                                        .withArgs(
                                                "--repo=" + repo,
                                                "--ref=" + k.gitSync().ref(),
                                                "--root=" + dir,
                                                "--link=repo",
                                                "--depth=1",
                                                "--one-time")
                                        .withSecurityContext(containerSecurity())
                                        .withVolumeMounts(
                                                DbtJob.mount("project", dir, false),
                                                DbtJob.mount("tmp", TMP, false))
                                        .build();
                        return new ProjectVolume(
                                dir + "/repo",
                                Optional.of(
                                        new VolumeBuilder()
                                                .withName("project")
                                                .withNewEmptyDir()
                                                .endEmptyDir()
                                                .build()),
                                Optional.of(DbtJob.mount("project", dir, true)),
                                Optional.of(sync));
                    }
                case PVC:
                    {
                        String claim =
                                k.pvc()
                                        .claimName()
                                        .orElseThrow(
                                                () ->
                                                        new IllegalStateException(
                                                                "project-source pvc needs"
                                                                        + " tributary.transform.kubernetes.pvc.claim-name"));
                        return new ProjectVolume(
                                dir,
                                Optional.of(
                                        new VolumeBuilder()
                                                .withName("project")
                                                .withNewPersistentVolumeClaim()
                                                .withClaimName(claim)
                                                .withReadOnly(true)
                                                .endPersistentVolumeClaim()
                                                .build()),
                                Optional.of(DbtJob.mount("project", dir, true)),
                                Optional.empty());
                    }
                default:
                    throw new IllegalStateException(
                            "tributary.transform.kubernetes.project-source must be image, git-sync"
                                    + " or pvc");
            }
        }

        /** The definition's {@code projectDir} is a sub-directory of the source's root. */
        String projectDir(TransformDefinition d) {
            String sub = d.projectDir();
            return sub == null || sub.isBlank() || sub.equals(".") ? root : root + "/" + sub;
        }
    }
}
