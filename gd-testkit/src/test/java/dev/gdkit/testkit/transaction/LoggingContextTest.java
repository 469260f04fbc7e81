package dev.gdkit.testkit.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gdkit.core.transaction.Step;
import dev.gdkit.core.transaction.TransactionEngine;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LoggingContextTest {

    @Test
    void everyTransactionLogLineCarriesReqidTxnidAndNode() {
        Logger engineLog = (Logger) LoggerFactory.getLogger(TransactionEngine.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        engineLog.addAppender(appender);
        Map<String, Map<String, String>> seenInSteps = new ConcurrentHashMap<>();
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(3).recordingSteps("a")
                .steps((id, disk) -> List.of(Step.of("peek", ctx -> seenInSteps.put(ctx.node().value(),
                        MDC.getCopyOfContextMap()), null))).build()) {
            c.faults().failRun("a", c.id(3));
            var t = c.transaction("demo").lock("volume:v").step("peek", c.ids()).step("a", c.ids());
            c.execute(c.node(1), t);

            String reqId = "req-" + t.id().substring(0, 8);
            assertThat(seenInSteps).hasSize(3);
            seenInSteps.forEach((node, mdc) -> assertThat(mdc).containsEntry("reqid", reqId)
                    .containsEntry("txnid", t.id()).containsEntry("node", node));
            List<ILoggingEvent> lines = appender.list.stream()
                    .filter(e -> t.id().equals(e.getMDCPropertyMap().get("txnid"))).toList();
            assertThat(lines).extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(m -> m.contains("started")).anyMatch(m -> m.contains("failed on n3"))
                    .anyMatch(m -> m.contains("undone"));
            assertThat(appender.list).filteredOn(e -> e.getMDCPropertyMap().containsKey("txnid"))
                    .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsKeys("reqid", "txnid", "node"));
        } finally {
            engineLog.detachAppender(appender);
        }
    }
}
