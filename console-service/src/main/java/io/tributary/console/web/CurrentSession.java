package io.tributary.console.web;

import jakarta.enterprise.context.RequestScoped;

/** The session of the request being served, set by {@link SessionFilter}. */
@RequestScoped
public class CurrentSession {
    private Session session;

    void set(Session session) {
        this.session = session;
    }

    public Session get() {
        return session;
    }
}
