package io.tributary.transform.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.tributary.transform.config.TransformConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * The fabric8 client of the kubernetes runner: the in-cluster configuration (the pod's
 * ServiceAccount {@code transform-service}) unless {@code master-url} is set (tests, or a service
 * outside the cluster). Created on first use: a service without kubernetes runs never connects.
 */
@ApplicationScoped
public class KubernetesClientProducer {
    @Inject TransformConfig config;

    @Produces
    @ApplicationScoped
    KubernetesClient client() {
        TransformConfig.Kubernetes k = config.kubernetes();
        Config base = Config.autoConfigure(null);
        ConfigBuilder builder = new ConfigBuilder(base).withNamespace(k.namespace());
        k.masterUrl().ifPresent(url -> builder.withMasterUrl(url).withTrustCerts(true));
        return new KubernetesClientBuilder().withConfig(builder.build()).build();
    }

    void close(@Disposes KubernetesClient client) {
        client.close();
    }
}
