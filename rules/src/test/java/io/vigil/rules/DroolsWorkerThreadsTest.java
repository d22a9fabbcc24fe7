package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.kie.internal.concurrent.ExecutorProviderFactory;

/**
 * Compiling a rule pack leaves no thread of Drools' compiler pool running: a live
 * {@code drools-worker-N} thread holds the class loader of the job that started it, which on a
 * Flink JobManager (a new loader per submission) leaked every submission's classes into metaspace
 * (docs/cluster.md, {@code JobSubmissionLeakTest} in cli).
 */
class DroolsWorkerThreadsTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void theCompilerPoolsThreadsEndOnceIdle() throws InterruptedException {
        // the packaged pack: enough rules for Drools to build them in parallel on its pool
        RulePack pack = RulePack.packaged();
        assertThat(pack.rules()).isNotEmpty();

        ThreadPoolExecutor pool = (ThreadPoolExecutor) ExecutorProviderFactory.getExecutorProvider().getExecutor();
        assertThat(pool.allowsCoreThreadTimeOut()).as("Drools' pool lets its idle core threads end").isTrue();
        Instant deadline = Instant.now().plus(DEADLINE);
        List<String> workers;
        while (!(workers = droolsWorkers()).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(workers).as("drools-worker threads alive %s after compiling", DEADLINE).isEmpty();
    }

    static List<String> droolsWorkers() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("drools-worker-")).toList();
    }
}
