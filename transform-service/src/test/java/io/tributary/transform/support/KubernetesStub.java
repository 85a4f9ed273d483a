package io.tributary.transform.support;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.tributary.events.EventJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes API server of the kubernetes runner's tests: fabric8's {@link
 * KubernetesMockServer} in CRUD mode (Jobs and pods are stored, listed by label, updated and
 * deleted as the real API server does), plus what CRUD mode cannot serve: a pod's log ({@code GET
 * …/pods/{pod}/log}: the lines the test has written so far, as the kubelet would have them), and a
 * record of every Job deletion with its propagation policy. The test drives it over HTTP ({@code
 * PUT /stub/logs/{pod}} appends lines, {@code GET /stub/deletes}), as it drives pods and Jobs
 * through the API: no kubelet, no cluster.
 */
public final class KubernetesStub {
    private static final Pattern LOG =
            Pattern.compile("/api/v1/namespaces/[^/]+/pods/([^/?]+)/log");
    private static final Pattern JOB =
            Pattern.compile("/apis/batch/v1/namespaces/[^/]+/jobs/([^/?]+)");
    private static final Pattern STUB_LOG = Pattern.compile("/stub/logs/([^/?]+)");

    private final KubernetesMockServer server;

    private KubernetesStub(KubernetesMockServer server) {
        this.server = server;
    }

    public static KubernetesStub start() {
        KubernetesMockServer server =
                new KubernetesMockServer(
                        new Context(),
                        new MockWebServer(),
                        new HashMap<>(),
                        new Dispatcher(),
                        false);
        server.init();
        return new KubernetesStub(server);
    }

    public String url() {
        return server.url("/");
    }

    public void close() {
        server.destroy();
    }

    /** CRUD, plus pod logs and the record of deletions. */
    static final class Dispatcher extends KubernetesCrudDispatcher {
        private final Map<String, StringBuilder> logs = new ConcurrentHashMap<>();
        private final List<String> deletes = new ArrayList<>();

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            Matcher m = STUB_LOG.matcher(path);
            if (m.lookingAt() && "PUT".equals(request.getMethod())) {
                logs.computeIfAbsent(m.group(1), p -> new StringBuilder())
                        .append(request.getUtf8Body());
                return new MockResponse().setResponseCode(204);
            }
            if (path.startsWith("/stub/deletes")) {
                synchronized (deletes) {
                    return new MockResponse()
                            .setResponseCode(200)
                            .setBody(EventJson.toJson(deletes));
                }
            }
            m = LOG.matcher(path);
            if (m.lookingAt() && "GET".equals(request.getMethod())) {
                StringBuilder log = logs.get(m.group(1));
                return new MockResponse()
                        .setResponseCode(200)
                        .setBody(log == null ? "" : log.toString());
            }
            m = JOB.matcher(path);
            if (m.lookingAt() && "DELETE".equals(request.getMethod())) {
                String body = request.getUtf8Body();
                Matcher policy =
                        Pattern.compile("\"propagationPolicy\"\\s*:\\s*\"(\\w+)\"")
                                .matcher(body == null ? "" : body);
                synchronized (deletes) {
                    deletes.add(m.group(1) + " " + (policy.find() ? policy.group(1) : "none"));
                }
            }
            return super.dispatch(request);
        }
    }
}
