package io.splitbot.shared.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Before every log call, makes this thread's MDC hold exactly the {@link LogContext} fields of the Vert.x work running
 * now: the fields of the current update or request, and none on a thread (or at a moment) that runs other work. Keys
 * put in the MDC by other code are left alone. Installed by {@link LogSetup}; it never filters.
 */
public class LogContextTurboFilter extends TurboFilter {
  // What this filter last put in this thread's MDC; identity-compared, since LogContext maps are immutable.
  private static final ThreadLocal<Map<String, String>> APPLIED = ThreadLocal.withInitial(Map::of);

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    Map<String, String> fields = LogContext.current();
    Map<String, String> applied = APPLIED.get();
    if (fields != applied) {
      for (String key : applied.keySet()) {
        if (!fields.containsKey(key)) {
          MDC.remove(key);
        }
      }
      fields.forEach(MDC::put);
      APPLIED.set(fields);
    }
    return FilterReply.NEUTRAL;
  }
}
