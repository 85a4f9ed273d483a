import io.tributary.sandbox.AirbyteSandbox;
import io.tributary.sandbox.ConnectionScript;
import io.tributary.sandbox.JobStatus;
import io.tributary.sandbox.SandboxAuth;
import java.time.Duration;
import java.util.UUID;

/**
 * Loads raw_shop into a warehouse the way the sandbox's "shop → postgres" connection does (one
 * successful sync), for changed-only.sh. Arguments: JDBC URL, user, password.
 */
public class LoadShop {
    public static void main(String[] args) throws Exception {
        try (AirbyteSandbox sandbox =
                AirbyteSandbox.builder()
                        .port(0)
                        .auth(SandboxAuth.none())
                        .jdbcUrl(args[0], args[1], args[2])
                        .build()
                        .start()) {
            UUID shop =
                    sandbox.connection("shop → postgres")
                            .loadsShopData()
                            .script(ConnectionScript.succeedAfter(Duration.ofMillis(200), 0))
                            .add();
            long job = sandbox.startJobOutside(shop);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (sandbox.job(job).status() != JobStatus.SUCCEEDED) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the shop sync did not succeed within 60 s");
                }
                Thread.sleep(100);
            }
            System.out.println("raw_shop loaded (sandbox job " + job + ")");
        }
    }
}
