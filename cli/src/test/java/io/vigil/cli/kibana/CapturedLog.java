package io.vigil.cli.kibana;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * What one logger writes, at the level asked, rendered by the layout of the tests' console
 * appender ({@code log4j2-test.properties}): the lines as they would reach stderr.
 */
final class CapturedLog implements AutoCloseable {

    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final String logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    CapturedLog(Class<?> logger, Level level) {
        this.logger = logger.getName();
        Configuration config = context.getConfiguration();
        Layout<?> layout = config.<Appender>getAppender("stderr").getLayout();
        Appender capture = new AbstractAppender("captured-" + this.logger, null, layout, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(new String(getLayout().toByteArray(event), java.nio.charset.StandardCharsets.UTF_8));
            }
        };
        capture.start();
        LoggerConfig only = new LoggerConfig(this.logger, level, false);
        only.addAppender(capture, level, null);
        config.addLogger(this.logger, only);
        context.updateLoggers();
    }

    /** Every event so far, each as its layout wrote it (line end included). */
    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(logger);
        context.updateLoggers();
    }
}
