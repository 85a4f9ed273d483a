package io.tributary.console.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Error pages: a plain page with the status and one sentence, never a stack trace. */
@ApplicationScoped
public class Pages {

    @CheckedTemplate(requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance error(int status, String title, String message);
    }

    public Response error(int status, String message) {
        String title =
                switch (status) {
                    case 401 -> "Sign in first";
                    case 403 -> "Not allowed";
                    case 404 -> "Not found";
                    default -> "Something went wrong";
                };
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.error(status, title, message).render())
                .build();
    }
}
