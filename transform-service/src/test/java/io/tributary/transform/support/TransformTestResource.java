package io.tributary.transform.support;

import io.tributary.local.Infrastructure;
import io.tributary.local.ServiceDatabase;
import io.tributary.local.TributaryTestResource;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The shared infrastructure of {@link TributaryTestResource} plus what dbt needs: a {@code
 * warehouse} database (its own login) whose credentials reach dbt only through {@code
 * tributary.transform.dbt-env.*}, a dbt Cloud API stub for the cloud runner, and the Kubernetes API
 * server mock for the kubernetes runner ({@link KubernetesStub}).
 */
public class TransformTestResource extends TributaryTestResource {
    private DbtCloudStub cloud;
    private KubernetesStub kubernetes;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        Infrastructure[] infra = new Infrastructure[1];
        super.inject((value, field) -> infra[0] = (Infrastructure) value);
        ServiceDatabase warehouse = infra[0].database("warehouse");
        URI url = URI.create(warehouse.jdbcUrl().substring("jdbc:".length()));
        String env = "tributary.transform.dbt-env.";
        config.put(env + "WAREHOUSE_HOST", url.getHost());
        config.put(env + "WAREHOUSE_PORT", Integer.toString(url.getPort()));
        config.put(env + "WAREHOUSE_USER", warehouse.username());
        config.put(env + "WAREHOUSE_PASSWORD", warehouse.password());
        config.put(env + "WAREHOUSE_DB", warehouse.database());
        config.put("test.warehouse.jdbc-url", warehouse.jdbcUrl());
        cloud = DbtCloudStub.start();
        config.put("tributary.transform.cloud.base-url", cloud.baseUrl());
        config.put("tributary.transform.cloud.token", DbtCloudStub.TOKEN);
        kubernetes = KubernetesStub.start();
        config.put("tributary.transform.kubernetes.master-url", kubernetes.url());
        return config;
    }

    @Override
    public void stop() {
        if (cloud != null) {
            cloud.close();
        }
        if (kubernetes != null) {
            kubernetes.close();
        }
        super.stop();
    }
}
