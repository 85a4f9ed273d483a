package io.tributary.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Typed settings of the notifier-service; every key can be overridden by an env var. */
@ConfigMapping(prefix = "tributary.notifier")
public interface NotifierConfig {

    /** Events about one subject within this window become one message. */
    @WithDefault("PT30S")
    Duration groupWindow();

    /** An unchanged state is repeated at most this often. */
    @WithDefault("PT4H")
    Duration repeatInterval();

    /** Hosts that may be reached over plain http (local runs); everything else needs https. */
    @WithDefault("none")
    List<String> httpAllowList();
}
