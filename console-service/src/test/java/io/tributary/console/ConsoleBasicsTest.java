package io.tributary.console;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.local.ServiceBasicsTest;
import io.tributary.local.TributaryTestResource;

@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "console-service"),
        scope = TestResourceScope.GLOBAL)
class ConsoleBasicsTest extends ServiceBasicsTest {
    @Override
    protected String service() {
        return "console-service";
    }
}
