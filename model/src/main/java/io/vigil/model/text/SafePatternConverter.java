package io.vigil.model.text;

import io.vigil.model.mask.MaskCounts;
import io.vigil.model.mask.Masker;
import java.util.List;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * Log4j 2 pattern converter {@code %safe{pattern}}: renders the pattern inside, masks card numbers
 * and secrets in what it wrote ({@link Masker#defaults()}: a log layout has no job configuration,
 * docs/masking.md), then escapes it with {@link SafeText}, so a log event stays one line and
 * carries no card number or secret whatever the message, its arguments or an exception's message
 * and stack trace hold. Vigil's layouts use
 * {@code %safe{%m%ex}}: the throwable inside the braces, or Log4j would append it unescaped.
 *
 * <p>Found by Log4j through the plugin cache that log4j-core's annotation processor writes when
 * this module compiles ({@code META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat}).
 */
@Plugin(name = "SafePatternConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"safe"})
public final class SafePatternConverter extends LogEventPatternConverter {

    private final List<PatternFormatter> formatters;
    private final boolean handlesThrowable;

    private SafePatternConverter(List<PatternFormatter> formatters) {
        super("safe", "safe");
        this.formatters = formatters;
        this.handlesThrowable = formatters.stream().anyMatch(PatternFormatter::handlesThrowable);
    }

    /** Called by Log4j with the options in braces; {@code null} (and a status error) without a pattern. */
    public static SafePatternConverter newInstance(Configuration config, String[] options) {
        if (options == null || options.length != 1 || options[0] == null || options[0].isEmpty()) {
            StatusLogger.getLogger().error("%safe needs one pattern in braces, as in %safe{%m%ex}");
            return null;
        }
        // no exception appended behind the inner pattern's back, and no colours to escape
        List<PatternFormatter> formatters = PatternLayout.createPatternParser(config)
                .parse(options[0], false, true, true);
        return new SafePatternConverter(formatters);
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        int start = toAppendTo.length();
        for (PatternFormatter formatter : formatters) {
            formatter.format(event, toAppendTo);
        }
        if (handlesThrowable && event.getThrown() != null) {
            // a stack trace ends with a line end: the layout's own %n ends the line
            int end = toAppendTo.length();
            while (end > start && (toAppendTo.charAt(end - 1) == '\n' || toAppendTo.charAt(end - 1) == '\r')) {
                end--;
            }
            toAppendTo.setLength(end);
        }
        if (toAppendTo.length() > start) {
            String written = toAppendTo.substring(start);
            String masked = Masker.defaults().text(written, new MaskCounts());
            if (masked != written) {
                toAppendTo.setLength(start);
                toAppendTo.append(masked);
            }
        }
        SafeText.escapeFrom(toAppendTo, start);
    }

    /** True when the inner pattern writes the throwable: then the layout does not add it again. */
    @Override
    public boolean handlesThrowable() {
        return handlesThrowable;
    }
}
