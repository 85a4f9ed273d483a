package io.tributary.monitor;

import io.quarkus.test.junit.QuarkusTest;
import io.tributary.local.ServiceBasicsTest;

@QuarkusTest
class HealthAndMetricsTest extends ServiceBasicsTest {
    @Override
    protected String service() {
        return "sync-monitor-service";
    }
}
