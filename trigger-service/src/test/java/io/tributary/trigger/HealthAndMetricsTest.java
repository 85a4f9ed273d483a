package io.tributary.trigger;

import io.quarkus.test.junit.QuarkusTest;
import io.tributary.local.ServiceBasicsTest;

@QuarkusTest
class HealthAndMetricsTest extends ServiceBasicsTest {
    @Override
    protected String service() {
        return "trigger-service";
    }
}
