package io.tributary.console.owners;

/** The services that own what the console shows and changes. */
public enum Owner {
    TRIGGER("trigger-service"),
    MONITOR("sync-monitor-service"),
    TRANSFORM("transform-service"),
    NOTIFIER("notifier-service");

    private final String service;

    Owner(String service) {
        this.service = service;
    }

    public String service() {
        return service;
    }
}
