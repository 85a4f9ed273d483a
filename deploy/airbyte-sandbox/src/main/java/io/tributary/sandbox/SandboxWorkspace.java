package io.tributary.sandbox;

import java.util.UUID;

/** The one workspace all sandbox connections live in. */
public record SandboxWorkspace(UUID id, String name) {}
